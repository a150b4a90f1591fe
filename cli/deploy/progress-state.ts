/**
 * Where a stack operation stands, from its events alone: pure, so it is tested with made-up
 * events and an injected clock. The poller feeds it; the printer shows it.
 */
import type { StackEvent } from '../aws/stack-api.js';

export interface ResourceProgress {
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
}

export interface ProgressState {
  stackName: string;
  /** Local clock (ms) when the operation started. */
  startedAt: number;
  /** Every event of this operation, oldest first. */
  events: readonly StackEvent[];
  resources: ReadonlyMap<string, ResourceProgress>;
  /** The stack's own latest status (from its own events). */
  stackStatus?: string;
  done: boolean;
}

export function createProgress(stackName: string, startedAt: number): ProgressState {
  return { stackName, startedAt, events: [], resources: new Map(), done: false };
}

/** Is this event about the stack itself rather than one of its resources? */
export function isStackEvent(event: StackEvent, stackName: string): boolean {
  return event.resourceType === 'AWS::CloudFormation::Stack' && (event.logicalId === stackName || event.physicalId === event.stackId);
}

/** Every stack status that is not `..._IN_PROGRESS` is where an operation ends. */
export function isTerminalStatus(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS');
}

/** Adds events (oldest first, already de-duplicated by the poller). */
export function applyEvents(state: ProgressState, events: readonly StackEvent[]): ProgressState {
  if (events.length === 0) return state;
  const resources = new Map(state.resources);
  let stackStatus = state.stackStatus;
  let done = state.done;
  for (const event of events) {
    if (isStackEvent(event, state.stackName)) {
      stackStatus = event.status;
      // REVIEW_IN_PROGRESS belongs to change set creation, before the operation we follow.
      done = isTerminalStatus(event.status);
    } else {
      resources.set(event.logicalId, {
        logicalId: event.logicalId,
        resourceType: event.resourceType,
        status: event.status,
        reason: event.reason,
      });
    }
  }
  return { ...state, events: [...state.events, ...events], resources, stackStatus, done };
}

export interface ProgressSummary {
  elapsedMs: number;
  total: number;
  complete: number;
  inProgress: number;
  failed: number;
}

export function summarize(state: ProgressState, now: number): ProgressSummary {
  let complete = 0;
  let inProgress = 0;
  let failed = 0;
  for (const r of state.resources.values()) {
    if (r.status.endsWith('_IN_PROGRESS')) inProgress++;
    else if (r.status.endsWith('_FAILED')) failed++;
    else complete++;
  }
  return { elapsedMs: Math.max(0, now - state.startedAt), total: state.resources.size, complete, inProgress, failed };
}

/** Did the operation end well? (`UPDATE_ROLLBACK_COMPLETE` and `ROLLBACK_COMPLETE` did not.) */
export function isSuccessStatus(status: string | undefined): boolean {
  return status !== undefined && /^(CREATE|UPDATE|DELETE|IMPORT)_COMPLETE$/.test(status);
}
