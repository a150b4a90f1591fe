/**
 * `cli sync --watch`: build and hotswap, then again on every save of a file the bundle was built
 * from (cli/local/source-watcher.ts, the watcher `cli dev` reloads with). One round at a time: a
 * save during a round queues one more. A round that fails for a reason the next save can fix (a
 * build error, a change that is not hotswappable, an AWS error) is printed and the loop waits;
 * bad input (a prod stage without --force, a wrong parameter) ends it. Ctrl-C ends it with
 * InterruptedError (exit 130), the watcher closed; the last code hotswapped stays live.
 */
import { CliError, InterruptedError, UsageError } from '../errors.js';
import type { Artifact } from '../build/artifact.js';
import type { HotswapOutcome } from '../deploy/hotswap.js';
import type { SourceChange, SourceWatcher } from '../local/source-watcher.js';
import type { Reporter } from '../ui/reporter.js';

export interface SyncDeps {
  reporter: Reporter;
  build(): Promise<Artifact>;
  /** One hotswap of the artifact `build` gives. */
  hotswap(build: () => Promise<Artifact>): Promise<HotswapOutcome>;
  /** Starts watching `inputs`; `onChange` on every change of their content. */
  watch(inputs: readonly string[], onChange: (change: SourceChange) => void): SourceWatcher;
  /** What to watch before the first build has said which files it read. */
  initialInputs(): Promise<string[]>;
  signal: AbortSignal;
  now?(): number;
  /** Called after each round (tests wait on it). */
  onRound?(round: SyncRound): void;
}

export type SyncRound = { ok: true; outcome: HotswapOutcome } | { ok: false; error: CliError };

export async function syncOnce(deps: Pick<SyncDeps, 'build' | 'hotswap' | 'reporter'>): Promise<HotswapOutcome> {
  const outcome = await deps.hotswap(deps.build);
  // The command prints the result itself (cli/commands/deploy.ts printHotswapOutcome).
  if (outcome.status === 'fallback') reportOutcome(deps.reporter, outcome);
  return outcome;
}

export async function syncWatch(deps: SyncDeps): Promise<never> {
  const { reporter, signal } = deps;
  const now = deps.now ?? Date.now;
  let pending = true;
  let wake: (() => void) | undefined;
  const watcher = deps.watch(await deps.initialInputs(), () => {
    pending = true;
    wake?.();
  });
  try {
    while (!signal.aborted) {
      if (!pending) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        wake = undefined;
        continue;
      }
      pending = false;
      const round = await runRound(deps, watcher, now);
      deps.onRound?.(round);
      if (!signal.aborted) reporter.info(reporter.color.dim('Watching handler sources; Ctrl-C to stop.'));
    }
  } finally {
    watcher.close();
  }
  throw new InterruptedError('sync --watch stopped (Ctrl-C); the code last hotswapped stays live.');
}

async function runRound(deps: SyncDeps, watcher: SourceWatcher, now: () => number): Promise<SyncRound> {
  const builtAt = now();
  try {
    const outcome = await deps.hotswap(async () => {
      const artifact = await deps.build();
      if (artifact.inputs) watcher.track(artifact.inputs, builtAt);
      return artifact;
    });
    reportOutcome(deps.reporter, outcome);
    return { ok: true, outcome };
  } catch (err) {
    if (deps.signal.aborted) return { ok: false, error: new InterruptedError('interrupted') };
    // Bad input does not get better with the next save; anything else that is not a bug might.
    if (err instanceof UsageError || !(err instanceof CliError)) throw err;
    deps.reporter.error(err.message);
    for (const line of err.details) deps.reporter.info('  ' + line);
    deps.reporter.info('Waiting for the next save.');
    return { ok: false, error: err };
  }
}

function reportOutcome(reporter: Reporter, outcome: HotswapOutcome): void {
  if (outcome.status === 'unchanged') reporter.info(`No changes: the function already runs ${outcome.artifactKey}.`);
  if (outcome.status === 'fallback') {
    reporter.warn(`Not hotswappable (${outcome.reasons.join('; ')}): sync only updates code; deploy the rest with \`npx cli deploy\`.`);
  }
}
