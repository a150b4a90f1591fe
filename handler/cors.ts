/**
 * CORS headers on the function's own answers. API Gateway answers the preflight (the template's
 * OPTIONS MOCK methods) but, with a Lambda proxy integration, the actual response's headers are
 * the function's: "your backend must return the applicable CORS headers, such as
 * Access-Control-Allow-Origin".
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html#apigateway-enable-cors-proxy
 * An allowed Origin is reflected (several origins cannot share one static value) with
 * `Vary: Origin`, so a cache keeps one answer per origin; any other origin gets no CORS header,
 * and its browser hides the answer from the page (https://fetch.spec.whatwg.org/#cors-check).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * Response headers a page may read besides the CORS-safelisted ones: where a created item is, and
 * the request id API Gateway sets on every answer (the `requestId` of error bodies).
 */
export const EXPOSED_HEADERS = ['Location', 'x-amzn-RequestId'] as const;

/** `CORS_ALLOWED_ORIGINS` (the template's `CorsAllowedOrigins` joined with commas) as a list; empty = CORS off. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/** The request's Origin header, whatever the spelling of its name; undefined when absent or repeated. */
function requestOrigin(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): string | undefined {
  const values: string[] = [];
  for (const [name, value] of Object.entries(event.multiValueHeaders ?? {})) {
    if (name.toLowerCase() === 'origin' && Array.isArray(value)) values.push(...value);
  }
  if (values.length === 0) {
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (name.toLowerCase() === 'origin' && typeof value === 'string') values.push(value);
    }
  }
  // A browser sends one Origin; two cannot both be reflected, so neither is.
  return values.length === 1 ? values[0] : undefined;
}

/** The CORS headers of the answer to `event`: none when CORS is off. */
export function corsHeaders(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'> | undefined, allowedOrigins: readonly string[]): Record<string, string> {
  if (allowedOrigins.length === 0) return {};
  const origin = event ? requestOrigin(event) : undefined;
  if (origin === undefined || !allowedOrigins.includes(origin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(','),
    Vary: 'Origin',
  };
}
