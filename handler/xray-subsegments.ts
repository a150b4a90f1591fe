/**
 * DynamoDB calls as X-Ray subsegments, sent by hand to the X-Ray daemon that Lambda runs when
 * active tracing is on: one UDP datagram per call, `{"format":"json","version":1}\n` and a
 * standalone subsegment document. Written by hand because both libraries that do it cost more
 * cold start than the whole rest of the handler's instrumentation (measured: README "Monitoring").
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-daemon
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
 *
 * Without AWS_XRAY_DAEMON_ADDRESS (locally, in tests) the emitter is a no-op: no socket, no
 * node:dgram, nothing sent. A request that is not sampled sends nothing either.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import type { DynamoDbCall } from './dynamodb-call.js';
import type { TraceHeader } from './trace-header.js';

export interface SubsegmentEmitter {
  emit(call: DynamoDbCall, trace: TraceHeader | undefined): void;
}

export interface DaemonAddress {
  host: string;
  port: number;
}

/** The standalone subsegment document of one call (segment document fields of the page above). */
export interface SubsegmentDocument {
  name: 'DynamoDB';
  id: string;
  trace_id: string;
  parent_id: string;
  type: 'subsegment';
  namespace: 'aws';
  start_time: number;
  end_time: number;
  error?: true;
  throttle?: true;
  fault?: true;
  http?: { response: { status: number } };
  aws: { operation: string; table_name: string; region?: string; request_id?: string; retries: number };
}

const HEADER = '{"format":"json","version":1}\n';
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/**
 * `host:port`, or the daemon's two-protocol form `tcp:host:port udp:host:port` (the UDP part is
 * used). https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-nodejs-configuration.html#xray-sdk-nodejs-configuration-envvars
 */
export function parseDaemonAddress(value: string | undefined): DaemonAddress | undefined {
  if (!value) return undefined;
  const udp = /(?:^|\s)udp:(\S+)/.exec(value)?.[1] ?? (/^\S+$/.test(value) && !value.startsWith('tcp:') ? value : undefined);
  const m = udp ? /^(.+):(\d{1,5})$/.exec(udp) : null;
  if (!m) return undefined;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port } : undefined;
}

export function subsegmentDocument(call: DynamoDbCall, trace: TraceHeader & { parent: string }, region: string | undefined, id = randomBytes(8).toString('hex')): SubsegmentDocument {
  const status = call.httpStatus;
  const throttled = call.errorName !== undefined && THROTTLING.has(call.errorName);
  return {
    name: 'DynamoDB',
    id,
    trace_id: trace.root,
    parent_id: trace.parent,
    type: 'subsegment',
    namespace: 'aws',
    start_time: call.startedAt / 1000,
    end_time: call.endedAt / 1000,
    // "error: 4XX Client Error", "throttle: 429 Too Many Requests", "fault: 5XX Server Error".
    ...(status !== undefined && status >= 400 && status < 500 && { error: true as const }),
    ...(throttled && { throttle: true as const }),
    ...((status === undefined ? call.errorName !== undefined : status >= 500) && { fault: true as const }),
    ...(status !== undefined && { http: { response: { status } } }),
    aws: {
      operation: call.operation,
      table_name: call.table,
      ...(region && { region }),
      ...(call.awsRequestId && { request_id: call.awsRequestId }),
      retries: call.retries,
    },
  };
}

const SILENT: SubsegmentEmitter = { emit: () => undefined };

/**
 * The emitter for this environment. The socket is made on the first sampled call and unref'd, so
 * it never keeps the process alive; a send that fails is dropped (tracing must not fail a request).
 */
export function createSubsegmentEmitter(env: NodeJS.ProcessEnv): SubsegmentEmitter {
  const address = parseDaemonAddress(env.AWS_XRAY_DAEMON_ADDRESS);
  if (!address) return SILENT;
  const region = env.AWS_REGION;
  let socket: Socket | undefined;
  return {
    emit(call, trace) {
      if (!trace?.sampled || !trace.parent) return;
      const datagram = HEADER + JSON.stringify(subsegmentDocument(call, { ...trace, parent: trace.parent }, region));
      try {
        if (!socket) {
          const { createSocket } = process.getBuiltinModule('node:dgram') as typeof import('node:dgram');
          socket = createSocket(address.host.includes(':') ? 'udp6' : 'udp4');
          socket.on('error', () => undefined);
          socket.unref();
        }
        socket.send(datagram, address.port, address.host, () => undefined);
      } catch {
        // A daemon that is not there must not fail the request.
      }
    },
  };
}
