/**
 * Hot reload: watch the handler sources, and after a burst of saves rebuild once and swap the
 * functions' code. Reloads never overlap; a save during a reload triggers one more afterwards.
 * A build or init failure keeps the last good code serving.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { HandlerBuilder } from './handler-build.js';

export type ReloadEvent =
  /** New code is live: every invocation that starts from now on runs it. */
  | { type: 'reloaded'; ms: number; files: string[] }
  /** Nothing to swap (the bundle is byte-identical). */
  | { type: 'unchanged'; ms: number; files: string[] }
  | { type: 'failed'; ms: number; files: string[]; stage: 'build' | 'init'; errors: string[] };

export interface HotReloaderOptions {
  /** Directory to watch, recursively (handler/). */
  dir: string;
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
  /** Quiet period after the last change before rebuilding (editors write in several steps). */
  debounceMs?: number;
}

export interface HotReloader {
  /** Rebuilds now (as if a file changed); resolves with the outcome. */
  reload(files?: string[]): Promise<ReloadEvent>;
  close(): Promise<void>;
}

export function startHotReloader(options: HotReloaderOptions): HotReloader {
  const debounceMs = options.debounceMs ?? 20;
  let code = options.initialCode;
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  let firstChangeAt = 0;
  let running: Promise<ReloadEvent> | undefined;
  let again = false;
  let closed = false;

  const run = async (files: string[], startedAt: number): Promise<ReloadEvent> => {
    const build = await options.builder.build();
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

  const reload = (files: string[] = [], startedAt = performance.now(), quietIfUnchanged = false): Promise<ReloadEvent> => {
    if (running) {
      again = true;
      return running;
    }
    const current = run(files, startedAt).then((event) => {
      running = undefined;
      if (!closed && !(quietIfUnchanged && event.type === 'unchanged')) options.onEvent(event);
      if (again && !closed) {
        again = false;
        void reload([...changed.values()]);
        changed = new Set();
      }
      return event;
    });
    running = current;
    return current;
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(options.dir, { recursive: true }, (_event, file) => {
      if (closed) return;
      if (changed.size === 0) firstChangeAt = performance.now();
      if (file) changed.add(String(file));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...changed];
        const startedAt = firstChangeAt;
        changed = new Set();
        if (running) again = true;
        else void reload(files, startedAt);
      }, debounceMs);
    });
  } catch (err) {
    throw new Error(`cannot watch ${options.dir}: ${(err as Error).message}`, { cause: err });
  }

  if (options.verifyInitial) void reload([], performance.now(), true);

  return {
    reload: (files) => reload(files),
    async close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
      await running?.catch(() => undefined);
    },
  };
}
