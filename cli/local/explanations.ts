/**
 * Why the local API Gateway answered with its own error instead of the function's response: one
 * entry per refusal, with the gateway response it gets and the lines printed on the terminal (the
 * README's "The two API Gateway traps"). Pure: the server decides, this module words it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { MAX_INVOKE_REQUEST_BYTES, MAX_INVOKE_RESPONSE_BYTES, type GatewayErrorKind } from './apigateway-event.js';
import type { ValidationFailure } from './request-validation.js';
import { formatRoute, type RouteDescription } from './routes.js';
import type { SigV4Verdict } from './sigv4-verifier.js';
import type { QuotaSettings, ThrottleSettings } from './throttle.js';
import { LOCAL_ACCESS_KEY_ID } from './local-caller.js';

/** The request as the client sent it: every explanation starts with it. */
export interface RequestLine {
  method: string;
  /** Path and query as received, stage included. */
  rawUrl: string;
}

/** The route a request reached, named by the refusals that happen after routing. */
export interface ReachedRoute {
  httpMethod: string;
  resourcePath: string;
  /** The integration timeout. */
  timeoutMs: number;
}

export type Refusal =
  /** Over API Gateway's 10 MB payload limit: by its Content-Length, or (no declared length) once read. */
  | { kind: 'body-over-limit'; declaredBytes?: number }
  /** The path's first segment is no stage of the API. */
  | { kind: 'no-stage'; stages: readonly string[]; routes: readonly RouteDescription[] }
  /** No resource of the stage has this method (or ANY) on this path; `preflight` when it is a browser's CORS preflight. */
  | { kind: 'no-route'; stage: string; routes: readonly RouteDescription[]; preflight?: Preflight }
  /** The method's Cognito authorizer refused the token (401): none, invalid, expired, wrong pool, client or token_use. */
  | { kind: 'cognito-unauthorized'; route: ReachedRoute; reason: string }
  /** A valid access token without one of the method's AuthorizationScopes (403). */
  | { kind: 'cognito-scope'; route: ReachedRoute; reason: string }
  /** The method requires an API key; `keyToSend` is the local key, when the template has one. */
  | { kind: 'no-api-key'; header: 'missing' | 'unknown'; keyToSend: string | undefined }
  /** An AWS_IAM method and a request without a valid SigV4 signature of a known key. */
  | { kind: 'iam-refused'; verdict: Extract<SigV4Verdict, { ok: false }>; region: string }
  /** Over the token bucket of a stage or of a usage plan's key. */
  | { kind: 'throttled'; scope: string; settings: ThrottleSettings }
  /** The key's usage-plan quota for the period is spent. */
  | { kind: 'quota-exceeded'; plan: string; keyId: string; settings: QuotaSettings }
  /** The proxy event is over Lambda's 6 MB Invoke request limit. */
  | { kind: 'event-over-limit'; eventBytes: number; hasBody: boolean }
  /** The function did not answer within the integration timeout. */
  | { kind: 'integration-timeout'; route: ReachedRoute }
  /** The function ran out of its own Timeout first. */
  | { kind: 'function-timeout'; route: ReachedRoute; seconds: number }
  | { kind: 'function-error'; route: ReachedRoute; errorType: string; errorMessage: string }
  /** The execution environment died. */
  | { kind: 'function-crash'; route: ReachedRoute; reason: string }
  /** The function's response is over Lambda's 6 MB Invoke response limit. */
  | { kind: 'response-over-limit'; route: ReachedRoute; responseBytes: number }
  /** A MOCK integration (PassthroughBehavior NEVER) has no request template for the request's Content-Type. */
  | { kind: 'unsupported-media-type'; route: ReachedRoute; contentType: string; templates: readonly string[] }
  /** The function's result is not a Lambda proxy response. */
  | { kind: 'malformed-response'; route: ReachedRoute; problem: string; payload: string }
  /** The method's RequestValidator refused the body or the parameters (request-validation.ts). */
  | (ValidationFailure & { route: ReachedRoute });

/** What a browser's CORS preflight asks: `Origin`, `Access-Control-Request-Method` and `-Headers`. */
export interface Preflight {
  origin: string;
  method: string;
  /** Lower case, as the browser lists them. */
  headers: string[];
}

type Entry<K extends Refusal['kind']> = {
  /** The gateway response API Gateway sends. */
  answer: GatewayErrorKind;
  /** Its `$context.error.message`, when it depends on the request. */
  message?(refusal: Extract<Refusal, { kind: K }>): string;
  explain(refusal: Extract<Refusal, { kind: K }>, request: RequestLine): string[];
};

