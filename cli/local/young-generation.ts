/**
 * A ceiling for the main thread's V8 young generation in a long-running `cli dev`.
 *
 * Under sustained load V8 doubles the young generation's semi-spaces up to 16 MB each, so the
 * server's own heap holds ~28 MB of nursery that is mostly empty between scavenges (measured
 * after 40k requests). `--max-semi-space-size` would bound it, but only as a process flag, which
 * `npx cli dev` cannot pass to itself. The growth factor, however, is read at each growth, so
 * setting it to 1 once the nursery reaches the ceiling stops it there.
 *
 * V8 resets a growth factor below 2 back to 2 whenever it configures a heap, which includes
 * each worker thread's isolate (every Lambda execution environment, also those started later).
 * So the nursery is checked after every garbage collection and the factor set again while it
 * is at the ceiling (a timer was too slow: a burst of allocation doubled it several times).
 * https://v8.dev/blog/orinoco-parallel-scavenger
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Current capacity of one semi-space of the young generation, in bytes. */
function semiSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Keeps a semi-space of the young generation at most `maxSemiSpaceMb`: growth stops once it is
 * half that, since the check runs after a collection and one more doubling can come first.
 * Returns a function that stops watching (V8's own growth resumes at its next reset).
 */
export function capYoungGeneration(maxSemiSpaceMb: number): () => void {
  const half = (maxSemiSpaceMb * 1024 * 1024) / 2;
  const check = () => {
    if (semiSpaceBytes() >= half) setFlagsFromString('--semi-space-growth-factor=1');
  };
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  check();
  return () => observer.disconnect();
}
