/**
 * HTTP <-> Lambda translation for API Gateway REST Lambda proxy integrations (payload format
 * 1.0), pure functions only:
 * - buildProxyEvent: an HTTP request -> the event API Gateway sends the function;
 * - parseProxyResult: what the function returned -> the HTTP response, or why API Gateway would
 *   reject it as a "Malformed Lambda proxy response" (502);
 * - gatewayResponse: API Gateway's own answers (403, 413, 502, 504), byte for byte.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** API Gateway REST payload limit: larger requests are refused with 413 before any integration. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
/**
 * Lambda's synchronous invocation limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
 * Invoke refuses a request over 6 MiB (RequestEntityTooLargeException, which API Gateway answers
 * with 413) and fails a response over 6 MiB + 100 bytes (a function error, so 502).
 */
export const MAX_INVOKE_REQUEST_BYTES = 6 * 1024 * 1024;
export const MAX_INVOKE_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

export interface ProxyRequest {
  httpMethod: string;
  /** Path after the stage, still percent-encoded as received: `/items/a%20b`. */
  path: string;
  /** Query string without `?`, as received ('' when none). */
  query: string;
  /** Node's `rawHeaders`: [name, value, name, value, ...] with the client's casing. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1` */
  protocol: string;
  /** Local port the client connected to (for X-Forwarded-Port). */
  port: number;
}

export interface ProxyEventContext {
  stage: string;
  stageVariables: Record<string, string> | null;
  resourcePath: string;
  resourceId: string;
  pathParameters: Record<string, string> | null;
  apiId: string;
  accountId: string;
  requestId: string;
  extendedRequestId: string;
  traceId: string;
  /** Milliseconds since the epoch. */
  requestTimeEpoch: number;
  binaryMediaTypes: readonly string[];
  /** The stage's deployment (`requestContext.deploymentId`). */
  deploymentId: string;
  apiKey?: { value: string; id: string };
  /** The IAM caller of an AWS_IAM method, as SigV4 verification found it. */
  iam?: { accountId: string; caller: string; user: string; userArn: string; accessKey: string };
  /** What the method's authorizer passes on: `{claims}` for a Cognito user pool authorizer. */
  authorizer?: { claims: Record<string, string> };
}

/** `h.example:3000` -> `h.example`, `[::1]:3000` -> `[::1]`: AWS's domainName is the host name only. */
function hostName(host: string): string {
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : 0;
  const colon = host.indexOf(':', end);
  return colon < 0 ? host : host.slice(0, colon);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`: `09/Apr/2015:12:34:56 +0000` (CLF format, UTC). */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * A query component as API Gateway decodes it: form decoding, so an unencoded `+` is a space
 * (`plus=test+alias@gmail.com` arrives as `test alias@gmail.com`, `%2B` as `+`); AWS answer
 * recorded in LocalStack's test_apigateway_lambda.snapshot.json ("invocation-payload-with-params-encoding").
 */
function decodeQueryComponent(s: string): string {
  const form = s.replaceAll('+', ' ');
  try {
    return decodeURIComponent(form);
  } catch {
    return form;
  }
}

/**
 * `a=1&a=2&b` -> last value wins in the single map; every value in the multi map. An unencoded `;`
 * separates parameters as `&` does: "results in the data being split",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
 */
export function parseQuery(query: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  if (query === '') return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of query.split(/[&;]/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeQueryComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryComponent(pair.slice(eq + 1));
    single[key] = value;
    (Object.hasOwn(multi, key) ? multi[key]! : (multi[key] = [])).push(value);
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

/**
 * Names API Gateway respells whatever the client sent (`aUThorization` arrives as `Authorization`,
 * HTTP/2 and fetch clients' `host` as `Host`); AWS answer recorded in LocalStack's
 * test_apigateway_lambda.snapshot.json ("invocation-payload-with-params-encoding-multi").
 */
const CANONICAL_NAMES: ReadonlyMap<string, string> = new Map([
  ['host', 'Host'],
  ['user-agent', 'User-Agent'],
  ['authorization', 'Authorization'],
]);

/**
 * Request headers API Gateway does not pass on (the connection's framing): a POST with
 * `Connection: keep-alive` and `Content-Length` reaches the function with neither, as recorded in
 * LocalStack's test_apigateway_lambda.snapshot.json ("invocation-payload-with-params-encoding-multi").
 */
const DROPPED_REQUEST_HEADERS: ReadonlySet<string> = new Set(['connection', 'content-length']);

/**
 * Headers keep the client's casing (except CANONICAL_NAMES), without DROPPED_REQUEST_HEADERS; a repeated header keeps its last value
 * in `headers` and all of them in `multiValueHeaders`. API Gateway adds X-Forwarded-* and X-Amzn-Trace-Id.
 */
export function collectHeaders(
  rawHeaders: readonly string[],
  added: Readonly<Record<string, string>>,
): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const names = new Map<string, string>();
  const multi: Record<string, string[]> = {};
  const add = (name: string, value: string, replace: boolean) => {
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower)) return;
    let key = names.get(lower);
    if (key === undefined) {
      key = CANONICAL_NAMES.get(lower) ?? name;
      names.set(lower, key);
    }
    if (replace || !Object.hasOwn(multi, key)) multi[key] = [value];
    else multi[key]!.push(value);
  };
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) add(rawHeaders[i]!, rawHeaders[i + 1]!, false);
  for (const [name, value] of Object.entries(added)) add(name, value, true);
  const single: Record<string, string> = {};
  for (const [k, v] of Object.entries(multi)) single[k] = v[v.length - 1]!;
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

function headerValue(rawHeaders: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) found = rawHeaders[i + 1];
  return found;
}

/** `image/png` against BinaryMediaTypes entries such as `image/png`, `image/*`, `*\/*`. */
export function matchesMediaType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!contentType || binaryMediaTypes.length === 0) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const [major] = type.split('/');
  return binaryMediaTypes.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    return p === '*/*' || p === type || (p.endsWith('/*') && p.slice(0, -2) === major);
  });
}