/** `GET /dev/items/x -> GET /items/{id}`: the request and the route it reached. */
export function routedRequest(request: RequestLine, route: ReachedRoute): string {
  return `${request.method} ${request.rawUrl} -> ${route.httpMethod} ${route.resourcePath}`;
}

/** `/Prod/items?x=1` -> `Prod`. */
function firstSegment(rawUrl: string): string {
  const rest = rawUrl.slice(1);
  const end = rest.search(/[/?]/);
  return end < 0 ? rest : rest.slice(0, end);
}

const routeLines = (routes: readonly RouteDescription[], stage: string) => routes.map((r) => `    ${formatRoute(r, `/${stage}`)}`);

const REFUSALS: { [K in Refusal['kind']]: Entry<K> } = {
  'body-over-limit': {
    answer: 'PAYLOAD_OVER_LIMIT',
    explain: (r, q) => [
      r.declaredBytes === undefined
        ? `${q.method} ${q.rawUrl}: request body over API Gateway's 10 MB payload limit -> 413`
        : `${q.method} ${q.rawUrl}: request body of ${r.declaredBytes} bytes is over API Gateway's 10 MB payload limit -> 413`,
    ],
  },
  // A stage the API does not have is 403 Forbidden, not Missing Authentication Token:
  // https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
  'no-stage': {
    answer: 'FORBIDDEN',
    explain: (r, q) => {
      const near = r.stages.find((s) => s.toLowerCase() === firstSegment(q.rawUrl).toLowerCase());
      return [
        `403 Forbidden for ${q.method} ${q.rawUrl}: the path does not start with a stage of this API${near ? `; stage names are case-sensitive: did you mean /${near}?` : '.'}`,
        `  The stage is part of the URL: http://HOST/<stage>/<path>. API Gateway answers {"message":"Forbidden"}`,
        `  (not "Missing Authentication Token") when the first segment is no stage: a missing or misspelt stage.`,
        `  Stages: ${r.stages.map((s) => `/${s}`).join(', ')}. Routes:`,
        ...routeLines(r.routes, r.stages[0]!),
      ];
    },
  },
  'no-route': {
    answer: 'MISSING_AUTHENTICATION_TOKEN',
    explain: (r, q) => [
      `403 Missing Authentication Token for ${q.method} ${q.rawUrl}: the API has no ${q.method} method on this path.`,
      `  API Gateway answers this for any path or method it has no route for (it is not about authentication;`,
      `  in AWS it also means a method not deployed to the stage). Routes of stage ${r.stage}:`,
      ...routeLines(r.routes, r.stage),
      ...(r.preflight
        ? [
            `  This is a browser's CORS preflight (Origin ${r.preflight.origin}, ${r.preflight.method}): the path has no OPTIONS method, so the browser blocks the request.`,
            `  Allow the origin with --parameter-overrides CorsAllowedOrigins=${r.preflight.origin} (comma-separated for several); the template then answers preflights on every resource.`,
          ]
        : []),
    ],
  },
  'cognito-unauthorized': {
    answer: 'UNAUTHORIZED',
    explain: (r, q) => [
      `401 Unauthorized for ${routedRequest(q, r.route)}: the method's Cognito authorizer refused the token: ${r.reason}.`,
      `  Send a token of the local user pool as the Authorization header: -H "Authorization: $(npx cli token)"`,
      `  (npx cli invoke sends one by itself).`,
    ],
  },
  'cognito-scope': {
    answer: 'ACCESS_DENIED',
    explain: (r, q) => [`403 for ${routedRequest(q, r.route)}: ${r.reason}. Ask for one: npx cli token --scope <scope>`],
  },
  'no-api-key': {
    answer: 'INVALID_API_KEY',
    explain: (r, q) => [
      `403 Forbidden for ${q.method} ${q.rawUrl}: the method requires an API key and the request ${r.header === 'missing' ? 'has no x-api-key header' : 'has an unknown x-api-key'}.`,
      r.keyToSend !== undefined ? `  Send the header x-api-key: ${r.keyToSend}` : '  The template defines no enabled AWS::ApiGateway::ApiKey, so no key can pass.',
    ],
  },
  // Every IAM refusal is a 403 with its own message and x-amzn-ErrorType (iamRefusal):
  // https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
  'iam-refused': {
    answer: 'MISSING_AUTHENTICATION_TOKEN',
    explain: (r, q) => {
      const first = r.verdict.message.split('\n', 1)[0]!;
      const lines = [`403 ${r.verdict.errorType} for ${q.method} ${q.rawUrl}: the method has AuthorizationType AWS_IAM and ${IAM_PROBLEMS[r.verdict.refusal]}: ${first}`];
      lines.push(`  Sign for service execute-api, region ${r.region}, with the local credentials: AWS_ACCESS_KEY_ID=${LOCAL_ACCESS_KEY_ID} and the secret cli dev printed`);
      lines.push(`  (npx cli invoke signs with them; curl: --aws-sigv4 "aws:amz:${r.region}:execute-api" --user KEY:SECRET).`);
      if (r.verdict.canonicalRequest !== undefined) lines.push(`  Canonical request the local stack computed:`, ...r.verdict.canonicalRequest.split('\n').map((l) => `    ${l}`));
      return lines;
    },
  },
  'throttled': {
    answer: 'THROTTLED',
    explain: (r, q) => [
      `429 Too Many Requests for ${q.method} ${q.rawUrl}: over the ${r.scope} throttle (rate ${r.settings.rateLimit}/s, burst ${r.settings.burstLimit}); API Gateway refills a token bucket at the rate.`,
      `  Slow down and retry with backoff, raise ThrottlingRateLimit/ThrottlingBurstLimit, or run cli dev --no-throttle.`,
    ],
  },
  'quota-exceeded': {
    answer: 'QUOTA_EXCEEDED',
    explain: (r, q) => [
      `429 Limit Exceeded for ${q.method} ${q.rawUrl}: API key ${r.keyId} has spent the ${r.settings.limit} requests per ${r.settings.period} of usage plan ${r.plan}.`,
      `  The quota starts again with the next ${r.settings.period.toLowerCase()} (UTC); raise UsagePlanQuotaLimit, or restart cli dev (local counts are in memory).`,
    ],
  },
  'event-over-limit': {
    answer: 'REQUEST_TOO_LARGE',
    explain: (r, q) => [
      `${q.method} ${q.rawUrl}: the proxy event is ${r.eventBytes} bytes, over Lambda's 6 MB (${MAX_INVOKE_REQUEST_BYTES} bytes) request payload limit -> 413.`,
      `  The event carries the body${r.hasBody ? ' (base64 for binary media types: a third larger)' : ''} plus headers and context.`,
    ],
  },
  'integration-timeout': {
    answer: 'INTEGRATION_TIMEOUT',
    explain: (r, q) => [`${routedRequest(q, r.route)}: no response within the integration timeout (${r.route.timeoutMs} ms) -> 504 Endpoint request timed out`],
  },
  'function-timeout': {
    answer: 'INTERNAL_ERROR',
    explain: (r, q) => [
      `${routedRequest(q, r.route)}: the function timed out (Timeout ${r.seconds} s) -> 502 Internal server error.`,
      `  (API Gateway answers 504 only when its own ${r.route.timeoutMs / 1000} s integration timeout runs out first.)`,
    ],
  },
  'function-error': {
    answer: 'INTERNAL_ERROR',
    explain: (r, q) => [`${routedRequest(q, r.route)}: the function failed (${r.errorType}: ${r.errorMessage}) -> 502 Internal server error`],
  },
  'function-crash': {
    answer: 'INTERNAL_ERROR',
    explain: (r, q) => [`${routedRequest(q, r.route)}: ${r.reason} -> 502 Internal server error`],
  },
  'response-over-limit': {
    answer: 'INTERNAL_ERROR',
    explain: (r, q) => [
      `${routedRequest(q, r.route)}: the function's response is ${r.responseBytes} bytes: "Response payload size exceeded maximum allowed payload size (${MAX_INVOKE_RESPONSE_BYTES} bytes)" -> 502`,
    ],
  },
  'unsupported-media-type': {
    answer: 'UNSUPPORTED_MEDIA_TYPE',
    explain: (r, q) => [
      `${routedRequest(q, r.route)}: the MOCK integration has no request template for Content-Type ${r.contentType || '(none)'} and PassthroughBehavior NEVER -> 415 Unsupported Media Type.`,
      `  Its request templates: ${r.templates.join(', ')}.`,
    ],
  },
  'malformed-response': {
    answer: 'INTERNAL_ERROR',
    explain: (r, q) => [
      `${routedRequest(q, r.route)}: Malformed Lambda proxy response: ${r.problem} -> 502 {"message": "Internal server error"}.`,
      `  A proxy integration must return {statusCode: number, headers?: {...}, multiValueHeaders?: {...}, body?: string, isBase64Encoded?: boolean};`,
      `  got: ${r.payload.length > 200 ? r.payload.slice(0, 200) + '...' : r.payload}`,
    ],
  },
  'invalid-body': {
    answer: 'BAD_REQUEST_BODY',
    explain: (r, q) => [
      `${routedRequest(q, r.route)}: the body does not match model ${r.model} (request validator ${r.validator}, content type ${r.contentType}) -> 400 {"message":"Invalid request body"}; the function was not invoked.`,
      ...r.problems.map((p) => `  ${p.at} ${p.message}`),
      `  API Gateway checks the body against the method's RequestModels (JSON Schema draft 4) and answers only "Invalid request body";`,
      `  the models are the files of handler/contract/ (README, "API contract").`,
    ],
  },
  'missing-parameters': {
    answer: 'BAD_REQUEST_PARAMETERS',
    message: (r) => `Missing required request parameters: [${r.missing.join(', ')}]`,
    explain: (r, q) => [
      `${routedRequest(q, r.route)}: missing required request parameters ${r.missing.join(', ')} (request validator ${r.validator}) -> 400; the function was not invoked.`,
      `  The method's RequestParameters mark them required (true); send each, not blank.`,
    ],
  },
};

