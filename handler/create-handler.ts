/**
 * The Lambda proxy handler: routing, the error-to-response edge, and per request one log line,
 * one EMF metrics document and an X-Ray subsegment per DynamoDB call. The document client and
 * table are injected, so tests and `cli dev` run the same code against a local store.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerIdentity, type Caller } from './caller-identity.js';
import { hasExactNumbers, type DocumentClient } from './document-client.js';
import { dynamoDbManager, RPC_BODY_BUDGET } from './dynamodb-manager.js';
import { corsHeaders } from './cors.js';
import type { DynamoDbCall } from './dynamodb-call.js';
import { emfDocument, UNMATCHED_ROUTE, type EmfDocument } from './emf.js';
import { BadRequestError, ConfigurationError, HttpError, MethodNotAllowedError, RouteNotFoundError } from './errors.js';
import { jsonResponse, readJsonBody } from './http.js';
import type { Table } from './item-store.js';
import { checkKeyValue } from './item-key.js';
import { createItem, listItems, patchItem, readItem, removeItem, replaceItem } from './items-api.js';
import { createLogOutput, type LogLevel } from './log-output.js';
import { currentTraceHeader } from './trace-header.js';
import { createSubsegmentEmitter, type SubsegmentEmitter } from './xray-subsegments.js';

/**
 * The request's log line. Its fields are top-level JSON (see log-output.ts), named as Lambda
 * names its own: `timestamp`, `level`, `requestId` (Lambda's), so CloudWatch Logs Insights
 * queries and `cli logs` read this line and the runtime's alike. Never item contents or tokens.
 */
export interface LogLine {
  timestamp: string;
  level: Extract<LogLevel, 'INFO' | 'WARN' | 'ERROR'>;
  /** `route status`, for a reader. */
  message: string;
  /** Lambda's request id (context.awsRequestId). */
  requestId?: string;
  /** API Gateway's request id: the one in error bodies and in the access log. */
  apiRequestId?: string;
  /** The X-Ray trace id (Root of the trace header). */
  traceId?: string;
  /** `METHOD /resource`, e.g. `GET /items/{id}` (the template, never the id). */
  route: string;
  /** The RPC operation of `POST /DynamoDBManager`, once known. */
  operation?: string;
  status: number;
  durationMs: number;
  /** Who called (caller-identity.ts), when the event says. */
  caller?: Caller;
  /** Time spent in DynamoDB calls. */
  dynamodbMs?: number;
  /** Only on 5xx: what went wrong, for the operator. Never item contents. */
  error?: { name: string; message: string; stack?: string };
}

export interface HandlerOptions {
  /**
   * A lib-dynamodb document client made by `createDocumentClient` (document-client.ts): results
   * must come back with `wrapNumbers: true`. Any other configuration is a logged 500 per request.
   */
  db: DocumentClient;
  /** The one table this function serves (env TABLE_NAME). Unset -> every request is a logged 500. */
  tableName: string | undefined;
  /** Receives one line per request; default: a JSON line on stdout, filtered by AWS_LAMBDA_LOG_LEVEL. */
  log?: (line: LogLine) => void;
  /** Origins whose requests get CORS headers (env CORS_ALLOWED_ORIGINS); none = CORS off. */
  allowedOrigins?: readonly string[];
  /** Receives one EMF document per request; default: a line on stdout when METRICS_NAMESPACE is set. */
  metrics?: (doc: EmfDocument) => void;
  /** CloudWatch namespace of the metrics; default: env METRICS_NAMESPACE (no metrics when unset). */
  metricsNamespace?: string;
  /** X-Ray subsegments of the DynamoDB calls; default: to AWS_XRAY_DAEMON_ADDRESS, silent without it. */
  subsegments?: SubsegmentEmitter;
  /** Where the trace header and the defaults above are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export type ProxyHandler = (event: APIGatewayProxyEvent, context?: Pick<Context, 'awsRequestId'>) => Promise<APIGatewayProxyResult>;

/** RPC operations are a closed set; a caller's unknown one must not become a metric dimension. */
const RPC_OPERATIONS = new Set(['create', 'read', 'update', 'delete', 'list', 'echo', 'ping']);

interface RequestScope {
  event: APIGatewayProxyEvent;
  table: Table;
  /** The `{id}` path parameter, validated as a key value. */
  id(): string;
  setOperation(name: string): void;
}

type RouteHandler = (scope: RequestScope) => Promise<APIGatewayProxyResult>;

const ITEM_RESOURCE = '/items/{id}';

const ROUTES: ReadonlyMap<string, ReadonlyMap<string, RouteHandler>> = new Map([
  [
    '/DynamoDBManager',
    new Map<string, RouteHandler>([
      ['POST', async ({ event, table, setOperation }) => jsonResponse(200, await dynamoDbManager(readJsonBody(event, RPC_BODY_BUDGET), table, setOperation))],
    ]),
  ],
  [
    '/items',
    new Map<string, RouteHandler>([
      ['GET', ({ event, table }) => listItems(event, table)],
      ['POST', ({ event, table }) => createItem(event, table)],
    ]),
  ],
  [
    ITEM_RESOURCE,
    new Map<string, RouteHandler>([
      ['GET', (s) => readItem(s.event, s.table, s.id())],
      ['PUT', (s) => replaceItem(s.event, s.table, s.id())],
      ['PATCH', (s) => patchItem(s.event, s.table, s.id())],
      ['DELETE', (s) => removeItem(s.event, s.table, s.id())],
    ]),
  ],
]);

interface ResolvedRoute {
  resource: string;
  /** The `{id}` segment when the route was found from the path (a direct invoke without `resource`). */
  idFromPath?: string;
}

/**
 * API Gateway tells us the matched resource (`event.resource`); a direct invoke may carry only
 * `path`, so fall back to matching it.
 */
function resolveResource(event: APIGatewayProxyEvent): ResolvedRoute | undefined {
  if (typeof event.resource === 'string' && ROUTES.has(event.resource)) return { resource: event.resource };
  const path = typeof event.path === 'string' ? event.path.replace(/(.)\/$/, '$1') : '';
  if (ROUTES.has(path) && path !== ITEM_RESOURCE) return { resource: path };
  const match = /^\/items\/([^/]+)$/.exec(path);
  return match ? { resource: ITEM_RESOURCE, idFromPath: match[1] } : undefined;
}

/**
 * API Gateway REST APIs pass `path` and `pathParameters` percent-encoded, as the client sent them
 * (`/items/a%20b` gives `a%20b`), so the id is decoded here, once.
 */
function pathId(event: APIGatewayProxyEvent, route: ResolvedRoute): string {
  const raw = event.pathParameters?.id ?? route.idFromPath;
  if (raw === undefined) return checkKeyValue(raw, 'path parameter id');
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new BadRequestError('path parameter id is not valid percent-encoding');
  }
  return checkKeyValue(id, 'path parameter id');
}

