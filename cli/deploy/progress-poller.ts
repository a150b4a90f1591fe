/**
 * Follows one stack operation through DescribeStackEvents until the stack's own status is no
 * longer `..._IN_PROGRESS`. The clock, the sleep and the interval are injected, so tests drive it
 * without waiting. Throttling does not end the wait: it backs off and polls again.
 */
import { isThrottling } from '../aws/aws-errors.js';
import type { StackApi, StackEvent } from '../aws/stack-api.js';
import { applyEvents, createProgress, isTerminalStatus, type ProgressState } from './progress-state.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface WaitOptions {
  stacks: StackApi;
  stackName: string;
  /** DescribeStackEvents by id keeps working after the stack is deleted. */
  stackId: string;
  /** Ignore events before this (server clock), e.g. the change set's creation time. */
  since?: Date;
  /** Ignore this event and older ones: the newest event before the operation began. */
  afterEventId?: string;
  now(): number;
  sleep: Sleep;
  intervalMs: number;
  signal?: AbortSignal;
  onEvents?(events: readonly StackEvent[], state: ProgressState): void;
  onThrottled?(delayMs: number): void;
}

export interface WaitOutcome {
  state: ProgressState;
  /** The signal fired: we stopped waiting, the operation goes on in CloudFormation. */
  aborted: boolean;
}

const MAX_BACKOFF_MS = 30_000;
/**
 * After this many polls without a new event, ask for the stack's status directly: a stack that
 * is deleted while in REVIEW_IN_PROGRESS, for one, goes without a final event.
 */
const QUIET_POLLS_BEFORE_STATUS_CHECK = 5;

export async function waitForStackOperation(options: WaitOptions): Promise<WaitOutcome> {
  let state = createProgress(options.stackName, options.now());
  let lastSeen = options.afterEventId;
  let delay = options.intervalMs;
  let quiet = 0;
  for (;;) {
    if (options.signal?.aborted) return { state, aborted: true };
    try {
      const newestFirst = await options.stacks.describeEvents(options.stackId, { stopAtEventId: lastSeen, since: options.since });
      delay = options.intervalMs;
      if (newestFirst.length > 0) {
        lastSeen = newestFirst[0]!.eventId;
        const events = [...newestFirst].reverse();
        state = applyEvents(state, events);
        options.onEvents?.(events, state);
        quiet = 0;
      } else if (++quiet >= QUIET_POLLS_BEFORE_STATUS_CHECK) {
        quiet = 0;
        const stack = await options.stacks.describeStack(options.stackId);
        const status = stack?.status ?? 'DELETE_COMPLETE';
        if (isTerminalStatus(status)) state = { ...state, stackStatus: status, done: true };
      }
      if (state.done) return { state, aborted: false };
    } catch (err) {
      if (!isThrottling(err)) throw err;
      delay = Math.min(Math.max(delay, 1) * 2, MAX_BACKOFF_MS);
      options.onThrottled?.(delay);
    }
    try {
      await options.sleep(delay, options.signal);
    } catch (err) {
      if (options.signal?.aborted) return { state, aborted: true };
      throw err;
    }
  }
}