/** The `$context.error.message` of `refusal`'s answer when it is not the gateway response's fixed one. */
export function refusalMessage(refusal: Refusal): string | undefined {
  const entry = REFUSALS[refusal.kind] as Entry<Refusal['kind']>;
  return entry.message?.(refusal);
}

const IAM_PROBLEMS: Record<Extract<SigV4Verdict, { ok: false }>['refusal'], string> = {
  missing: 'the request is not signed',
  incomplete: 'the signature is incomplete',
  invalid: 'the signature is scoped wrongly',
  'unknown-key': 'the access key is not the local one',
  mismatch: 'the signature does not match',
  expired: "the signature's date is more than 5 minutes from this machine's clock",
};

/** An IAM refusal's own message and x-amzn-ErrorType (each SigV4 problem has its own). */
export function iamRefusal(refusal: Refusal): { message: string; errorType: string } | undefined {
  return refusal.kind === 'iam-refused' ? { message: refusal.verdict.message, errorType: refusal.verdict.errorType } : undefined;
}

/** The gateway response API Gateway answers `refusal` with. */
export function refusalAnswer(refusal: Refusal): GatewayErrorKind {
  return REFUSALS[refusal.kind].answer;
}

/** What to print about `refusal` of `request`: the first line says what happened, the others what to do. */
export function explainRefusal(refusal: Refusal, request: RequestLine): string[] {
  // The entry is the one of refusal.kind; TypeScript does not correlate the two through the index.
  const entry = REFUSALS[refusal.kind] as Entry<Refusal['kind']>;
  return entry.explain(refusal, request);
}

