/**
 * The local API Gateway (REST): an HTTP server at http://HOST:PORT/<stage>/<path> that routes
 * each request as API Gateway would, invokes the function with the proxy event and answers with
 * the function's response, or with API Gateway's own error when API Gateway would produce one,
 * printing why (explanations.ts). A request goes through three stages: admit (stage, limits,
 * route, API key: the route and the proxy event, or a refusal), invoke (within the integration
 * timeout), answer (the outcome as the function's response or a gateway error).
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
  type HttpResponse,
} from './apigateway-event.js';
import { createAccessControl } from './access-control.js';
import { explainPreflight, explainRefusal, iamRefusal, refusalAnswer, refusalMessage, routedRequest, type Preflight, type Refusal } from './explanations.js';
import { formatAccessLine, type RequestTiming } from './access-line.js';
import { customizeGatewayAnswer } from './gateway-responses.js';
import { answerMock } from './mock-integration.js';
import type { LocalIssuer } from './cognito-issuer.js';
import type { InvokeOutcome } from './lambda-runtime.js';
import { validateRequest } from './request-validation.js';
import type { RouteTable } from './routes.js';
import type { LocalApi, LocalRoute } from './stack-model.js';

export interface ApiServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  api: LocalApi;
  routes: RouteTable;
  accountId: string;
  /** Region and partition of the stack: SigV4 scopes and the local caller's ARN. */
  region: string;
  partition: string;
  /** Stage and usage-plan throttling (default on). */
  throttle?: boolean;
  /** The clock of signatures, buckets and quotas (tests; default Date.now). */
  now?: () => number;
  /** `traceId`: the function's _X_AMZN_TRACE_ID for this invocation. */
  invoke(functionLogicalId: string, event: string, requestId: string, traceId: string): Promise<InvokeOutcome>;
  reporter: Reporter;
  /** The local Cognito issuer, made once the origin is known: its documents and the methods' Cognito authorizers. */
  cognito?: (origin: string) => LocalIssuer;
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

/** One request on its way through the stages; also the RequestLine its explanations start with. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** performance.now() on arrival, for the access line. */
  readonly started: number;
  /** Date.now() on arrival: the event's requestTimeEpoch and the trace id's time. */
  readonly epoch: number;
  readonly requestId: string;
  readonly apigwId: string;
  readonly trace: string;
  readonly method: string;
  /** Path and query as received, stage included. */
  readonly rawUrl: string;
  /** Where the time went, once the function ran (for the access line). */
  timing?: RequestTiming;
}

/** A request API Gateway lets through: the route it matched and the proxy event for its function. */
interface Admission {
  kind: 'admitted';
  route: LocalRoute;
  event: string;
  /** A MOCK integration's answer: no function runs. */
  mockAnswer?: HttpResponse;
}