export function buildProxyEvent(request: ProxyRequest, ctx: ProxyEventContext): APIGatewayProxyEvent {
  const xff = headerValue(request.rawHeaders, 'x-forwarded-for');
  const headers = collectHeaders(request.rawHeaders, {
    'X-Amzn-Trace-Id': ctx.traceId,
    'X-Forwarded-For': xff ? `${xff}, ${request.sourceIp}` : request.sourceIp,
    // AWS: `443` and `https`. The local values describe the real connection, so a URL the function
    // builds from them reaches the local server (README, "Known differences from AWS").
    'X-Forwarded-Port': String(request.port),
    'X-Forwarded-Proto': 'http',
  });
  const query = parseQuery(request.query);
  const domainName = hostName(headerValue(request.rawHeaders, 'host') ?? '127.0.0.1');
  const binary = matchesMediaType(headerValue(request.rawHeaders, 'content-type'), ctx.binaryMediaTypes);
  const hasBody = request.body.length > 0;
  return {
    resource: ctx.resourcePath,
    // `/<stage>//x` arrives as `/x`; requestContext.path keeps what was sent (LocalStack's AWS-validated
    // test_apigateway_lambda.snapshot.json, "invocation-payload-with-prepended-slash").
    path: request.path.replace(/^\/*/, '/'),
    httpMethod: request.httpMethod,
    headers: headers.single as APIGatewayProxyEvent['headers'],
    multiValueHeaders: headers.multi as APIGatewayProxyEvent['multiValueHeaders'],
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: ctx.pathParameters,
    stageVariables: ctx.stageVariables,
    requestContext: {
      resourceId: ctx.resourceId,
      resourcePath: ctx.resourcePath,
      httpMethod: request.httpMethod,
      extendedRequestId: ctx.extendedRequestId,
      requestTime: formatRequestTime(ctx.requestTimeEpoch),
      path: `/${ctx.stage}${request.path}`,
      accountId: ctx.accountId,
      protocol: request.protocol,
      stage: ctx.stage,
      domainPrefix: domainName.split('.')[0]!,
      deploymentId: ctx.deploymentId,
      requestTimeEpoch: ctx.requestTimeEpoch,
      requestId: ctx.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        // An AWS_IAM method fills these from the signature's access key: $context.identity.* in
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
        accountId: ctx.iam?.accountId ?? null,
        cognitoIdentityId: null,
        caller: ctx.iam?.caller ?? null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: ctx.iam?.accessKey ?? null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: ctx.iam?.userArn ?? null,
        userAgent: headerValue(request.rawHeaders, 'user-agent') ?? null,
        user: ctx.iam?.user ?? null,
        // Only when a key was used: without one AWS sends neither key (LocalStack's AWS-validated
        // test_apigateway_lambda.snapshot.json, "invocation-payload-with-params-encoding-multi").
        ...(ctx.apiKey ? { apiKey: ctx.apiKey.value, apiKeyId: ctx.apiKey.id } : {}),
        clientCert: null,
      },
      domainName,
      apiId: ctx.apiId,
      authorizer: ctx.authorizer,
    } as unknown as APIGatewayProxyEvent['requestContext'],
    // A text body is decoded as UTF-8 with U+FFFD in place of invalid bytes, as API Gateway does:
    // AWS answers recorded in LocalStack's validated tests/aws/services/apigateway/test_apigateway_s3.snapshot.json
    // ("get-obj-no-binary-media-binary-raw") and https://stackoverflow.com/questions/59383951 (a zip through a Lambda proxy).
    body: hasBody ? (binary ? request.body.toString('base64') : request.body.toString('utf8')) : null,
    isBase64Encoded: hasBody && binary,
  };
}

export interface HttpResponse {
  statusCode: number;
  /** [name, value] pairs; a name may repeat. */
  headers: [string, string][];
  body: Buffer;
}

export type ParsedResult =
  | { ok: true; response: HttpResponse; note?: string }
  | { ok: false; problem: string };

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Integration response headers API Gateway renames to x-amzn-Remapped-<name>, and the one it drops:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
 * (they are also the ones the local HTTP server owns: framing).
 */
const REMAPPED = new Set(['connection', 'content-length', 'date', 'server']);
const DROPPED = 'transfer-encoding';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)})`;
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

function isHeaderScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Validates the function's JSON result as API Gateway does for Lambda proxy integrations: an
 * object with only statusCode, headers, multiValueHeaders, body (a string) and isBase64Encoded.
 * Anything else is "Malformed Lambda proxy response" and the client gets 502.
 */
export function parseProxyResult(
  payload: string,
  options: { binaryMediaTypes: readonly string[]; accept?: string },
): ParsedResult {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'the result is not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: `the function returned ${describe(value)}, not an object {statusCode, headers?, body?}` };
  }
  const result = value as Record<string, unknown>;
  const unknown = Object.keys(result).filter((k) => !ALLOWED_KEYS.has(k));
  if (unknown.length > 0) {
    return { ok: false, problem: `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${[...ALLOWED_KEYS].join(', ')})` };
  }
  const rawStatus = result.statusCode;
  // No statusCode is a 200 (recorded: localstack test_apigateway_lambda.snapshot.json,
  // "invoke-api-only-headers"; test_lambda_aws_proxy_response_format's `{}` answers 200 too).
  const statusCode = rawStatus === undefined ? 200 : typeof rawStatus === 'string' && /^\d+$/.test(rawStatus) ? Number(rawStatus) : rawStatus;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return { ok: false, problem: `statusCode must be an integer HTTP status (100-599), got ${describe(rawStatus)}${typeof rawStatus === 'number' ? ` ${rawStatus}` : ''}` };
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return { ok: false, problem: `body must be a string (use JSON.stringify), got ${describe(result.body)}` };
  }
  if (result.isBase64Encoded !== undefined && result.isBase64Encoded !== null && typeof result.isBase64Encoded !== 'boolean') {
    return { ok: false, problem: `isBase64Encoded must be a boolean, got ${describe(result.isBase64Encoded)}` };
  }
  // Both given: AWS sends the multiValueHeaders values, then the headers value, under the
  // multiValueHeaders spelling, names compared case-insensitively (recorded:
  // localstack tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json,
  // test_aws_proxy_response_payload_format_validation, "invoke-api-multi-headers-overwrite*").
  const merged = new Map<string, { name: string; values: string[] }>();
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (typeof result.multiValueHeaders !== 'object' || Array.isArray(result.multiValueHeaders)) {
      return { ok: false, problem: `multiValueHeaders must be an object of arrays, got ${describe(result.multiValueHeaders)}` };
    }
    for (const [name, list] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(list) || !list.every(isHeaderScalar)) return { ok: false, problem: `multiValueHeaders.${name} must be an array of strings, got ${describe(list)}` };
      const lower = name.toLowerCase();
      const seen = merged.get(lower);
      if (seen) for (const v of list) seen.values.push(String(v));
      else merged.set(lower, { name, values: list.map(String) });
    }
  }
  if (result.headers !== undefined && result.headers !== null) {
    if (typeof result.headers !== 'object' || Array.isArray(result.headers)) return { ok: false, problem: `headers must be an object, got ${describe(result.headers)}` };
    for (const [name, v] of Object.entries(result.headers)) {
      if (!isHeaderScalar(v)) return { ok: false, problem: `headers.${name} must be a string, got ${describe(v)}` };
      const lower = name.toLowerCase();
      const seen = merged.get(lower);
      if (seen) seen.values.push(String(v));
      else merged.set(lower, { name, values: [String(v)] });
    }
  }
  const headers: [string, string][] = [];
  for (const [lower, { name, values }] of merged) {
    if (lower === DROPPED) continue;
    for (const v of values) headers.push([REMAPPED.has(lower) ? `x-amzn-Remapped-${name}` : name, v]);
  }
  if (!merged.has('content-type')) headers.push(['Content-Type', 'application/json']);
  const text = typeof result.body === 'string' ? result.body : '';
  let body = Buffer.from(text, 'utf8');
  let note: string | undefined;
  if (result.isBase64Encoded === true && text !== '') {
    // API Gateway decodes a base64 body only when the client accepts a binary media type of the API.
    const firstAccept = options.accept?.split(',')[0];
    if (matchesMediaType(firstAccept, options.binaryMediaTypes)) body = Buffer.from(text, 'base64');
    else note = `isBase64Encoded is true but the request's Accept (${options.accept ?? 'none'}) is not one of the API's BinaryMediaTypes (${options.binaryMediaTypes.join(', ') || 'none'}), so API Gateway returns the base64 text as is`;
  }
  return { ok: true, response: { statusCode, headers, body }, ...(note ? { note } : {}) };
}

export type GatewayErrorKind =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'INVALID_API_KEY'
  | 'FORBIDDEN'
  | 'INTERNAL_ERROR'
  | 'INTEGRATION_TIMEOUT'
  | 'REQUEST_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_OVER_LIMIT'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED';

export interface GatewayAnswer {
  statusCode: number;
  body: string;
  contentType: string;
  /** The x-amzn-ErrorType header; none on the 10 MB answer, which carries no x-amzn-* header. */
  errorType?: string;
}

/** API Gateway's own default gateway responses, with their exact bodies (spacing included). */
export function gatewayResponse(kind: GatewayErrorKind, message?: string): GatewayAnswer {
  switch (kind) {
    // A request its method's RequestValidator refuses: BAD_REQUEST_BODY and BAD_REQUEST_PARAMETERS,
    // 400 with the default template {"message":$context.error.messageString} and BadRequestException
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html;
    // the messages as recorded from AWS in LocalStack's validated snapshot
    // tests/aws/services/apigateway/test_apigateway_common.snapshot.json, test_api_gateway_request_validator).
    case 'BAD_REQUEST_BODY':
      return { statusCode: 400, body: '{"message":"Invalid request body"}', contentType: 'application/json', errorType: 'BadRequestException' };
    case 'BAD_REQUEST_PARAMETERS':
      return { statusCode: 400, body: JSON.stringify({ message: message ?? 'Missing required request parameters: []' }), contentType: 'application/json', errorType: 'BadRequestException' };
    case 'MISSING_AUTHENTICATION_TOKEN':
      return { statusCode: 403, body: '{"message":"Missing Authentication Token"}', contentType: 'application/json', errorType: 'MissingAuthenticationTokenException' };
    // A Cognito authorizer's refusal: 401 for a missing, invalid or expired token, 403 for a valid
    // access token without a scope of the method (ACCESS_DENIED's default status):
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
    // https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
    case 'UNAUTHORIZED':
      return { statusCode: 401, body: '{"message":"Unauthorized"}', contentType: 'application/json', errorType: 'UnauthorizedException' };
    case 'ACCESS_DENIED':
      return { statusCode: 403, body: '{"message":"Unauthorized"}', contentType: 'application/json', errorType: 'AccessDeniedException' };
    case 'INVALID_API_KEY':
    // A stage the API does not have: https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
    case 'FORBIDDEN':
      return { statusCode: 403, body: '{"message":"Forbidden"}', contentType: 'application/json', errorType: 'ForbiddenException' };
    case 'INTERNAL_ERROR':
      return { statusCode: 502, body: '{"message": "Internal server error"}', contentType: 'application/json', errorType: 'InternalServerErrorException' };
    case 'INTEGRATION_TIMEOUT':
      return { statusCode: 504, body: '{"message": "Endpoint request timed out"}', contentType: 'application/json', errorType: 'InternalServerErrorException' };
    // Captured from an edge-optimized REST API (issue 9, item 9): an event over Lambda's 6 MB is
    // this JSON with BadRequestException; a body over 10 MB is plain text without x-amzn-* headers,
    // answered before API Gateway proper. No capture of a regional API was found.
    case 'REQUEST_TOO_LARGE':
      return { statusCode: 413, body: '{"message": "Request Too Long"}', contentType: 'application/json', errorType: 'BadRequestException' };
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { statusCode: 415, body: '{"message":"Unsupported Media Type"}', contentType: 'application/json', errorType: 'UnsupportedMediaTypeException' };
    case 'PAYLOAD_OVER_LIMIT':
      return { statusCode: 413, body: `HTTP content length exceeded ${MAX_REQUEST_BODY_BYTES} bytes.`, contentType: 'text/plain' };
    // Over a stage's or a usage plan's rate or burst, and over a usage plan's quota:
    // https://repost.aws/knowledge-center/api-gateway-429-limit ("429 Too Many Requests" or "Limit Exceeded").
    case 'THROTTLED':
      return { statusCode: 429, body: '{"message":"Too Many Requests"}', contentType: 'application/json', errorType: 'TooManyRequestsException' };
    case 'QUOTA_EXCEEDED':
      return { statusCode: 429, body: '{"message":"Limit Exceeded"}', contentType: 'application/json', errorType: 'LimitExceededException' };
  }
}