function errorDetails(error: unknown): LogLine['error'] {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'NonError', message: String(error) };
}

export function createHandler(options: HandlerOptions): ProxyHandler {
  const { db, tableName, env = process.env, allowedOrigins = [] } = options;
  const output = options.log && options.metrics ? undefined : createLogOutput(env);
  const log = options.log ?? ((line: LogLine) => output!.write(line.level, line));
  const namespace = options.metricsNamespace ?? env.METRICS_NAMESPACE;
  const metrics = options.metrics ?? ((doc: EmfDocument) => output!.write('INFO', doc));
  const subsegments = options.subsegments ?? createSubsegmentEmitter(env);

  return async function handler(event, context) {
    const started = performance.now();
    const validEvent = typeof event === 'object' && event !== null;
    const apiRequestId = (validEvent && event.requestContext?.requestId) || undefined;
    const requestId = apiRequestId || context?.awsRequestId || randomUUID();
    const trace = currentTraceHeader(env, validEvent ? event.headers : undefined);
    const method = validEvent && typeof event.httpMethod === 'string' ? event.httpMethod.toUpperCase() : '';
    let routeName = `${method || '?'} ${validEvent ? (event.resource ?? event.path ?? '?') : '?'}`;
    let matched = false;
    let operation: string | undefined;
    const calls: DynamoDbCall[] = [];
    const observe = (call: DynamoDbCall) => {
      calls.push(call);
      subsegments.emit(call, trace);
    };

    let response: APIGatewayProxyResult;
    let failure: unknown;
    try {
      if (!tableName) throw new ConfigurationError('TABLE_NAME is not set: the function does not know its table');
      if (!hasExactNumbers(db)) {
        throw new ConfigurationError('the DynamoDB document client does not read numbers exactly (unmarshallOptions.wrapNumbers); build it with createDocumentClient');
      }
      if (!validEvent || !method) throw new BadRequestError('the event is not an API Gateway (REST) proxy event: no httpMethod');
      const route = resolveResource(event);
      if (!route) throw new RouteNotFoundError(method, String(event.path ?? event.resource));
      routeName = `${method} ${route.resource}`;
      const methods = ROUTES.get(route.resource)!;
      const run = methods.get(method);
      if (!run) throw new MethodNotAllowedError(method, route.resource, [...methods.keys()]);
      matched = true;
      response = await run({
        event,
        table: { db, name: tableName, observe },
        id: () => pathId(event, route),
        setOperation: (name) => {
          operation = name;
        },
      });
    } catch (error) {
      const body = (message: string) => ({ message, requestId });
      if (error instanceof HttpError) {
        response = jsonResponse(error.statusCode, body(error.message), error.headers);
        if (error.statusCode >= 500) failure = error;
      } else {
        response = jsonResponse(500, body('Internal server error'));
        failure = error;
      }
    }

    const cors = corsHeaders(validEvent ? event : undefined, allowedOrigins);
    if (Object.keys(cors).length > 0) response = { ...response, headers: { ...response.headers, ...cors } };
    const status = response.statusCode;
    const caller = validEvent ? callerIdentity(event) : undefined;
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const dynamodbMs = Math.round(calls.reduce((sum, c) => sum + (c.endedAt - c.startedAt), 0) * 100) / 100;
    if (namespace) {
      metrics(
        emfDocument(namespace, {
          route: matched ? routeName : UNMATCHED_ROUTE,
          ...(operation && RPC_OPERATIONS.has(operation) && { operation }),
          status,
          latencyMs: durationMs,
          dynamodb: calls,
          timestamp: Date.now(),
        }),
      );
    }
    log({
      timestamp: new Date().toISOString(),
      level: status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO',
      message: `${routeName} ${status}`,
      ...(context?.awsRequestId && { requestId: context.awsRequestId }),
      ...(apiRequestId && { apiRequestId }),
      ...(trace && { traceId: trace.root }),
      route: routeName,
      ...(operation && { operation }),
      ...(caller && { caller }),
      status,
      durationMs,
      ...(calls.length > 0 && { dynamodbMs }),
      ...(failure !== undefined && { error: errorDetails(failure) }),
    });
    return response;
  };
}
