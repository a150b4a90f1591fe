/**
 * The local API Gateway (REST): an HTTP server at http://HOST:PORT/<stage>/<path> that routes
 * each request as API Gateway would, invokes the function with the proxy event and answers with
 * the function's response, or with API Gateway's own error when API Gateway would produce one.
 * For the two classic traps (403 "Missing Authentication Token" and 502 from a malformed
 * response) it also prints on the terminal what went wrong.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Reporter } from '../ui/reporter.js';
import {
  buildProxyEvent,
  gatewayResponse,
  MAX_INVOKE_REQUEST_BYTES,
  MAX_INVOKE_RESPONSE_BYTES,
  MAX_REQUEST_BODY_BYTES,
  parseProxyResult,
  type GatewayErrorKind,
  type HttpResponse,
} from './apigateway-event.js';
import type { InvokeOutcome } from './lambda-runtime.js';
import type { RouteTable } from './routes.js';
import type { LocalApi } from './stack-model.js';

export interface ApiServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  api: LocalApi;
  routes: RouteTable;
  accountId: string;
  invoke(functionLogicalId: string, event: string, requestId: string): Promise<InvokeOutcome>;
  reporter: Reporter;
}

export interface ApiServer {
  /** `http://HOST:PORT` (no stage). */
  origin: string;
  port: number;
  /**
   * Answers no new request: stops accepting connections, closes the idle keep-alive ones, lets the
   * requests in progress finish (up to graceMs) with `Connection: close` on their answers, then
   * closes every connection left.
   */
  stop(graceMs?: number): Promise<void>;
}

let entropy = Buffer.alloc(0);
let entropyOffset = 0;

/** Random bytes for ids, drawn from a 4 KB pool (one call into the CSPRNG per ~180 requests, not two per request). */
function random(n: number): Buffer {
  if (entropyOffset + n > entropy.length) {
    entropy = randomBytes(4096);
    entropyOffset = 0;
  }
  entropyOffset += n;
  return entropy.subarray(entropyOffset - n, entropyOffset);
}

/** `x-amz-apigw-id`-like id: 16 characters of base64 ending in `=`. */
function extendedRequestId(): string {
  return random(11).toString('base64').slice(0, 15) + '=';
}

