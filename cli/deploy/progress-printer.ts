/**
 * How progress looks: one line per event with the elapsed time. On a TTY the status is coloured
 * and a summary line is redrawn in place under the events; in CI or a pipe, plain lines only.
 */
import type { StackEvent } from '../aws/stack-api.js';
import type { Colors, Reporter } from '../ui/reporter.js';
import { summarize, type ProgressState } from './progress-state.js';

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function colorStatus(status: string, color: Colors): string {
  if (status.endsWith('_FAILED') || status.includes('ROLLBACK')) return color.red(status);
  if (status.endsWith('_COMPLETE')) return color.green(status);
  if (status.endsWith('_IN_PROGRESS')) return color.yellow(status);
  return status;
}

export function formatEventLine(event: StackEvent, elapsedMs: number, color: Colors): string {
  const status = colorStatus(event.status.padEnd(28), color);
  const reason = event.reason && event.reason !== 'User Initiated' ? color.dim(`  ${event.reason}`) : '';
  return `${formatElapsed(elapsedMs).padStart(6)}  ${status} ${event.resourceType.padEnd(34)} ${event.logicalId}${reason}`;
}

export function formatSummaryLine(state: ProgressState, now: number): string {
  const s = summarize(state, now);
  const failed = s.failed > 0 ? `, ${s.failed} failed` : '';
  return `${state.stackStatus ?? 'waiting'}: ${s.complete}/${s.total} resources done${failed} (${formatElapsed(s.elapsedMs)})`;
}

export interface ProgressPrinter {
  events(events: readonly StackEvent[], state: ProgressState, now: number): void;
  /** Clears the in-place line (before the caller prints anything else). */
  finish(): void;
}

/** `terminal` is the raw stderr stream for in-place redraw; given only when interactive. */
export function createProgressPrinter(reporter: Reporter, terminal?: { write(s: string): unknown }): ProgressPrinter {
  let drawn = false;
  const clear = () => {
    if (terminal && drawn) terminal.write('\r\u001b[2K');
    drawn = false;
  };
  return {
    events(events, state, now) {
      clear();
      for (const event of events) reporter.info(formatEventLine(event, eventElapsed(state, event), reporter.color));
      if (terminal && !state.done) {
        terminal.write(reporter.color.dim(formatSummaryLine(state, now)));
        drawn = true;
      }
    },
    finish: clear,
  };
}

/**
 * An event's elapsed time, measured on the server clock from the operation's first event, so
 * clock skew between this machine and AWS cancels out.
 */
export function eventElapsed(state: ProgressState, event: StackEvent): number {
  const first = state.events[0];
  return first ? Math.max(0, event.timestamp.getTime() - first.timestamp.getTime()) : 0;
}
