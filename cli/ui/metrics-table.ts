/** The `cli metrics` table: one row per figure, its total over the window and its sparkline. */
import type { MetricRow, MetricsResult } from '../observe/metrics.js';
import type { Colors } from './reporter.js';
import { sparkline } from './sparkline.js';

export function formatMetricValue(value: number | undefined, unit: MetricRow['unit']): string {
  if (value === undefined) return '-';
  if (unit === 'ms') return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ms`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function formatPeriod(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  return `${seconds / 60}m`;
}

export function formatMetricsTable(result: MetricsResult, color: Colors): string[] {
  const dims = Object.entries(result.dimensions).map(([k, v]) => `${k}=${v}`).join(' ');
  const lines = [`${result.stackName} (${result.region}) ${result.start} .. ${result.end}, one point per ${formatPeriod(result.periodSeconds)}${dims ? `; ${dims}` : ''}`];
  const labelWidth = Math.max(...result.rows.map((r) => r.label.length), 'metric'.length);
  const totals = result.rows.map((r) => formatMetricValue(r.total, r.unit));
  const totalWidth = Math.max(...totals.map((t) => t.length), 'total'.length);
  lines.push(color.dim(`${'metric'.padEnd(labelWidth)}  ${'total'.padStart(totalWidth)}  trend (max)`));
  result.rows.forEach((row, i) => {
    const max = row.points.reduce<number | undefined>((m, v) => (v === null ? m : m === undefined ? v : Math.max(m, v)), undefined);
    const alarming = (row.id === 'errors5xx' || row.id === 'functionErrors' || row.id === 'throttles') && (row.total ?? 0) > 0;
    const total = totals[i]!.padStart(totalWidth);
    lines.push(`${row.label.padEnd(labelWidth)}  ${alarming ? color.red(total) : total}  ${sparkline(row.points, { floor: row.unit === 'ms' ? 'min' : 0 })} ${color.dim(`(${formatMetricValue(max, row.unit)})`)}`);
  });
  return lines;
}
