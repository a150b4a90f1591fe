/** X-Ray reads for `cli traces`: trace summaries of a time range, then the traces themselves. */
import { BatchGetTracesCommand, GetTraceSummariesCommand, type XRayClient } from '@aws-sdk/client-xray';

export interface TraceSummary {
  id: string;
  /** Seconds from the root segment's start to the last segment's end. */
  durationSeconds?: number;
  /** Seconds the root segment took. */
  responseTimeSeconds?: number;
  hasError: boolean;
  hasFault: boolean;
  hasThrottle: boolean;
  http?: { method?: string; url?: string; status?: number };
}

export interface TraceDocument {
  id: string;
  /** Seconds, as X-Ray reports it (BatchGetTraces Trace.Duration). */
  durationSeconds?: number;
  /** Each segment document, parsed (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html). */
  segments: unknown[];
}

export interface TraceApi {
  /** Summaries of the traces in [start, end], filtered by an X-Ray filter expression. */
  summaries(range: { start: Date; end: Date; filter?: string }): Promise<TraceSummary[]>;
  /** The traces with these ids; unknown ids are left out. */
  traces(ids: string[]): Promise<TraceDocument[]>;
}

/** BatchGetTraces takes at most 5 trace ids a call (https://docs.aws.amazon.com/xray/latest/api/API_BatchGetTraces.html). */
const IDS_PER_CALL = 5;

export function createXRayTraceApi(client: XRayClient): TraceApi {
  return {
    async summaries(range) {
      const summaries: TraceSummary[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(new GetTraceSummariesCommand({ StartTime: range.start, EndTime: range.end, FilterExpression: range.filter, NextToken: token }));
        for (const s of out.TraceSummaries ?? []) {
          if (!s.Id) continue;
          const http = s.Http && (s.Http.HttpMethod || s.Http.HttpURL || s.Http.HttpStatus !== undefined) ? { method: s.Http.HttpMethod, url: s.Http.HttpURL, status: s.Http.HttpStatus } : undefined;
          summaries.push({
            id: s.Id,
            durationSeconds: s.Duration,
            responseTimeSeconds: s.ResponseTime,
            hasError: s.HasError === true,
            hasFault: s.HasFault === true,
            hasThrottle: s.HasThrottle === true,
            ...(http ? { http } : {}),
          });
        }
        token = out.NextToken;
      } while (token);
      return summaries;
    },

    async traces(ids) {
      const traces: TraceDocument[] = [];
      for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
        let token: string | undefined;
        do {
          const out = await client.send(new BatchGetTracesCommand({ TraceIds: ids.slice(i, i + IDS_PER_CALL), NextToken: token }));
          for (const t of out.Traces ?? []) {
            if (!t.Id) continue;
            traces.push({ id: t.Id, durationSeconds: t.Duration, segments: (t.Segments ?? []).map((s) => parseDocument(s.Document)).filter((d) => d !== undefined) });
          }
          token = out.NextToken;
        } while (token);
      }
      return traces;
    },
  };
}

function parseDocument(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
