/**
 * Why the local API Gateway answered with its own error instead of the function's response: one
 * entry per refusal, with the gateway response it gets and the lines printed on the terminal (the
 * README's "The two API Gateway traps"). Pure: the server decides, this module words it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { MAX_INVOKE_REQUEST_BYTES, MAX_INVOKE_RESPONSE_BYTES, type GatewayErrorKind } from './apigateway-event.js';
import { formatRoute, type RouteDescription } from './routes.js';

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
  /** No resource of the stage has this method (or ANY) on this path. */
  | { kind: 'no-route'; stage: string; routes: readonly RouteDescription[] }
  /** The method's Cognito authorizer refused the token (401): none, invalid, expired, wrong pool, client or token_use. */
  | { kind: 'cognito-unauthorized'; route: ReachedRoute; reason: string }
  /** A valid access token without one of the method's AuthorizationScopes (403). */
  | { kind: 'cognito-scope'; route: ReachedRoute; reason: string }
  /** The method requires an API key; `keyToSend` is the local key, when the template has one. */
  | { kind: 'no-api-key'; header: 'missing' | 'unknown'; keyToSend: string | undefined }
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
  /** The function's result is not a Lambda proxy response. */
  | { kind: 'malformed-response'; route: ReachedRoute; problem: string; payload: string };

type Entry<K extends Refusal['kind']> = {
  /** The gateway response API Gateway sends. */
  answer: GatewayErrorKind;
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
  'malformed-response': {
    answer: 'INTERNAL_ERROR',
    explain: (r, q) => [
      `${routedRequest(q, r.route)}: Malformed Lambda proxy response: ${r.problem} -> 502 {"message": "Internal server error"}.`,
      `  A proxy integration must return {statusCode: number, headers?: {...}, multiValueHeaders?: {...}, body?: string, isBase64Encoded?: boolean};`,
      `  got: ${r.payload.length > 200 ? r.payload.slice(0, 200) + '...' : r.payload}`,
    ],
  },
};

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
