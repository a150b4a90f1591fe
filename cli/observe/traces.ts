/**
 * `cli traces`: the slowest and the failed recent requests of the stack, each with its segment
 * timings, from X-Ray GetTraceSummaries (filtered to the stack's API stage, or its function) and
 * BatchGetTraces. Turning segment documents into timing rows is pure and unit-tested.
 */
import { withAwsFailures } from '../aws/aws-errors.js';
import type { ApiKeyApi } from '../aws/data-api.js';
import type { StackApi } from '../aws/stack-api.js';
import type { TraceApi, TraceDocument, TraceSummary } from '../aws/xray-api.js';
import { CliError, UsageError } from '../errors.js';
import { parseSince } from '../stack/logs.js';
import { monitoredStack } from './monitored-stack.js';

/** X-Ray keeps traces 30 days (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-traces). */
export const TRACE_RETENTION_MS = 30 * 86_400_000;
/**
 * GetTraceSummaries is asked in windows of at most 6 hours, so a long --since stays within what
 * one call accepts (https://docs.aws.amazon.com/xray/latest/api/API_GetTraceSummaries.html states no
 * maximum range; a wide one is slow to scan).
 */
const WINDOW_MS = 6 * 3_600_000;
/** `1-<8 hex: epoch seconds>-<24 hex>` (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids). */
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

export interface SpanView {
  depth: number;
  name: string;
  /** The segment's origin (AWS::Lambda::Function) or a subsegment's namespace and operation (aws DynamoDB.GetItem). */
  kind?: string;
  /** From the start of the trace. */
  offsetMs: number;
  durationMs?: number;
  status?: number;
  failure?: 'fault' | 'error' | 'throttle';
}

export interface TraceView {
  id: string;
  durationMs?: number;
  method?: string;
  url?: string;
  status?: number;
  failure?: 'fault' | 'error' | 'throttle';
  spans: SpanView[];
}

export interface TracesResult {
  stackName: string;
  region: string;
  start: string;
  end: string;
  /** The X-Ray filter expression the summaries were asked with. */
  filter?: string;
  /** How many traces the window held. */
  traceCount: number;
  slowest: TraceView[];
  failed: TraceView[];
}

export interface TracesOptions {
  stackName: string;
  since: string;
  /** One trace by id, instead of the window's slowest and failed. */
  id?: string;
  /** How many slowest and how many failed traces. */
  limit?: number;
  hintFlags?: string;
}

export interface TracesDeps {
  aws: { region: string; profile?: string; stacks: StackApi; traces: TraceApi; apiKeys: Pick<ApiKeyApi, 'restApiName'> };
  now?(): number;
}

export function checkTraceId(id: string): string {
  const trimmed = id.trim();
  if (!TRACE_ID.test(trimmed)) throw new UsageError(`--id "${id.slice(0, 80)}" is not an X-Ray trace id: expected 1-<8 hex digits>-<24 hex digits>, e.g. 1-58406520-a006649127e371903a2de979 (the Root= part of an X-Amzn-Trace-Id header)`);
  return trimmed;
}

export async function stackTraces(options: TracesOptions, deps: TracesDeps): Promise<TracesResult> {
  const now = (deps.now ?? Date.now)();
  const id = options.id !== undefined ? checkTraceId(options.id) : undefined;
  const start = parseSince(options.since, now);
  if (!(start < now)) throw new UsageError(`--since "${options.since}" is not in the past: give a duration such as 15m, 1h, or an earlier ISO date`);
  if (start < now - TRACE_RETENTION_MS) throw new UsageError(`--since "${options.since}" is older than X-Ray keeps traces (30 days): give a shorter duration such as 1d`);
  const limit = options.limit ?? 5;
  return withAwsFailures({ profile: deps.aws.profile, region: deps.aws.region }, async () => {
    const target = await monitoredStack(deps.aws.stacks, deps.aws.apiKeys, { stackName: options.stackName, hintFlags: options.hintFlags, region: deps.aws.region });
    const base = { stackName: target.stack.stackName, region: deps.aws.region, start: new Date(start).toISOString(), end: new Date(now).toISOString() };
    if (id !== undefined) {
      const [trace] = await deps.aws.traces.traces([id]);
      if (!trace) throw new CliError(`Trace ${id} not found`, { details: ['X-Ray keeps traces 30 days, and only sampled requests are traced; check the id and the region.'] });
      const view = traceView(trace);
      return { ...base, traceCount: 1, slowest: [view], failed: view.failure ? [view] : [] };
    }
    // API Gateway names its segment <api name>/<stage> (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-understanding-xray-traces.html).
    const service = target.apiName && target.stage ? `${target.apiName}/${target.stage}` : target.functionName;
    const filter = service ? `service("${service.replace(/["\\]/g, '')}")` : undefined;
    const summaries: TraceSummary[] = [];
    for (let from = start; from < now; from += WINDOW_MS) {
      summaries.push(...(await deps.aws.traces.summaries({ start: new Date(from), end: new Date(Math.min(now, from + WINDOW_MS)), filter })));
    }
    const { slowest, failed } = pickTraces(summaries, limit);
    const ids = [...new Set([...slowest, ...failed].map((s) => s.id))];
    const views = new Map((await deps.aws.traces.traces(ids)).map((t) => [t.id, traceView(t)]));
    const view = (s: TraceSummary): TraceView => views.get(s.id) ?? { id: s.id, durationMs: secondsToMs(s.durationSeconds), ...summaryHttp(s), failure: summaryFailure(s), spans: [] };
    return { ...base, ...(filter ? { filter } : {}), traceCount: summaries.length, slowest: slowest.map(view), failed: failed.map(view) };
  });
}