/** X-Ray trace header as API Gateway passes it: Root=1-<epoch hex>-<24 hex>. */
function traceId(epochMs: number): string {
  return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${random(12).toString('hex')}`;
}

const TOO_LARGE = Symbol('too large');

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? TOO_LARGE : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { api, routes, reporter } = options;
  const stages = new Map(api.stages.map((s) => [s.name, s]));
  const keys = new Map(api.apiKeys.map((k) => [k.value, k]));
  const c = reporter.color;
  let inflight = 0;
  let drained: (() => void) | undefined;
  /** Set by stop(): answers from now on close their connection. */
  let closing = false;
  /** Requests in progress per connection (more than one only when a client pipelines). */
  const busy = new Map<Socket, number>();

  const routeList = (stage: string) => routes.describe().map((r) => `    ${r.replace(/ (\/\S*)$/, (_m, p: string) => ` /${stage}${p === '/' ? '' : p}`)}`);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const epoch = Date.now();
    const requestId = randomUUID();
    const apigwId = extendedRequestId();
    const trace = traceId(epoch);
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const status = (code: number) => reporter.info(`${method} ${rawUrl} ${code >= 500 ? c.red(String(code)) : code >= 400 ? c.yellow(String(code)) : c.green(String(code))} ${(performance.now() - started).toFixed(1)} ms`);

    const send = (response: HttpResponse, extra: [string, string][] = []) => {
      // One flat [name, value, ...] list for writeHead: Node writes it as given (repeated names
      // included) without building its header map, which appendHeader/setHeader do per call.
      const head: string[] = [];
      for (const [name, value] of response.headers) head.push(name, value);
      for (const [name, value] of extra) head.push(name, value);
      head.push('Content-Length', String(response.body.length));
      if (closing) head.push('Connection', 'close');
      res.writeHead(response.statusCode, head);
      res.end(response.body);
      status(response.statusCode);
    };
    const gateway = (kind: GatewayErrorKind, explain: string[] = []) => {
      const g = gatewayResponse(kind);
      if (explain.length > 0) reporter.warn(explain.join('\n'));
      send(
        { statusCode: g.statusCode, headers: [['Content-Type', 'application/json']], body: Buffer.from(g.body) },
        [
          ['x-amzn-RequestId', requestId],
          ['x-amzn-ErrorType', g.errorType],
          ['x-amz-apigw-id', apigwId],
        ],
      );
    };

    const q = rawUrl.indexOf('?');
    const fullPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    const slash = fullPath.indexOf('/', 1);
    const rawStage = slash < 0 ? fullPath.slice(1) : fullPath.slice(1, slash);
    let stageName = rawStage;
    try {
      stageName = decodeURIComponent(rawStage);
    } catch {
      // Not valid percent-encoding: no stage can match it.
    }
    const path = slash < 0 ? '' : fullPath.slice(slash);
    const stage = stages.get(stageName);

    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BODY_BYTES) {
      res.setHeader('Connection', 'close');
      gateway('REQUEST_TOO_LARGE', [`${method} ${rawUrl}: request body of ${declared} bytes is over API Gateway's 10 MB payload limit -> 413`]);
      return;
    }

    if (!stage) {
      gateway('MISSING_AUTHENTICATION_TOKEN', [
        `403 Missing Authentication Token for ${method} ${rawUrl}: the path does not start with a stage of this API.`,
        `  API Gateway answers this for any URL it has no route for (it is not about authentication).`,
        `  Stages: ${[...stages.keys()].map((s) => `/${s}`).join(', ')}. Routes:`,
        ...routeList(api.stages[0]!.name),
      ]);
      return;
    }
    const match = routes.match(method, path || '/');
    if (!match) {
      gateway('MISSING_AUTHENTICATION_TOKEN', [
        `403 Missing Authentication Token for ${method} ${rawUrl}: the API has no ${method} method on this path.`,
        `  API Gateway answers this for any path or method it has no route for (it is not about authentication;`,
        `  in AWS it also means a method not deployed to the stage). Routes of stage ${stage.name}:`,
        ...routeList(stage.name),
      ]);
      return;
    }
    const { route } = match;

    let apiKey: { value: string; id: string } | undefined;
    if (route.apiKeyRequired) {
      const given = req.headers['x-api-key'];
      const key = typeof given === 'string' ? keys.get(given) : undefined;
      if (!key) {
        gateway('INVALID_API_KEY', [
          `403 Forbidden for ${method} ${rawUrl}: the method requires an API key and the request ${given === undefined ? 'has no x-api-key header' : 'has an unknown x-api-key'}.`,
          api.apiKeys.length > 0 ? `  Send the header x-api-key: ${api.apiKeys[0]!.value}` : '  The template defines no enabled AWS::ApiGateway::ApiKey, so no key can pass.',
        ]);
        return;
      }
      apiKey = { value: key.value, id: key.id };
    }

    const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
    if (body === TOO_LARGE) {
      res.setHeader('Connection', 'close');
      gateway('REQUEST_TOO_LARGE', [`${method} ${rawUrl}: request body over API Gateway's 10 MB payload limit -> 413`]);
      return;
    }

    const event = JSON.stringify(
      buildProxyEvent(
        {
          httpMethod: method,
          path: path || '/',
          query,
          rawHeaders: req.rawHeaders,
          body,
          sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
          protocol: `HTTP/${req.httpVersion}`,
          port: (req.socket.localPort ?? 0),
        },
        {
          stage: stage.name,
          stageVariables: stage.variables,
          resourcePath: route.resourcePath,
          resourceId: route.resourceId,
          pathParameters: match.pathParameters,
          apiId: api.id,
          accountId: options.accountId,
          requestId,
          extendedRequestId: apigwId,
          traceId: trace,
          requestTimeEpoch: epoch,
          binaryMediaTypes: api.binaryMediaTypes,
          ...(apiKey ? { apiKey } : {}),
        },
      ),
    );
    const eventBytes = Buffer.byteLength(event);
    if (eventBytes > MAX_INVOKE_REQUEST_BYTES) {
      gateway('REQUEST_TOO_LARGE', [
        `${method} ${rawUrl}: the proxy event is ${eventBytes} bytes, over Lambda's 6 MB (${MAX_INVOKE_REQUEST_BYTES} bytes) request payload limit -> 413.`,
        `  The event carries the body${body.length > 0 ? ' (base64 for binary media types: a third larger)' : ''} plus headers and context.`,
      ]);
      return;
    }

    const outcome = await new Promise<InvokeOutcome | 'integration-timeout'>((resolve, reject) => {
      const timer = setTimeout(resolve, route.timeoutMs, 'integration-timeout');
      options.invoke(route.functionLogicalId, event, randomUUID()).then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });

    const where = `${method} ${rawUrl} -> ${route.httpMethod} ${route.resourcePath}`;
    if (outcome === 'integration-timeout') {
      gateway('INTEGRATION_TIMEOUT', [`${where}: no response within the integration timeout (${route.timeoutMs} ms) -> 504 Endpoint request timed out`]);
      return;
    }
    switch (outcome.kind) {
      case 'timeout':
        gateway('INTERNAL_ERROR', [
          `${where}: the function timed out (Timeout ${outcome.seconds} s) -> 502 Internal server error.`,
          `  (API Gateway answers 504 only when its own ${route.timeoutMs / 1000} s integration timeout runs out first.)`,
        ]);
        return;
      case 'error':
        gateway('INTERNAL_ERROR', [`${where}: the function failed (${outcome.error.errorType}: ${outcome.error.errorMessage}) -> 502 Internal server error`]);
        return;
      case 'crash':
        gateway('INTERNAL_ERROR', [`${where}: ${outcome.reason} -> 502 Internal server error`]);
        return;
      case 'result':
        break;
    }
    if (Buffer.byteLength(outcome.payload) > MAX_INVOKE_RESPONSE_BYTES) {
      gateway('INTERNAL_ERROR', [
        `${where}: the function's response is ${Buffer.byteLength(outcome.payload)} bytes: "Response payload size exceeded maximum allowed payload size (${MAX_INVOKE_RESPONSE_BYTES} bytes)" -> 502`,
      ]);
      return;
    }
    const accept = req.headers.accept;
    const parsed = parseProxyResult(outcome.payload, { binaryMediaTypes: api.binaryMediaTypes, ...(accept ? { accept } : {}) });
    if (!parsed.ok) {
      gateway('INTERNAL_ERROR', [
        `${where}: Malformed Lambda proxy response: ${parsed.problem} -> 502 {"message": "Internal server error"}.`,
        `  A proxy integration must return {statusCode: number, headers?: {...}, multiValueHeaders?: {...}, body?: string, isBase64Encoded?: boolean};`,
        `  got: ${outcome.payload.length > 200 ? outcome.payload.slice(0, 200) + '...' : outcome.payload}`,
      ]);
      return;
    }
    if (parsed.note) reporter.warn(`${where}: ${parsed.note}`);
    send(parsed.response, [
      ['x-amzn-RequestId', requestId],
      ['x-amz-apigw-id', apigwId],
      ['X-Amzn-Trace-Id', `${trace};Sampled=0`],
    ]);
  }

  const server: Server = createServer((req, res) => {
    const socket = req.socket;
    if (closing) {
      // Arrived after the stop began: no function runs for it and it gets no answer, so a client
      // knows it was not processed. Its connection closes now, or after the answers still owed on it.
      if (!busy.has(socket)) socket.destroy();
      return;
    }
    inflight++;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.on('close', () => {
      inflight--;
      const left = busy.get(socket)! - 1;
      if (left > 0) busy.set(socket, left);
      else busy.delete(socket);
      // An answer written just before the stop went out keep-alive: its connection is idle now.
      if (closing) server.closeIdleConnections();
      if (inflight === 0) drained?.();
    });
    handle(req, res).catch((err: unknown) => {
      reporter.error(`local API Gateway failed on ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) {
        if (closing) res.setHeader('Connection', 'close');
        res.statusCode = 500;
        res.end('{"message": "Internal server error"}');
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  let stopping: Promise<void> | undefined;
  return {
    origin: `http://${hostForUrl}:${port}`,
    port,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        closing = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inflight > 0) {
          await Promise.race([
            new Promise<void>((resolve) => {
              drained = resolve;
            }),
            new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
          ]);
        }
        for (const socket of sockets) socket.destroy();
        await closed;
      })();
      return stopping;
    },
  };
}