/** `a, b` -> the lower-case names a browser compares. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}

/** Methods and request headers a browser never asks a preflight about (https://fetch.spec.whatwg.org/#cors-safelisted-method). */
const SAFELISTED_METHODS = new Set(['get', 'head', 'post']);

/**
 * Why a browser will refuse the preflight answer `headers` (lower-case names) to `preflight`, as
 * the fetch standard's CORS check does, or nothing when it passes: the answer must allow the
 * origin (exactly, or `*`), the method and every requested header (or `*`), with a 2xx status.
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch
 */
export function explainPreflight(request: RequestLine, preflight: Preflight, statusCode: number, headers: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const allowOrigin = headers.get('access-control-allow-origin');
  if (statusCode < 200 || statusCode > 299) problems.push(`its status is ${statusCode}, not 2xx`);
  if (allowOrigin !== '*' && allowOrigin !== preflight.origin) {
    problems.push(allowOrigin === undefined ? 'it has no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin is ${allowOrigin}, not ${preflight.origin} (the origin is not in CorsAllowedOrigins)`);
  }
  const methods = list(headers.get('access-control-allow-methods'));
  const method = preflight.method.toLowerCase();
  if (!SAFELISTED_METHODS.has(method) && !methods.includes('*') && !methods.includes(method)) {
    problems.push(`Access-Control-Allow-Methods (${headers.get('access-control-allow-methods') ?? 'none'}) does not list ${preflight.method}`);
  }
  const allowed = list(headers.get('access-control-allow-headers'));
  const missing = preflight.headers.filter((h) => !allowed.includes('*') && !allowed.includes(h));
  if (missing.length > 0) problems.push(`Access-Control-Allow-Headers (${headers.get('access-control-allow-headers') ?? 'none'}) does not list ${missing.join(', ')}`);
  if (problems.length === 0) return [];
  return [
    `${request.method} ${request.rawUrl}: CORS preflight from ${preflight.origin} for ${preflight.method}: the browser will block the request: ${problems.join('; ')}.`,
    `  API Gateway answers the preflight from the template's OPTIONS method; set CorsAllowedOrigins, CorsAllowedMethods and CorsAllowedHeaders (--parameter-overrides) to allow it.`,
  ];
}
