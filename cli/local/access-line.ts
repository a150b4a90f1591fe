/**
 * `cli dev`'s access line: method, path, status and total time, then where the time went
 * (gateway: the emulator's own work around the invocation; function: the invocation in its
 * execution environment; DynamoDB: the part of it the function waited on DynamoDB, measured in
 * the worker) and the request's trace id, which the function also has as _X_AMZN_TRACE_ID. Pure.
 */
import type { Colors } from '../ui/reporter.js';
import type { DynamoTiming } from './dynamodb-timer.js';

export interface RequestTiming {
  /** The invocation as the execution environment measured it; undefined when none ran (a refusal, a timeout). */
  functionMs?: number;
  dynamodb?: DynamoTiming;
}

const ms = (v: number) => v.toFixed(1);

export function formatAccessLine(
  request: { method: string; rawUrl: string; trace: string },
  statusCode: number,
  totalMs: number,
  timing: RequestTiming | undefined,
  color: Colors,
): string {
  const code = statusCode >= 500 ? color.red(String(statusCode)) : statusCode >= 400 ? color.yellow(String(statusCode)) : color.green(String(statusCode));
  const parts: string[] = [];
  if (timing?.functionMs !== undefined) {
    parts.push(`gateway ${ms(Math.max(0, totalMs - timing.functionMs))}`, `function ${ms(timing.functionMs)}`);
    if (timing.dynamodb && timing.dynamodb.calls > 0) parts.push(`DynamoDB ${ms(timing.dynamodb.ms)} (${timing.dynamodb.calls} call${timing.dynamodb.calls === 1 ? '' : 's'})`);
  }
  const split = parts.length > 0 ? ` ${color.dim(`[${parts.join(' | ')}]`)}` : '';
  const root = /Root=([^;]+)/.exec(request.trace)?.[1] ?? request.trace;
  return `${request.method} ${request.rawUrl} ${code} ${ms(totalMs)} ms${split} ${color.dim(`trace ${root}`)}`;
}
