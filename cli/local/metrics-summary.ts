/**
 * `cli dev`'s summary of the EMF metrics the function emitted since the last summary: one line
 * per metric and dimension set, with the count and the statistics CloudWatch would show for
 * its unit (a sum for counts, p50/p99/max for times and sizes).
 */
import type { Colors } from '../ui/reporter.js';
import type { EmfMetric } from './emf.js';

export interface MetricSummary {
  namespace: string;
  name: string;
  unit?: string;
  dimensions: Record<string, string>;
  count: number;
  sum: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
}

/** Values kept per metric and window for percentiles; sum, min, max and count see every value. */
const MAX_VALUES = 10_000;

interface Series {
  metric: Omit<EmfMetric, 'values'>;
  values: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

export class EmfAggregator {
  private series = new Map<string, Series>();

  add(metrics: readonly EmfMetric[]): void {
    for (const m of metrics) {
      const key = JSON.stringify([m.namespace, m.name, Object.entries(m.dimensions).sort()]);
      let s = this.series.get(key);
      if (!s) {
        s = { metric: { namespace: m.namespace, name: m.name, ...(m.unit ? { unit: m.unit } : {}), dimensions: m.dimensions }, values: [], count: 0, sum: 0, min: Infinity, max: -Infinity };
        this.series.set(key, s);
      }
      for (const v of m.values) {
        s.count++;
        s.sum += v;
        if (v < s.min) s.min = v;
        if (v > s.max) s.max = v;
        if (s.values.length < MAX_VALUES) s.values.push(v);
      }
    }
  }

  /** The window's summaries, and a fresh window. */
  take(): MetricSummary[] {
    const out = [...this.series.values()].map((s): MetricSummary => {
      const sorted = [...s.values].sort((a, b) => a - b);
      // Nearest rank, as CloudWatch computes percentiles of raw values.
      const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
      return { ...s.metric, count: s.count, sum: s.sum, min: s.min, max: s.max, p50: rank(50), p99: rank(99) };
    });
    this.series = new Map();
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));
  }
}

const UNIT_SUFFIX: Record<string, string> = { Milliseconds: ' ms', Seconds: ' s', Microseconds: ' µs', Bytes: ' B', Kilobytes: ' KB', Megabytes: ' MB', Percent: '%' };
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 1));

export function formatSummaryLine(s: MetricSummary): string {
  const dims = Object.entries(s.dimensions).map(([k, v]) => `${k}=${v}`).join(' ');
  const head = `${s.namespace} ${s.name}${dims ? ` {${dims}}` : ''}`;
  if (s.unit === undefined || s.unit === 'Count' || s.unit === 'None') return `${head}: ${num(s.sum)} (${s.count} value${s.count === 1 ? '' : 's'})`;
  const u = UNIT_SUFFIX[s.unit] ?? ` ${s.unit}`;
  return `${head}: p50 ${num(s.p50)}${u}, p99 ${num(s.p99)}${u}, max ${num(s.max)}${u} (${s.count} value${s.count === 1 ? '' : 's'})`;
}

export function formatMetricsSummary(summaries: readonly MetricSummary[], seconds: number, color: Colors): string[] {
  if (summaries.length === 0) return [];
  return [color.cyan(`metrics (EMF, last ${Math.round(seconds)} s):`), ...summaries.map((s) => `  ${formatSummaryLine(s)}`)];
}