function summaryFailure(s: TraceSummary): TraceView['failure'] {
  return s.hasFault ? 'fault' : s.hasThrottle ? 'throttle' : s.hasError ? 'error' : undefined;
}

function summaryHttp(s: TraceSummary): Pick<TraceView, 'method' | 'url' | 'status'> {
  return { ...(s.http?.method ? { method: s.http.method } : {}), ...(s.http?.url ? { url: s.http.url } : {}), ...(s.http?.status !== undefined ? { status: s.http.status } : {}) };
}

/** The `limit` slowest traces, and the `limit` newest failed ones (fault, error or throttle). Pure. */
export function pickTraces(summaries: readonly TraceSummary[], limit: number): { slowest: TraceSummary[]; failed: TraceSummary[] } {
  const unique = [...new Map(summaries.map((s) => [s.id, s])).values()];
  const slowest = [...unique].sort((a, b) => (b.durationSeconds ?? 0) - (a.durationSeconds ?? 0)).slice(0, limit);
  // The id's second part is the request's start, in epoch seconds (hex).
  const failed = unique.filter((s) => summaryFailure(s) !== undefined).sort((a, b) => b.id.localeCompare(a.id)).slice(0, limit);
  return { slowest, failed };
}

const secondsToMs = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000 * 10) / 10);

interface SpanNode {
  id: string;
  parentId?: string;
  doc: Record<string, unknown>;
  children: SpanNode[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * A trace's segments and subsegments as one tree (a segment's `parent_id` names the subsegment
 * that called it, an independent subsegment's the segment it belongs to), flattened depth first,
 * siblings by start time. Pure; every node is visited once.
 */
export function traceView(trace: TraceDocument): TraceView {
  const nodes = new Map<string, SpanNode>();
  const collect = (doc: Record<string, unknown>, parentId: string | undefined) => {
    const id = str(doc.id);
    if (id === undefined || nodes.has(id)) return;
    const node: SpanNode = { id, parentId: str(doc.parent_id) ?? parentId, doc, children: [] };
    nodes.set(id, node);
    for (const sub of Array.isArray(doc.subsegments) ? doc.subsegments : []) if (isObject(sub)) collect(sub, id);
  };
  for (const segment of trace.segments) if (isObject(segment)) collect(segment, undefined);
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId !== undefined ? nodes.get(node.parentId) : undefined;
    (parent && parent !== node ? parent.children : roots).push(node);
  }
  const startOf = (n: SpanNode) => num(n.doc.start_time) ?? Number.POSITIVE_INFINITY;
  const traceStart = Math.min(...[...nodes.values()].map(startOf));
  const spans: SpanView[] = [];
  const seen = new Set<string>();
  const walk = (list: SpanNode[], depth: number) => {
    for (const node of [...list].sort((a, b) => startOf(a) - startOf(b))) {
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      spans.push(spanView(node.doc, depth, traceStart));
      walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  const root = roots.filter((r) => num(r.doc.start_time) !== undefined).sort((a, b) => startOf(a) - startOf(b))[0];
  const ends = [...nodes.values()].map((n) => num(n.doc.end_time)).filter((e) => e !== undefined);
  const rootSpan = root ? spanView(root.doc, 0, traceStart) : undefined;
  const http = root && isObject(root.doc.http) ? root.doc.http : undefined;
  const request = http && isObject(http.request) ? http.request : undefined;
  const failure = spans.find((s) => s.failure === 'fault')?.failure ?? spans.find((s) => s.failure === 'throttle')?.failure ?? spans.find((s) => s.failure)?.failure;
  const durationMs = trace.durationSeconds !== undefined && trace.durationSeconds > 0 ? secondsToMs(trace.durationSeconds) : ends.length > 0 && Number.isFinite(traceStart) ? secondsToMs(Math.max(...ends) - traceStart) : undefined;
  return {
    id: trace.id,
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(request && str(request.method) ? { method: str(request.method) } : {}),
    ...(request && str(request.url) ? { url: str(request.url) } : {}),
    ...(rootSpan?.status !== undefined ? { status: rootSpan.status } : {}),
    ...(failure ? { failure } : {}),
    spans,
  };
}

function spanView(doc: Record<string, unknown>, depth: number, traceStart: number): SpanView {
  const start = num(doc.start_time);
  const end = num(doc.end_time);
  const aws = isObject(doc.aws) ? doc.aws : undefined;
  const operation = aws ? str(aws.operation) : undefined;
  const kind = str(doc.origin) ?? (str(doc.namespace) ? `${str(doc.namespace)}${operation ? ` ${operation}` : ''}` : undefined);
  const http = isObject(doc.http) ? doc.http : undefined;
  const response = http && isObject(http.response) ? http.response : undefined;
  const status = response ? num(response.status) : undefined;
  const failure = doc.fault === true ? 'fault' : doc.throttle === true ? 'throttle' : doc.error === true ? 'error' : undefined;
  return {
    depth,
    name: str(doc.name) ?? '(unnamed)',
    ...(kind ? { kind } : {}),
    offsetMs: start !== undefined && Number.isFinite(traceStart) ? secondsToMs(start - traceStart)! : 0,
    ...(start !== undefined && end !== undefined ? { durationMs: secondsToMs(end - start) } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(failure ? { failure } : {}),
  };
}
