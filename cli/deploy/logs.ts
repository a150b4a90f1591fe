/**
 * `cli logs`: the function's CloudWatch Logs. Lambda lines (`<time>\t<request id>\t<LEVEL>\t<message>`)
 * and JSON lines are shown as `time LEVEL message` plus the other fields; errors stand out.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { CliError, UsageError } from '../errors.js';
import { awsFailure } from '../aws/aws-errors.js';
import type { LogEvent, LogsApi } from '../aws/logs-api.js';
import type { StackApi } from '../aws/stack-api.js';
import { parseTemplate, type TemplateValue } from '../build/template-yaml.js';
import type { Colors, Reporter } from '../ui/reporter.js';
import type { Sleep } from './progress-poller.js';

/** `10m`, `90s`, `2h`, `1d`, or an ISO date -> epoch ms. */
export function parseSince(value: string, now: number): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (m) return now - Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return date;
  throw new UsageError(`--since "${value}": expected a duration like 30s, 10m, 2h, 1d, or an ISO date`);
}

const LEVELS = /^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)$/;

export interface PrettyLine {
  time: string;
  level?: string;
  requestId?: string;
  message: string;
  fields?: Record<string, unknown>;
  isError: boolean;
  isPlatform: boolean;
}

/** Parses one log event. Pure. */
export function parseLogLine(event: LogEvent): PrettyLine {
  const time = new Date(event.timestamp).toISOString();
  const text = event.message.replace(/\n$/, '');
  const isPlatform = /^(START|END|REPORT|INIT_START|EXTENSION|TELEMETRY) /.test(text);
  let level: string | undefined;
  let requestId: string | undefined;
  let body = text;
  const parts = text.split('\t');
  if (parts.length >= 4 && LEVELS.test(parts[2]!)) {
    requestId = parts[1];
    level = parts[2];
    body = parts.slice(3).join('\t');
  }
  let fields: Record<string, unknown> | undefined;
  let message = body;
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        const { level: l, message: msg, msg: msg2, time: _t, timestamp: _ts, requestId: rid, ...rest } = json as Record<string, unknown>;
        void _t;
        void _ts;
        if (typeof l === 'string') level = l.toUpperCase();
        if (typeof rid === 'string') requestId ??= rid;
        message = typeof msg === 'string' ? msg : typeof msg2 === 'string' ? msg2 : '';
        fields = Object.keys(rest).length > 0 ? rest : undefined;
      }
    } catch {
      // not JSON after all: shown as text
    }
  }
  const isError =
    level === 'ERROR' ||
    level === 'FATAL' ||
    (fields !== undefined && ('errorType' in fields || 'errorMessage' in fields || 'error' in fields)) ||
    /Task timed out|Runtime\.\w+Error|Status: error/.test(text);
  return { time, level, requestId, message, fields, isError, isPlatform };
}

export function formatLogLine(line: PrettyLine, color: Colors): string {
  const head = `${color.dim(line.time)} ${line.level ? line.level.padEnd(5) + ' ' : ''}`;
  const rest = line.fields ? ' ' + JSON.stringify(line.fields) : '';
  const text = `${line.message}${rest}`.trim() || '(empty)';
  if (line.isError) return head + color.red(color.bold(text));
  if (line.isPlatform) return head + color.dim(text);
  return head + text;
}

export interface LogsOptions {
  stackName: string;
  since: string;
  tail?: boolean;
  filter?: string;
  json?: boolean;
  /** Flags to repeat in hints (` --stage dev`). */
  hintFlags?: string;
}

export interface LogsDeps {
  reporter: Reporter;
  aws: { profile?: string; stacks: StackApi; logs: LogsApi };
  now?(): number;
  sleep?: Sleep;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export async function logs(options: LogsOptions, deps: LogsDeps): Promise<{ logGroup: string; events: number }> {
  try {
    return await runLogs(options, deps);
  } catch (err) {
    throw awsFailure(err, { profile: deps.aws.profile });
  }
}

async function runLogs(options: LogsOptions, deps: LogsDeps): Promise<{ logGroup: string; events: number }> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  let start = parseSince(options.since, now());
  const logGroup = await functionLogGroup(deps.aws.stacks, options.stackName, options.hintFlags);
  const seen = new Set<string>();
  let count = 0;
  deps.reporter.info(`Logs of ${logGroup}${options.tail ? ' (following; Ctrl-C to stop)' : ''}`);
  for (;;) {
    const events = (await deps.aws.logs.filter({ logGroup, startTime: start, filterPattern: options.filter })) ?? [];
    for (const event of events) {
      if (seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      count++;
      start = Math.max(start, event.timestamp);
      if (options.json) deps.reporter.result(JSON.stringify({ timestamp: event.timestamp, message: event.message, logStream: event.logStream }));
      else deps.reporter.result(formatLogLine(parseLogLine(event), deps.reporter.color));
    }
    if (!options.tail || deps.signal?.aborted) break;
    try {
      await sleep(deps.pollIntervalMs ?? 2_000, deps.signal);
    } catch {
      break;
    }
  }
  if (count === 0 && !options.tail) deps.reporter.info(`No log events since ${options.since}${options.filter ? ` matching ${options.filter}` : ''}.`);
  return { logGroup, events: count };
}

/**
 * The log group the function writes to: the group its LoggingConfig names (a resource of the
 * stack), else Lambda's default /aws/lambda/<function name>. Found by walking the deployed
 * template, not by logical id.
 */
export async function functionLogGroup(stacks: StackApi, stackName: string, hintFlags = ''): Promise<string> {
  const stack = await stacks.describeStack(stackName);
  if (!stack) throw new CliError(`Stack ${stackName} does not exist`, { details: [`Deploy it first: npx cli deploy${hintFlags}`] });
  const resources = await stacks.listResources(stack.stackId);
  const fn = resources.find((r) => r.resourceType === 'AWS::Lambda::Function');
  if (!fn?.physicalId) throw new CliError(`Stack ${stackName} has no Lambda function`);
  const template = parseTemplate(await stacks.getTemplate(stack.stackId), { file: 'deployed template' });
  const logGroup = (template.Resources[fn.logicalId]?.Properties?.LoggingConfig as Record<string, TemplateValue> | undefined)?.LogGroup;
  if (logGroup && typeof logGroup === 'object' && !Array.isArray(logGroup) && typeof logGroup.Ref === 'string') {
    const physical = resources.find((r) => r.logicalId === (logGroup.Ref as string))?.physicalId;
    if (physical) return physical;
  }
  if (typeof logGroup === 'string') return logGroup;
  return `/aws/lambda/${fn.physicalId}`;
}
