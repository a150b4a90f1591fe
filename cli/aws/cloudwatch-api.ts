/** CloudWatch reads for `cli metrics` (GetMetricData) and `cli status` (DescribeAlarms). */
import { DescribeAlarmsCommand, GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

export interface MetricQuery {
  /** GetMetricData query id: lower-case letter first, then letters, digits, underscores. */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Sum, Average, Maximum, SampleCount, p50, p99... */
  stat: string;
  periodSeconds: number;
}

export interface MetricSeries {
  id: string;
  /** Oldest first. */
  points: { timestamp: Date; value: number }[];
}

export interface AlarmState {
  name: string;
  type: 'MetricAlarm' | 'CompositeAlarm';
  /** OK | ALARM | INSUFFICIENT_DATA */
  state: string;
  reason?: string;
  updated?: Date;
}

export interface CloudWatchApi {
  getMetricData(queries: MetricQuery[], range: { start: Date; end: Date }): Promise<MetricSeries[]>;
  /** The named alarms that exist (metric and composite). */
  describeAlarms(names: string[]): Promise<AlarmState[]>;
}

/** GetMetricData takes at most 500 queries a call; DescribeAlarms at most 100 names. */
const QUERIES_PER_CALL = 500;
const NAMES_PER_CALL = 100;

export function createCloudWatchApi(client: CloudWatchClient): CloudWatchApi {
  return {
    async getMetricData(queries, range) {
      const byId = new Map<string, MetricSeries>();
      for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
        const chunk = queries.slice(i, i + QUERIES_PER_CALL);
        let token: string | undefined;
        do {
          const out = await client.send(
            new GetMetricDataCommand({
              StartTime: range.start,
              EndTime: range.end,
              ScanBy: 'TimestampAscending',
              NextToken: token,
              MetricDataQueries: chunk.map((q) => ({
                Id: q.id,
                MetricStat: {
                  Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })) },
                  Period: q.periodSeconds,
                  Stat: q.stat,
                },
              })),
            }),
          );
          for (const r of out.MetricDataResults ?? []) {
            const id = r.Id ?? '';
            const series = byId.get(id) ?? { id, points: [] };
            byId.set(id, series);
            const timestamps = r.Timestamps ?? [];
            const values = r.Values ?? [];
            for (let k = 0; k < Math.min(timestamps.length, values.length); k++) series.points.push({ timestamp: timestamps[k]!, value: values[k]! });
          }
          token = out.NextToken;
        } while (token);
      }
      return queries.map((q) => {
        const series = byId.get(q.id) ?? { id: q.id, points: [] };
        series.points.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
        return series;
      });
    },

    async describeAlarms(names) {
      const alarms: AlarmState[] = [];
      for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
        let token: string | undefined;
        do {
          const out = await client.send(
            new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + NAMES_PER_CALL), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: token }),
          );
          for (const a of out.MetricAlarms ?? []) alarms.push({ name: a.AlarmName ?? '', type: 'MetricAlarm', state: a.StateValue ?? 'UNKNOWN', reason: a.StateReason, updated: a.StateUpdatedTimestamp });
          for (const a of out.CompositeAlarms ?? []) alarms.push({ name: a.AlarmName ?? '', type: 'CompositeAlarm', state: a.StateValue ?? 'UNKNOWN', reason: a.StateReason, updated: a.StateUpdatedTimestamp });
          token = out.NextToken;
        } while (token);
      }
      return alarms;
    },
  };
}
