/**
 * Hot reload: watch every file the bundle was built from (source-watcher.ts), and after a burst of
 * saves rebuild once and swap the functions' code. Reloads never overlap; a save during a reload
 * triggers one more afterwards. A build or init failure keeps the last good code serving.
 */
import type { HandlerBuilder } from './handler-build.js';
import { displayName, watchSources } from './source-watcher.js';

/** `files`: the inputs of the bundle that changed, appeared or vanished, relative to the root. */
export type ReloadEvent =
  /** New code is live: every invocation that starts from now on runs it. */
  | { type: 'reloaded'; ms: number; files: string[] }
  /** Nothing to swap (the bundle is byte-identical). */
  | { type: 'unchanged'; ms: number; files: string[] }
  | { type: 'failed'; ms: number; files: string[]; stage: 'build' | 'init'; errors: string[] };

export interface HotReloaderOptions {
  /** Project root (file names in events are relative to it). */
  root: string;
  /** The files initialCode was built from (the build's `inputs`). */
  inputs: readonly string[];
  builder: HandlerBuilder;
  /** The code currently serving, to skip no-op swaps. */
  initialCode: string;
  /** Swaps every function to `code`; rejects (keeping the old code) if it does not load. */
  deploy(code: string): Promise<void>;
  onEvent(event: ReloadEvent): void;
  /**
   * initialCode came from the build cache: build once now anyway (which also readies the
   * incremental build for the first save), swap if the result differs, say nothing if not.
   */
  verifyInitial?: boolean;
  /** A part of the import graph cannot be watched. */
  onWarning?(message: string): void;
}

export interface HotReloader {
  /** Rebuilds now (as if a file changed); resolves with the outcome. */
  reload(files?: string[]): Promise<ReloadEvent>;
  close(): Promise<void>;
}

export function startHotReloader(options: HotReloaderOptions): HotReloader {
  let code = options.initialCode;
  let changed = new Set<string>();
  let firstChangeAt = 0;
  let running: Promise<ReloadEvent> | undefined;
  let again = false;
  let closed = false;

  const run = async (paths: string[], startedAt: number): Promise<ReloadEvent> => {
    const builtAt = Date.now();
    const build = await options.builder.build();
    // A new import is named too; editors' temporary files never are, as they are no input.
    const added = build.ok && !closed ? watcher.track(build.inputs, builtAt) : [];
    const files = [...new Set([...paths, ...added])].map((f) => displayName(options.root, f)).sort();
    const ms = () => performance.now() - startedAt;
    if (!build.ok) return { type: 'failed', ms: ms(), files, stage: 'build', errors: build.errors };
    if (build.code === code) return { type: 'unchanged', ms: ms(), files };
    try {
      await options.deploy(build.code);
    } catch (err) {
      return { type: 'failed', ms: ms(), files, stage: 'init', errors: [(err as Error).message] };
    }
    code = build.code;
    return { type: 'reloaded', ms: ms(), files };
  };

  const reload = (paths: string[] = [], startedAt = performance.now(), quietIfUnchanged = false): Promise<ReloadEvent> => {
    if (running) {
      again = true;
      return running;
    }
    const current = run(paths, startedAt).then((event) => {
      running = undefined;
      if (!closed && !(quietIfUnchanged && event.type === 'unchanged')) options.onEvent(event);
      if (again && !closed) {
        again = false;
        const next = [...changed];
        changed = new Set();
        void reload(next, firstChangeAt);
      }
      return event;
    });
    running = current;
    return current;
  };

  const watcher = watchSources({
    root: options.root,
    inputs: options.inputs,
    onWarning: (message) => options.onWarning?.(message),
    onChange: (change) => {
      if (closed) return;
      if (running) {
        if (changed.size === 0) firstChangeAt = change.since;
        for (const f of change.changed) changed.add(f);
        again = true;
        return;
      }
      void reload(change.changed, change.since);
    },
  });

  if (options.verifyInitial) void reload([], performance.now(), true);

  return {
    reload: (files) => reload(files),
    async close() {
      closed = true;
      watcher.close();
      await running?.catch(() => undefined);
    },
  };
}
