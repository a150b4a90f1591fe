/** `cli traces` output: a trace's head line, then its segments as an indented waterfall. */
import type { TracesResult, TraceView } from '../observe/traces.js';
import type { Colors } from './reporter.js';

const ms = (v: number | undefined) => (v === undefined ? '?' : `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))} ms`);

export function formatTrace(trace: TraceView, color: Colors): string[] {
  const request = [trace.method, trace.url].filter(Boolean).join(' ');
  const status = trace.status !== undefined ? String(trace.status) : '';
  const failure = trace.failure ? color.red(trace.failure) : '';
  const lines = [[color.bold(trace.id), request, status, ms(trace.durationMs), failure].filter((s) => s !== '').join('  ')];
  const labels = trace.spans.map((s) => `${'  '.repeat(s.depth)}${s.name}`);
  const width = Math.max(0, ...labels.map((l) => l.length));
  trace.spans.forEach((span, i) => {
    const timing = `+${ms(span.offsetMs)}`.padStart(10) + ` ${ms(span.durationMs).padStart(9)}`;
    const extra = [span.kind ? color.dim(span.kind) : '', span.status !== undefined ? String(span.status) : '', span.failure ? color.red(span.failure) : ''].filter((s) => s !== '').join(' ');
    lines.push(`  ${labels[i]!.padEnd(width)} ${timing}${extra ? '  ' + extra : ''}`);
  });
  return lines;
}

export function formatTracesResult(result: TracesResult, color: Colors): string[] {
  const lines = [`${result.stackName} (${result.region}) ${result.start} .. ${result.end}: ${result.traceCount} trace${result.traceCount === 1 ? '' : 's'}${result.filter ? ` matching ${result.filter}` : ''}`];
  const section = (title: string, traces: TraceView[]) => {
    lines.push('', color.bold(title) + (traces.length === 0 ? ': none' : ':'));
    for (const t of traces) lines.push(...formatTrace(t, color));
  };
  section('Slowest', result.slowest);
  section('Failed', result.failed);
  return lines;
}
