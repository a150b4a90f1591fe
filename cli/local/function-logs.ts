/**
 * Where the function's output goes in `cli dev`: log lines to the terminal as they come (JSON ones
 * made readable by function-log.ts), EMF
 * documents into a summary printed every few seconds (instead of raw JSON flooding the terminal).
 */
import type { Reporter } from '../ui/reporter.js';
import { emfMetrics } from './emf.js';
import { formatFunctionLog } from './function-log.js';
import { EmfAggregator, formatMetricsSummary } from './metrics-summary.js';

export interface FunctionLogSink {
  line(text: string): void;
  /** Prints the summary of the metrics since the last one now (nothing when there were none); returns its lines. */
  flushMetrics(): string[];
  stop(): void;
}

export function createFunctionLogSink(reporter: Reporter, options: { summaryEveryMs?: number; now?: () => number } = {}): FunctionLogSink {
  const now = options.now ?? Date.now;
  const aggregator = new EmfAggregator();
  let since = now();
  const flushMetrics = () => {
    const lines = formatMetricsSummary(aggregator.take(), (now() - since) / 1000, reporter.color);
    since = now();
    for (const l of lines) reporter.info(l);
    return lines;
  };
  const every = options.summaryEveryMs ?? 0;
  const timer = every > 0 ? setInterval(flushMetrics, every) : undefined;
  timer?.unref();
  return {
    line(text) {
      const metrics = emfMetrics(text);
      if (metrics) aggregator.add(metrics);
      // The handler's JSON lines (LogFormat JSON) as Lambda's text format would show them.
      else reporter.info(formatFunctionLog(text));
    },
    flushMetrics,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
