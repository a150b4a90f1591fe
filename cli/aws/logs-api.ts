/** CloudWatch Logs reads for `cli logs`. */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsErrorName } from './aws-errors.js';

export interface LogEvent {
  eventId: string;
  timestamp: number;
  message: string;
  logStream?: string;
}

export interface LogQuery {
  logGroup: string;
  startTime: number;
  endTime?: number;
  /** A CloudWatch Logs filter pattern. */
  filterPattern?: string;
  /** Stop after this many events. */
  limit?: number;
}

export interface LogsApi {
  /** Events in time order; `undefined` when the log group does not exist (yet). */
  filter(query: LogQuery): Promise<LogEvent[] | undefined>;
}

export function createCloudWatchLogsApi(client: CloudWatchLogsClient): LogsApi {
  return {
    async filter(query) {
      const events: LogEvent[] = [];
      let token: string | undefined;
      try {
        do {
          const out = await client.send(
            new FilterLogEventsCommand({
              logGroupName: query.logGroup,
              startTime: query.startTime,
              endTime: query.endTime,
              filterPattern: query.filterPattern,
              nextToken: token,
            }),
          );
          for (const e of out.events ?? []) {
            events.push({ eventId: e.eventId ?? `${e.timestamp}-${events.length}`, timestamp: e.timestamp ?? 0, message: e.message ?? '', logStream: e.logStreamName });
            if (query.limit !== undefined && events.length >= query.limit) return sortByTime(events);
          }
          token = out.nextToken;
        } while (token);
      } catch (err) {
        if (awsErrorName(err) === 'ResourceNotFoundException') return undefined;
        throw err;
      }
      return sortByTime(events);
    },
  };
}

function sortByTime(events: LogEvent[]): LogEvent[] {
  return events.sort((a, b) => a.timestamp - b.timestamp);
}
