/**
 * `cli metrics`: the stack's request, error, latency and throttle figures over a recent window,
 * from CloudWatch GetMetricData. Each figure is asked for twice: per period (the sparkline) and
 * over the whole window in one period (the total, and percentiles that cannot be summed from
 * the periods).
 */
import { withAwsFailures } from '../aws/aws-errors.js';
import type { CloudWatchApi, MetricQuery } from '../aws/cloudwatch-api.js';
import type { ApiKeyApi } from '../aws/data-api.js';
import type { StackApi } from '../aws/stack-api.js';
import { CliError, UsageError } from '../errors.js';
import { parseSince } from '../stack/logs.js';
import { monitoredStack } from './monitored-stack.js';

export type MetricUnit = 'count' | 'ms';

export interface MetricDefinition {
  id: string;
  label: string;
  namespace: string;
  metricName: string;
  stat: string;
  unit: MetricUnit;
  /** Which resource's dimensions it takes. */
  of: 'api' | 'function';
}

/**
 * API Gateway publishes Count, 4XXError, 5XXError and Latency per ApiName and Stage
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html);
 * Lambda publishes Errors, Throttles and Duration per FunctionName
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html). API Gateway's own
 * throttling (429) is part of 4XXError: it has no metric of its own.
 */
export const METRICS: readonly MetricDefinition[] = [
  { id: 'requests', label: 'requests', namespace: 'AWS/ApiGateway', metricName: 'Count', stat: 'Sum', unit: 'count', of: 'api' },
  { id: 'errors4xx', label: '4xx', namespace: 'AWS/ApiGateway', metricName: '4XXError', stat: 'Sum', unit: 'count', of: 'api' },
  { id: 'errors5xx', label: '5xx', namespace: 'AWS/ApiGateway', metricName: '5XXError', stat: 'Sum', unit: 'count', of: 'api' },
  { id: 'latencyP50', label: 'latency p50', namespace: 'AWS/ApiGateway', metricName: 'Latency', stat: 'p50', unit: 'ms', of: 'api' },
  { id: 'latencyP99', label: 'latency p99', namespace: 'AWS/ApiGateway', metricName: 'Latency', stat: 'p99', unit: 'ms', of: 'api' },
  { id: 'functionErrors', label: 'function errors', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', unit: 'count', of: 'function' },
  { id: 'throttles', label: 'throttles', namespace: 'AWS/Lambda', metricName: 'Throttles', stat: 'Sum', unit: 'count', of: 'function' },
  { id: 'durationP99', label: 'duration p99', namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'p99', unit: 'ms', of: 'function' },
];

const MINUTE = 60_000;
const DAY = 86_400_000;
/** CloudWatch keeps data points for 15 months (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention). */
export const METRICS_RETENTION_MS = 455 * DAY;
/** At most this many points per sparkline. */
const MAX_POINTS = 60;
const PERIODS = [60, 300, 900, 3_600, 21_600, 86_400];

/**
 * The smallest period (seconds) that keeps the window to at most MAX_POINTS points and that
 * CloudWatch still has for data this old: 1-minute points are kept 15 days, 5-minute points 63
 * days, then hourly points (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
 */
export function choosePeriod(spanMs: number, ageMs: number): number {
  const floor = ageMs > 63 * DAY ? 3_600 : ageMs > 15 * DAY ? 300 : 60;
  return PERIODS.find((p) => p >= floor && spanMs / (p * 1000) <= MAX_POINTS) ?? PERIODS[PERIODS.length - 1]!;
}

/** `--since` for metrics: a duration or a date in the past, within CloudWatch's retention. */
export function metricsWindow(since: string, now: number): { start: number; end: number } {
  const start = parseSince(since, now);
  if (!(start < now - MINUTE / 60)) throw new UsageError(`--since "${since}" is not in the past: give a duration such as 15m, 1h, 1d, or an earlier ISO date`);
  if (start < now - METRICS_RETENTION_MS) throw new UsageError(`--since "${since}" is older than CloudWatch keeps metrics (455 days): give a shorter duration such as 7d`);
  return { start, end: now };
}

export interface MetricRow extends Omit<MetricDefinition, 'of'> {
  /** Over the whole window (sum of counts, percentile of all latencies); undefined: no data. */
  total?: number;
  /** One value per period, oldest first; null where CloudWatch has no data point. */
  points: (number | null)[];
}

export interface MetricsResult {
  stackName: string;
  region: string;
  start: string;
  end: string;
  periodSeconds: number;
  dimensions: { ApiName?: string; Stage?: string; FunctionName?: string };
  rows: MetricRow[];
}

export interface MetricsDeps {
  aws: { region: string; profile?: string; stacks: StackApi; cloudwatch: CloudWatchApi; apiKeys: Pick<ApiKeyApi, 'restApiName'> };
  now?(): number;
}

export async function stackMetrics(options: { stackName: string; since: string; hintFlags?: string }, deps: MetricsDeps): Promise<MetricsResult> {
  const now = (deps.now ?? Date.now)();
  const window = metricsWindow(options.since, now);
  return withAwsFailures({ profile: deps.aws.profile, region: deps.aws.region }, async () => {
    const target = await monitoredStack(deps.aws.stacks, deps.aws.apiKeys, { stackName: options.stackName, hintFlags: options.hintFlags, region: deps.aws.region });
    const dims = {
      api: target.apiName && target.stage ? { ApiName: target.apiName, Stage: target.stage } : undefined,
      function: target.functionName ? { FunctionName: target.functionName } : undefined,
    };
    if (!dims.api && !dims.function) throw new CliError(`Stack ${options.stackName} has neither a REST API stage nor a Lambda function to show metrics of`);
    const periodSeconds = choosePeriod(window.end - window.start, now - window.start);
    // Period-aligned bounds, as GetMetricData advises for speed and for stable buckets.
    const periodMs = periodSeconds * 1000;
    const start = Math.floor(window.start / periodMs) * periodMs;
    const end = Math.ceil(window.end / periodMs) * periodMs;
    const buckets = Math.max(1, Math.round((end - start) / periodMs));
    const totalPeriod = buckets * periodSeconds;
    const defs = METRICS.filter((m) => dims[m.of] !== undefined);
    const queries: MetricQuery[] = defs.flatMap((m) => {
      const base = { namespace: m.namespace, metricName: m.metricName, dimensions: dims[m.of]!, stat: m.stat };
      return [
        { ...base, id: `${m.id.toLowerCase()}_series`, periodSeconds },
        { ...base, id: `${m.id.toLowerCase()}_total`, periodSeconds: totalPeriod },
      ];
    });
    const series = new Map((await deps.aws.cloudwatch.getMetricData(queries, { start: new Date(start), end: new Date(end) })).map((s) => [s.id, s]));
    const rows = defs.map((m): MetricRow => {
      const points: (number | null)[] = new Array<number | null>(buckets).fill(null);
      for (const p of series.get(`${m.id.toLowerCase()}_series`)?.points ?? []) {
        const i = Math.floor((p.timestamp.getTime() - start) / periodMs);
        if (i >= 0 && i < buckets) points[i] = (points[i] ?? 0) + p.value;
      }
      const totals = series.get(`${m.id.toLowerCase()}_total`)?.points ?? [];
      const total = totals.length === 0 ? undefined : m.unit === 'count' ? totals.reduce((sum, p) => sum + p.value, 0) : Math.max(...totals.map((p) => p.value));
      const { of: _of, ...definition } = m;
      void _of;
      return { ...definition, ...(total !== undefined ? { total } : {}), points };
    });
    return {
      stackName: target.stack.stackName,
      region: deps.aws.region,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      periodSeconds,
      dimensions: { ...dims.api, ...dims.function },
      rows,
    };
  });
}
