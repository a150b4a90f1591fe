/**
 * `cli logs`: the function's CloudWatch Logs. Lambda lines (`<time>\t<request id>\t<LEVEL>\t<message>`,
 * or the JSON log format) and JSON lines are shown as `time LEVEL request-id message` plus the other
 * fields; errors stand out.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { CliError, UsageError } from '../errors.js';
import { withAwsFailures } from '../aws/aws-errors.js';
import type { LogEvent, LogsApi } from '../aws/logs-api.js';
import type { StackApi } from '../aws/stack-api.js';
import type { TemplateValue } from '../template/cfn-template.js';
import { parseTemplate } from '../template/read-template.js';
import type { Colors, Reporter } from '../ui/reporter.js';
import type { Sleep } from '../deploy/progress-poller.js';

/** `10m`, `90s`, `2h`, `1d`, or an ISO date -> epoch ms. */
export function parseSince(value: string, now: number): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (m) return now - Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return date;
  throw new UsageError(`--since "${value}": expected a duration like 30s, 10m, 2h, 1d, or an ISO date`);
}

const LEVEL = /^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t/;
/**
 * What the Node runtime writes for console.*: `${ISO time}\t${requestId}\t${LEVEL}\t${message}`,
 * requestId `undefined` outside an invocation (aws-lambda-nodejs-runtime-interface-client
 * src/LogPatch.js, logTextToStdout; https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html).
 * Lambda's own `<time>\t<requestId>\tTask timed out after ...` has no level.
 */
const LAMBDA_TEXT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\t([^\t]*)\t/;
/** Lambda's system lines in the text format: `START RequestId: <id> Version: $LATEST`, `END RequestId: <id>`, `REPORT RequestId: <id>\tDuration: ...`. */
const PLATFORM_TEXT = /^(START|END|REPORT|INIT_START|INIT_REPORT|RESTORE_START|RESTORE_REPORT|EXTENSION|TELEMETRY) /;

