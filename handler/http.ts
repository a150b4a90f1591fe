/**
 * The API Gateway REST (v1) Lambda proxy shapes: reading the request body and query string,
 * building responses.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BadRequestError } from './errors.js';
import { parseJson, stringifyJson, type JsonValue, type ValueBudget } from './json.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * API Gateway decodes a text (non-binary media type) body as UTF-8 and puts U+FFFD in place of
 * every byte sequence that is not UTF-8, so the function never sees the bytes: `ff fe` and `fe ff`
 * arrive as the same string. Seen in AWS's answers recorded by LocalStack's validated tests
 * (tests/aws/services/apigateway/test_apigateway_s3.snapshot.json, "get-obj-no-binary-media-binary-raw",
 * recorded 2025-03-17: gzip bytes stored with U+FFFD in place) and
 * https://qiita.com/ma2shita/items/ea96fbb73b7095413d3f (0xEF 0xBF 0xBD in place of the bytes).
 * A literal U+FFFD in a text body is therefore refused as "not UTF-8"; the character itself
 * can still be stored, written as the JSON escape \ufffd.
 */
const REPLACEMENT_CHARACTER = '\uFFFD';

/** The body as JSON. API Gateway base64-encodes bodies of binary media types (`isBase64Encoded`). */
export function readJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>, budget: ValueBudget): JsonValue {
  let text = event.body;
  if (text === null || text === undefined || text === '') throw new BadRequestError('request body is required (a JSON object)');
  if (event.isBase64Encoded) {
    if (!BASE64.test(text)) throw new BadRequestError('request body is marked isBase64Encoded but is not valid base64');
    try {
      text = utf8.decode(Buffer.from(text, 'base64'));
    } catch {
      throw new BadRequestError('request body is not valid UTF-8');
    }
  } else {
    const at = text.indexOf(REPLACEMENT_CHARACTER);
    if (at >= 0) {
      throw new BadRequestError(
        `request body is not valid UTF-8: it holds U+FFFD at position ${at}, which API Gateway puts in place of bytes that are not UTF-8; send UTF-8 (the character U+FFFD itself can be sent as the JSON escape \\ufffd)`,
      );
    }
  }
  return parseJson(text, 'request body', budget);
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