/** A browser's CORS preflight (OPTIONS with Origin and Access-Control-Request-Method), for the explanations. */
function preflightOf(method: string, req: IncomingMessage): Preflight | undefined {
  const origin = req.headers.origin;
  const requested = req.headers['access-control-request-method'];
  if (method !== 'OPTIONS' || typeof origin !== 'string' || typeof requested !== 'string') return undefined;
  const headers = (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  return { origin, method: requested, headers };
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { api, routes, reporter } = options;
  const stages = new Map(api.stages.map((s) => [s.name, s]));
  const stageNames = api.stages.map((s) => s.name);
  const routeDescriptions = routes.describe();
  const access = createAccessControl({
    api,
    region: options.region,
    partition: options.partition,
    accountId: options.accountId,
    ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const c = reporter.color;
  let inflight = 0;
  let drained: (() => void) | undefined;
  /** Set by stop(): answers from now on close their connection. */
  let closing = false;
  /** Requests in progress per connection (more than one only when a client pipelines). */
  const busy = new Map<Socket, number>();
  let issuer: LocalIssuer | undefined;

  /** A request through the stages: admitted or refused, then invoked and answered. */
  async function handle(x: Exchange): Promise<void> {
    const document = issuer?.document(x.method, x.rawUrl.split('?')[0]!);
    if (document) return send(x, { statusCode: document.statusCode, headers: [['Content-Type', 'application/json']], body: Buffer.from(document.body) }, []);
    const admitted = await admit(x);
    if (admitted.kind !== 'admitted') return refuse(x, admitted);
    if (admitted.mockAnswer) return answerWithMock(x, admitted.mockAnswer);
    answer(x, admitted.route, await invoke(admitted.route, admitted.event, `${x.trace};Sampled=0`));
  }

  /** API Gateway's checks, in its order: the payload limit, the stage, the route, IAM, the API key, the limits (access-control.ts), the Lambda request limit. */
  async function admit(x: Exchange): Promise<Admission | Refusal> {
    const { req, method, rawUrl } = x;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BODY_BYTES) return { kind: 'body-over-limit', declaredBytes: declared };

    const q = rawUrl.indexOf('?');
    const fullPath = (q < 0 ? rawUrl : rawUrl.slice(0, q)).replace(/^\/+/, '/'); // AWS routes //<stage>/x as /<stage>/x
    const slash = fullPath.indexOf('/', 1);
    const rawStage = slash < 0 ? fullPath.slice(1) : fullPath.slice(1, slash);
    let stageName = rawStage;
    try {
      stageName = decodeURIComponent(rawStage);
    } catch {
      // Not valid percent-encoding: no stage can match it.
    }
    const stage = stages.get(stageName);
    if (!stage) return { kind: 'no-stage', stages: stageNames, routes: routeDescriptions };
    const path = slash < 0 ? '/' : fullPath.slice(slash);
    const match = routes.match(method, path);
    if (!match) {
      const preflight = preflightOf(method, req);
      return { kind: 'no-route', stage: stage.name, routes: routeDescriptions, ...(preflight ? { preflight } : {}) };
    }
    const { route } = match;

    // A Cognito authorizer runs before the API key and the limits (access-control.ts); a method
    // has either it or AWS_IAM, never both.
    let authorizer: { claims: Record<string, string> } | undefined;
    if (route.cognito) {
      const verdict = issuer!.authorize(route.cognito, req.headers.authorization, Math.floor(x.epoch / 1000));
      if (!verdict.ok) return { kind: verdict.status === 403 ? 'cognito-scope' : 'cognito-unauthorized', route, reason: verdict.reason };
      authorizer = { claims: verdict.claims };
    }

    const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
    if (body === TOO_LARGE) return { kind: 'body-over-limit' };
    const decision = access.check(route, stage, { method, rawUrl, rawHeaders: req.rawHeaders, body }, req.headers['x-api-key']);
    if (decision.kind !== 'allowed') return decision;
    if (route.mock) {
      const mock = answerMock(route.mock, { rawHeaders: req.rawHeaders, query: q < 0 ? '' : rawUrl.slice(q + 1), pathParameters: match.pathParameters });
      if (mock.kind === 'unsupported-media-type') return { kind: 'unsupported-media-type', route, contentType: mock.contentType, templates: [...route.mock.statusByContentType.keys()] };
      return { kind: 'admitted', route, event: '', mockAnswer: mock.response };
    }
    const invalid = route.validation && validateRequest(route.validation, { headers: req.headers, query: q < 0 ? '' : rawUrl.slice(q + 1), body });
    if (invalid) return { ...invalid, route };
    const event = JSON.stringify(
      buildProxyEvent(
        {
          httpMethod: method,
          path,
          query: q < 0 ? '' : rawUrl.slice(q + 1),
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
          requestId: x.requestId,
          extendedRequestId: x.apigwId,
          traceId: x.trace,
          requestTimeEpoch: x.epoch,
          binaryMediaTypes: api.binaryMediaTypes,
          deploymentId: stage.deploymentId,
          ...decision.identity,
          ...(authorizer ? { authorizer } : {}),
        },
      ),
    );
    const eventBytes = Buffer.byteLength(event);
    if (eventBytes > MAX_INVOKE_REQUEST_BYTES) return { kind: 'event-over-limit', eventBytes, hasBody: body.length > 0 };
    return { kind: 'admitted', route, event };
  }

  /** The function's outcome, unless the route's integration timeout runs out first. */
  function invoke(route: LocalRoute, event: string, traceId: string): Promise<InvokeOutcome | 'integration-timeout'> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, route.timeoutMs, 'integration-timeout');
      options.invoke(route.functionLogicalId, event, randomUUID(), traceId).then(
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
  }

  /** The function's response if there is one and it is a valid proxy response; otherwise API Gateway's error. */
  function answer(x: Exchange, route: LocalRoute, outcome: InvokeOutcome | 'integration-timeout'): void {
    if (outcome === 'integration-timeout') return refuse(x, { kind: 'integration-timeout', route });
    if ((outcome.kind === 'result' || outcome.kind === 'error') && outcome.durationMs !== undefined) x.timing = { functionMs: outcome.durationMs, ...(outcome.dynamodb ? { dynamodb: outcome.dynamodb } : {}) };
    switch (outcome.kind) {
      case 'timeout':
        return refuse(x, { kind: 'function-timeout', route, seconds: outcome.seconds });
      case 'error':
        return refuse(x, { kind: 'function-error', route, errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage });
      case 'crash':
        return refuse(x, { kind: 'function-crash', route, reason: outcome.reason });
      case 'result':
        break;
    }
    const responseBytes = Buffer.byteLength(outcome.payload);
    if (responseBytes > MAX_INVOKE_RESPONSE_BYTES) return refuse(x, { kind: 'response-over-limit', route, responseBytes });
    const accept = x.req.headers.accept;
    const parsed = parseProxyResult(outcome.payload, { binaryMediaTypes: api.binaryMediaTypes, ...(accept ? { accept } : {}) });
    if (!parsed.ok) return refuse(x, { kind: 'malformed-response', route, problem: parsed.problem, payload: outcome.payload });
    if (parsed.note) reporter.warn(`${routedRequest(x, route)}: ${parsed.note}`);
    send(x, parsed.response, [
      ['x-amzn-RequestId', x.requestId],
      ['x-amz-apigw-id', x.apigwId],
      ['X-Amzn-Trace-Id', `${x.trace};Sampled=0`],
    ]);
  }

  /** A MOCK integration's answer; a CORS preflight the browser will refuse is explained. */
  function answerWithMock(x: Exchange, response: HttpResponse): void {
    const preflight = preflightOf(x.method, x.req);
    if (preflight) {
      const headers = new Map(response.headers.map(([name, value]) => [name.toLowerCase(), value]));
      const why = explainPreflight(x, preflight, response.statusCode, headers);
      if (why.length > 0) reporter.warn(why.join('\n'));
    }
    send(x, response, [
      ['x-amzn-RequestId', x.requestId],
      ['x-amz-apigw-id', x.apigwId],
    ]);
  }

  /** API Gateway's own answer to `refusal` (with the template's GatewayResponse headers), and on the terminal why. */
  function refuse(x: Exchange, refusal: Refusal): void {
    reporter.warn(explainRefusal(refusal, x).join('\n'));
    const kind = refusalAnswer(refusal);
    const g = gatewayResponse(kind, refusalMessage(refusal));
    const iam = iamRefusal(refusal);
    if (iam) Object.assign(g, { body: JSON.stringify({ message: iam.message }), errorType: iam.errorType });
    const q = x.rawUrl.indexOf('?');
    const custom = customizeGatewayAnswer(kind, g.statusCode, api.gatewayResponses, { rawHeaders: x.req.rawHeaders, query: q < 0 ? '' : x.rawUrl.slice(q + 1) });
    const response = { statusCode: custom.statusCode, headers: [['Content-Type', g.contentType], ...custom.headers] as [string, string][], body: Buffer.from(g.body) };
    const extra: [string, string][] = g.errorType === undefined ? [] : [
      ['x-amzn-RequestId', x.requestId],
      ['x-amzn-ErrorType', g.errorType],
      ['x-amz-apigw-id', x.apigwId],
    ];
    // The body over the limit is not read (or not kept): the connection closes rather than carry on after it.
    send(x, response, extra, refusal.kind === 'body-over-limit');
  }

  function send(x: Exchange, response: HttpResponse, extra: [string, string][], close = false): void {
    // One flat [name, value, ...] list for writeHead: Node writes it as given (repeated names
    // included) without building its header map, which appendHeader/setHeader do per call.
    const head: string[] = [];
    for (const [name, value] of response.headers) head.push(name, value);
    for (const [name, value] of extra) head.push(name, value);
    head.push('Content-Length', String(response.body.length));
    // An explicit Connection header also keeps Node from adding `Keep-Alive: timeout=60`, which
    // API Gateway's answers do not carry (they say `Connection: keep-alive`).
    head.push('Connection', close || closing || !x.res.shouldKeepAlive ? 'close' : 'keep-alive');
    x.res.writeHead(response.statusCode, head);
    x.res.end(response.body);
    reporter.info(formatAccessLine(x, response.statusCode, performance.now() - x.started, x.timing, c));
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
    const started = performance.now();
    const epoch = Date.now();
    const exchange: Exchange = {
      req,
      res,
      started,
      epoch,
      requestId: randomUUID(),
      apigwId: extendedRequestId(),
      trace: traceId(epoch),
      method: req.method ?? 'GET',
      rawUrl: req.url ?? '/',
    };
    handle(exchange).catch((err: unknown) => {
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
  issuer = options.cognito?.(`http://${hostForUrl}:${port}`);
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
