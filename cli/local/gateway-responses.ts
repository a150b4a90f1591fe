/**
 * AWS::ApiGateway::GatewayResponse: the template's changes to API Gateway's own answers (403
 * Missing Authentication Token, 403 Forbidden for an API key, 413, 429, 502, 504 ...). A response
 * of the answer's own type wins; otherwise DEFAULT_4XX or DEFAULT_5XX by its status. Its
 * ResponseParameters add headers (static `'value'`s, or the request's header or query string
 * parameter) and StatusCode replaces the status; the body stays API Gateway's.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-gatewayresponse.html
 */
import { collectHeaders, parseQuery, type GatewayErrorKind } from './apigateway-event.js';
import { TemplateError, UnsupportedTemplateError, type TemplateResolver } from './intrinsics.js';

/** The response types of supported-gateway-response-types.html. */
export const GATEWAY_RESPONSE_TYPES: ReadonlySet<string> = new Set([
  'ACCESS_DENIED',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'BAD_REQUEST_PARAMETERS',
  'BAD_REQUEST_BODY',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'UNAUTHORIZED',
  'UNSUPPORTED_MEDIA_TYPE',
  'WAF_FILTERED',
]);

/**
 * The emulator's answers that are no response type of the API, so no GatewayResponse changes
 * them: a path that names no stage is answered before any deployment (and its gateway responses)
 * is known, and a body over 10 MB before API Gateway proper (plain text, no x-amzn-* header).
 */
const NOT_CUSTOMIZABLE: ReadonlySet<GatewayErrorKind> = new Set<GatewayErrorKind>(['FORBIDDEN', 'PAYLOAD_OVER_LIMIT']);

/**
 * A failed Lambda proxy integration (an error, a crash, a malformed response) has no response type
 * of its own in the list: DEFAULT_5XX applies.
 */
const UNTYPED: ReadonlySet<GatewayErrorKind> = new Set<GatewayErrorKind>(['INTERNAL_ERROR']);

type HeaderSource = { kind: 'static'; value: string } | { kind: 'header' | 'querystring'; name: string };

export interface LocalGatewayResponse {
  logicalId: string;
  responseType: string;
  statusCode?: number;
  headers: { name: string; source: HeaderSource }[];
}

/** Reads the GatewayResponse `id` (a resource of the emulated API). */
export function readGatewayResponse(id: string, resolver: TemplateResolver): LocalGatewayResponse {
  const p = (name: string) => `Resources.${id}.Properties.${name}`;
  const responseType = resolver.propertyString(id, 'ResponseType') ?? '';
  if (!GATEWAY_RESPONSE_TYPES.has(responseType)) {
    throw new TemplateError(`${resolver.where(p('ResponseType'))}: ${responseType || '(none)'} is not a gateway response type (${[...GATEWAY_RESPONSE_TYPES].join(', ')})`);
  }
  const templates = resolver.property(id, 'ResponseTemplates');
  if (templates !== undefined && Object.keys(templates as object).length > 0) {
    throw new UnsupportedTemplateError(`${resolver.where(p('ResponseTemplates'))}: gateway response templates are not emulated (ResponseParameters and StatusCode are)`);
  }
  const status = resolver.propertyString(id, 'StatusCode');
  if (status !== undefined && !/^[1-5]\d\d$/.test(status)) throw new TemplateError(`${resolver.where(p('StatusCode'))}: must be an HTTP status, got ${status}`);
  const headers: LocalGatewayResponse['headers'] = [];
  const parameters = (resolver.property(id, 'ResponseParameters') ?? {}) as Record<string, unknown>;
  for (const [key, raw] of Object.entries(parameters)) {
    const at = p(`ResponseParameters.${key}`);
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
    if (name === undefined) throw new UnsupportedTemplateError(`${resolver.where(at)}: the local stack maps gatewayresponse.header.<name> parameters`);
    const value = String(raw);
    const literal = /^'(.*)'$/s.exec(value)?.[1];
    const request = /^method\.request\.(header|querystring)\.(.+)$/.exec(value);
    if (literal !== undefined) headers.push({ name, source: { kind: 'static', value: literal } });
    else if (request) headers.push({ name, source: { kind: request[1] as 'header' | 'querystring', name: request[2]! } });
    else throw new UnsupportedTemplateError(`${resolver.where(at)}: ${value} is not emulated; map a static 'value', method.request.header.<name> or method.request.querystring.<name>`);
  }
  return { logicalId: id, responseType, ...(status !== undefined ? { statusCode: Number(status) } : {}), headers };
}

/** The gateway response of `responses` that applies to an answer of `kind` with `statusCode`. */
export function applicableResponse(kind: GatewayErrorKind, statusCode: number, responses: readonly LocalGatewayResponse[]): LocalGatewayResponse | undefined {
  if (NOT_CUSTOMIZABLE.has(kind)) return undefined;
  const own = UNTYPED.has(kind) ? undefined : responses.find((r) => r.responseType === kind);
  if (own) return own;
  const fallback = statusCode >= 500 ? 'DEFAULT_5XX' : statusCode >= 400 ? 'DEFAULT_4XX' : undefined;
  return fallback === undefined ? undefined : responses.find((r) => r.responseType === fallback);
}

/** The status and extra headers of an answer of `kind` (status `statusCode`) to the request. */
export function customizeGatewayAnswer(
  kind: GatewayErrorKind,
  statusCode: number,
  responses: readonly LocalGatewayResponse[],
  request: { rawHeaders: readonly string[]; query: string },
): { statusCode: number; headers: [string, string][] } {
  const response = applicableResponse(kind, statusCode, responses);
  if (!response) return { statusCode, headers: [] };
  const needsRequest = response.headers.some((h) => h.source.kind !== 'static');
  // Header names are case-insensitive (RFC 9110), so method.request.header.Origin finds `origin`.
  const requestHeaders = new Map(Object.entries(needsRequest ? (collectHeaders(request.rawHeaders, {}).single ?? {}) : {}).map(([k, v]) => [k.toLowerCase(), v]));
  const query = needsRequest ? (parseQuery(request.query).single ?? {}) : {};
  const headers: [string, string][] = [];
  for (const { name, source } of response.headers) {
    // A request parameter that is absent maps to no header.
    const value = source.kind === 'static' ? source.value : source.kind === 'header' ? requestHeaders.get(source.name.toLowerCase()) : query[source.name];
    if (value !== undefined) headers.push([name, value]);
  }
  return { statusCode: response.statusCode ?? statusCode, headers };
}
