/**
 * The API Gateway REST (v1) Lambda proxy shapes: reading the request body and query string,
 * building responses.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BadRequestError } from './errors.js';
import { parseJson, stringifyJson, type JsonValue } from './json.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as JSON. API Gateway base64-encodes bodies of binary media types (`isBase64Encoded`). */
export function readJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): JsonValue {
  let text = event.body;
  if (text === null || text === undefined || text === '') throw new BadRequestError('request body is required (a JSON object)');
  if (event.isBase64Encoded) {
    if (!BASE64.test(text)) throw new BadRequestError('request body is marked isBase64Encoded but is not valid base64');
    try {
      text = utf8.decode(Buffer.from(text, 'base64'));
    } catch {
      throw new BadRequestError('request body is not valid UTF-8');
    }
  }
  return parseJson(text, 'request body');
}

/**
 * One query string parameter. API Gateway keeps only the last value in
 * `queryStringParameters`; a repeated parameter is ambiguous, so it is refused.
 */
export function queryParameter(event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>, name: string): string | undefined {
  const all = event.multiValueQueryStringParameters?.[name];
  if (all && all.length > 1) throw new BadRequestError(`query parameter ${name} is given ${all.length} times; give it once`);
  const params = event.queryStringParameters;
  return params && Object.hasOwn(params, name) ? params[name] : undefined;
}

/** Refuses query parameters the route does not know (a typo such as `?limt=` must not be ignored). */
export function checkQueryParameters(event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>, known: readonly string[]): void {
  const names = new Set([...Object.keys(event.queryStringParameters ?? {}), ...Object.keys(event.multiValueQueryStringParameters ?? {})]);
  for (const name of names) {
    if (!known.includes(name)) {
      const expected = known.length ? `expected ${known.join(', ')}` : 'this route takes none';
      throw new BadRequestError(`unknown query parameter ${JSON.stringify(name)}; ${expected}`);
    }
  }
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', ...headers }, body: stringifyJson(body) };
}

export function noContentResponse(): APIGatewayProxyResult {
  return { statusCode: 204, headers: {}, body: '' };
}