export interface PrettyLine {
  time: string;
  level?: string;
  /** Lambda's request id of the invocation that wrote the line. */
  requestId?: string;
  message: string;
  /** The rest of a JSON line; a `requestId` of its own (API Gateway's, in this handler) stays here. */
  fields?: Record<string, unknown>;
  isError: boolean;
  isPlatform: boolean;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonObject(text: string): JsonObject | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses one log event, in either of Lambda's log formats. Pure.
 * JSON format (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html):
 * console.* lines are `{"timestamp","level","requestId","message"}`, the message being what was
 * logged (a string, or an object; src/LogPatch.js formatJsonMessage), and system lines are
 * Telemetry API events `{"time","type":"platform.start","record":{"requestId",...}}`
 * (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html).
 */
export function parseLogLine(event: LogEvent): PrettyLine {
  const time = new Date(event.timestamp).toISOString();
  const text = event.message.replace(/\n$/, '');
  if (PLATFORM_TEXT.test(text)) {
    return { time, requestId: /RequestId: (\S+)/.exec(text)?.[1], message: text, isError: /Status: (error|timeout|failure)/.test(text), isPlatform: true };
  }
  let level: string | undefined;
  let requestId: string | undefined;
  let body = text;
  const prefix = LAMBDA_TEXT.exec(text);
  if (prefix) {
    requestId = prefix[2] === 'undefined' || prefix[2] === '' ? undefined : prefix[2];
    body = text.slice(prefix[0].length);
    const lv = LEVEL.exec(body);
    if (lv) {
      level = lv[1];
      body = body.slice(lv[0].length);
    }
  }
  let record = jsonObject(body);
  if (record && !prefix) {
    if (typeof record.type === 'string' && record.type.startsWith('platform.') && isObject(record.record)) {
      const { requestId: rid, ...rest } = record.record;
      return {
        time,
        ...(typeof rid === 'string' ? { requestId: rid } : {}),
        message: record.type,
        ...(Object.keys(rest).length > 0 ? { fields: rest } : {}),
        isError: typeof rest.status === 'string' && rest.status !== 'success',
        isPlatform: true,
      };
    }
    if (typeof record.requestId === 'string' && typeof record.level === 'string' && 'timestamp' in record) {
      // Lambda's envelope: its requestId and level; what the function logged is the message.
      const { timestamp: _ts, level: l, requestId: rid, message: logged, ...extra } = record;
      void _ts;
      requestId = rid;
      level = l.toUpperCase();
      const inner = typeof logged === 'string' ? jsonObject(logged) : isObject(logged) ? logged : undefined;
      record = inner ? { ...extra, ...inner } : { ...extra, ...(logged !== undefined ? { message: logged } : {}) };
    }
  }
  let fields: JsonObject | undefined;
  let message = body;
  if (record && isObject(record._aws) && Array.isArray(record._aws.CloudWatchMetrics)) {
    // An embedded-metric-format document (handler/emf.ts): its dimensions and values, without the
    // metric directives. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    const { _aws: _directives, ...values } = record;
    void _directives;
    return { time, level, requestId, message: 'metrics', fields: values, isError: false, isPlatform: false };
  }
  if (record) {
    const { level: l, message: msg, msg: msg2, time: _t, timestamp: _ts, requestId: rid, ...rest } = record;
    void _t;
    void _ts;
    if (typeof l === 'string') level = l.toUpperCase();
    message = typeof msg === 'string' ? msg : typeof msg2 === 'string' ? msg2 : '';
    if (msg !== undefined && typeof msg !== 'string') rest.message = msg;
    if (typeof rid === 'string' && requestId === undefined) requestId = rid;
    // The handler's requestId is API Gateway's (the one in an error body), not Lambda's: kept, first.
    const own = typeof rid === 'string' && rid !== requestId ? { requestId: rid } : {};
    fields = Object.keys(rest).length + Object.keys(own).length > 0 ? { ...own, ...rest } : undefined;
  }
  const isError =
    level === 'ERROR' ||
    level === 'FATAL' ||
    (fields !== undefined && ('errorType' in fields || 'errorMessage' in fields || 'error' in fields)) ||
    /Task timed out|Runtime\.\w+Error/.test(text);
  return { time, level, requestId, message, fields, isError, isPlatform: false };
}

export function formatLogLine(line: PrettyLine, color: Colors): string {
  // A text platform line names its request already.
  const id = line.requestId && !line.message.includes(line.requestId) ? line.requestId + ' ' : '';
  const head = `${color.dim(line.time)} ${line.level ? line.level.padEnd(5) + ' ' : ''}${id}`;
  const rest = line.fields ? ' ' + JSON.stringify(line.fields) : '';
  const text = `${line.message}${rest}`.trim() || '(empty)';
  if (line.isError) return head + color.red(color.bold(text));
  if (line.isPlatform) return head + color.dim(text);
  return head + text;
}

/**
 * `--filter` as sent to FilterLogEvents. CloudWatch Logs: "Enclose exact phrases and terms that
 * include non-alphanumeric characters in double quotation marks"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html), so a
 * bare request id (`9b2e4d10-5c3a-...`) is quoted to match as the one term it is. A pattern with
 * spaces, quotes or an operator (`-x`, `?x`, `{...}`, `[...]`, `%regex%`) is sent as written.
 */
export function filterPattern(value: string): string | undefined {
  const term = value.trim();
  if (term === '') return undefined;
  if (/^[A-Za-z0-9][^\s"]*$/.test(term) && /[^A-Za-z0-9]/.test(term)) return `"${term}"`;
  return term;
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
  return withAwsFailures({ profile: deps.aws.profile }, () => runLogs(options, deps));
}

async function runLogs(options: LogsOptions, deps: LogsDeps): Promise<{ logGroup: string; events: number }> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  let start = parseSince(options.since, now());
  const logGroup = await functionLogGroup(deps.aws.stacks, options.stackName, options.hintFlags);
  const pattern = options.filter !== undefined ? filterPattern(options.filter) : undefined;
  const seen = new Set<string>();
  let count = 0;
  deps.reporter.info(`Logs of ${logGroup}${pattern ? ` matching ${pattern}` : ''}${options.tail ? ' (following; Ctrl-C to stop)' : ''}`);
  for (;;) {
    const events = (await deps.aws.logs.filter({ logGroup, startTime: start, filterPattern: pattern })) ?? [];
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
  if (count === 0 && !options.tail) deps.reporter.info(`No log events since ${options.since}${pattern ? ` matching ${pattern}` : ''}.`);
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
