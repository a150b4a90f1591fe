/**
 * Following one stack operation on the terminal: the poller (I/O) feeds the printer
 * (presentation) until the stack settles or Ctrl-C stops the wait. `deploy` and `delete` both
 * follow their operations through here.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { InterruptedError } from '../errors.js';
import type { StackApi, StackDescription } from '../aws/stack-api.js';
import type { Reporter } from '../ui/reporter.js';
import { createProgressPrinter } from './progress-printer.js';
import { waitForStackOperation, type Sleep, type WaitOutcome } from './progress-poller.js';

/** What following a stack needs from a command's deps; clock, sleep and interval are for tests. */
export interface StackWatch {
  reporter: Reporter;
  /** A person is watching (stdin and stderr are a TTY, not CI): progress is redrawn in place. */
  interactive: boolean;
  /** Raw stderr for in-place redraw (TTY only). */
  terminal?: { write(s: string): unknown };
  now?(): number;
  sleep?: Sleep;
  pollIntervalMs?: number;
  /** Ctrl-C. */
  signal?: AbortSignal;
}

export const DEFAULT_POLL_MS = 2_000;

export const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** Where to start reading the stack's events: after a time, or after an event. */
export type EventsFrom = { since?: Date; afterEventId?: string };

export async function followStack(
  stacks: StackApi,
  watch: StackWatch,
  stack: Pick<StackDescription, 'stackName' | 'stackId'>,
  from: EventsFrom,
): Promise<WaitOutcome> {
  const { reporter } = watch;
  const now = watch.now ?? Date.now;
  const printer = createProgressPrinter(reporter, watch.interactive ? watch.terminal : undefined);
  try {
    return await waitForStackOperation({
      stacks,
      stackName: stack.stackName,
      stackId: stack.stackId,
      ...from,
      now,
      sleep: watch.sleep ?? defaultSleep,
      intervalMs: watch.pollIntervalMs ?? DEFAULT_POLL_MS,
      signal: watch.signal,
      onEvents: (events, state) => printer.events(events, state, now()),
      onThrottled: (ms) => reporter.info(reporter.color.dim(`  (throttled by CloudFormation; polling again in ${Math.round(ms / 1000)}s)`)),
    });
  } finally {
    printer.finish();
  }
}

/**
 * Starts an operation on an existing stack and follows it. Only the events after the newest one
 * now are its own: a stack id's event history spans every operation the stack has had.
 */
export async function runStackOperation(
  stacks: StackApi,
  watch: StackWatch,
  stack: Pick<StackDescription, 'stackName' | 'stackId'>,
  start: () => Promise<void>,
): Promise<WaitOutcome> {
  const [newest] = await stacks.describeEvents(stack.stackId, { limit: 1 });
  await start();
  return followStack(stacks, watch, stack, { afterEventId: newest?.eventId });
}

/** Ctrl-C while following: the wait stops, the operation (`what`) does not. */
export function stoppedWaiting(what: string, flags: string): InterruptedError {
  return new InterruptedError(`Stopped waiting (interrupted); ${what}.`, {
    details: [`Follow it with: npx cli status${flags}`],
  });
}
