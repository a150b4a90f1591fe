/**
 * Inside an execution environment (lambda-worker.ts): how long an invocation waited on DynamoDB.
 * Node's HTTP client publishes every request on diagnostics_channel
 * (https://nodejs.org/api/diagnostics_channel.html#http), in the thread that makes it, whatever
 * SDK version or client instance the handler uses; a DynamoDB call is one carrying the JSON
 * protocol's `X-Amz-Target: DynamoDB_20120810.<Operation>` header
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html).
 * A call lasts from the request's start to the end of its response body; overlapping calls count
 * once (the time the invocation had at least one call open).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

export interface DynamoTiming {
  calls: number;
  ms: number;
}

interface Call {
  start: number;
  end?: number;
}

export interface DynamoTimer {
  /** Starts counting the calls of a new invocation. */
  begin(): void;
  /** The invocation's calls so far (open ones up to now), and stops counting. */
  end(): DynamoTiming;
}

export function startDynamoTimer(now: () => number = () => performance.now()): DynamoTimer {
  let current: Call[] | undefined;
  const open = new WeakMap<ClientRequest, Call>();
  const isDynamo = (req: ClientRequest) => {
    const target = req.getHeader('x-amz-target');
    return typeof target === 'string' && target.startsWith('DynamoDB_');
  };
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    if (!current || !isDynamo(request)) return;
    const call: Call = { start: now() };
    current.push(call);
    open.set(request, call);
    const close = () => (call.end ??= now());
    request.once('error', close);
    request.once('close', close);
  });
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const call = open.get(request);
    if (!call) return;
    // An 'end' listener does not switch the stream to flowing mode: the SDK still reads the body.
    response.once('end', () => (call.end ??= now()));
  });
  return {
    begin() {
      current = [];
    },
    end() {
      const calls = current ?? [];
      current = undefined;
      return { calls: calls.length, ms: unionMs(calls, now()) };
    },
  };
}

/** Total length of the union of the intervals (linear after the sort). */
export function unionMs(calls: readonly Call[], until: number): number {
  const spans = calls.map((c) => [c.start, c.end ?? until] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const [s, e] of spans) {
    if (s > to) {
      if (to > from) total += to - from;
      from = s;
      to = e;
    } else if (e > to) to = e;
  }
  if (to > from) total += to - from;
  return Math.round(total * 10) / 10;
}
