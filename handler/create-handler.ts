/**
 * The Lambda proxy handler: routing, the error-to-response edge, and one log line per request.
 * The document client and table are injected, so tests and `cli dev` run the same code against a
 * local store.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerIdentity, type Caller } from './caller-identity.js';
import { hasExactNumbers, type DocumentClient } from './document-client.js';
import { dynamoDbManager, RPC_BODY_BUDGET } from './dynamodb-manager.js';
import { corsHeaders } from './cors.js';
import { BadRequestError, ConfigurationError, HttpError, MethodNotAllowedError, RouteNotFoundError } from './errors.js';
import { jsonResponse, readJsonBody } from './http.js';
import type { Table } from './item-store.js';
import { checkKeyValue } from './item-key.js';
import { createItem, listItems, patchItem, readItem, removeItem, replaceItem } from './items-api.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  requestId: string;
  /** `METHOD /resource`, e.g. `GET /items/{id}` (the template, never the id). */
  route: string;
  /** The RPC operation of `POST /DynamoDBManager`, once known. */
  operation?: string;
  status: number;
  durationMs: number;
  /** Who called (caller-identity.ts), when the event says. */
  caller?: Caller;
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
  /** Receives one line per request; default: `console.log` of the JSON. */
  log?: (line: LogLine) => void;
  /** Origins whose requests get CORS headers (env CORS_ALLOWED_ORIGINS); none = CORS off. */
  allowedOrigins?: readonly string[];
}

export type ProxyHandler = (event: APIGatewayProxyEvent, context?: Pick<Context, 'awsRequestId'>) => Promise<APIGatewayProxyResult>;

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

/**
 * One console method per level, because Lambda's Node.js runtime records console.error as ERROR,
 * console.warn as WARN and console.info as INFO (in both log formats), and `cli logs --filter
 * ERROR` and a metric filter on the level see only that.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
const defaultLog = (line: LogLine): void => console[line.level](JSON.stringify(line));

export function createHandler(options: HandlerOptions): ProxyHandler {
  const { db, tableName, log = defaultLog, allowedOrigins = [] } = options;

  return async function handler(event, context) {
    const started = performance.now();
    const validEvent = typeof event === 'object' && event !== null;
    const requestId = (validEvent && event.requestContext?.requestId) || context?.awsRequestId || randomUUID();
    const method = validEvent && typeof event.httpMethod === 'string' ? event.httpMethod.toUpperCase() : '';
    let routeName = `${method || '?'} ${validEvent ? (event.resource ?? event.path ?? '?') : '?'}`;
    let operation: string | undefined;

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
      response = await run({
        event,
        table: { db, name: tableName },
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
    log({
      level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      requestId,
      route: routeName,
      ...(operation && { operation }),
      ...(caller && { caller }),
      status,
      durationMs: Math.round(performance.now() - started),
      ...(failure !== undefined && { error: errorDetails(failure) }),
    });
    return response;
  };
}
