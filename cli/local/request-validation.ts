/**
 * What a method's RequestValidator checks before API Gateway invokes the integration, in its
 * order: the required header and query string parameters ("included and not blank"), then the
 * body against the model of its content type (none found: the body is not checked; `$default`
 * applies to any). An empty body is checked as `{}` and a body that is not JSON is invalid, as
 * AWS answered in LocalStack's validated snapshots (test_apigateway_common.snapshot.json,
 * test_api_gateway_request_validator_with_ref_one_ofmodels "failed-validation-no-data"). Pure.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
import type { SchemaProblem } from './json-schema.js';
import type { RequestValidation } from './resources/api-gateway-validation.js';

/**
 * Bodies nested deeper than this are refused before JSON.parse, which takes seconds on 10 MB of
 * `[[[[...` (about 3 µs a level). AWS documents no depth limit for models; the handler refuses
 * beyond 64 levels (handler/json.ts MAX_JSON_DEPTH) and DynamoDB beyond 32, so such a body is
 * refused either way (README, Known differences).
 */
export const MAX_BODY_NESTING = 1000;

/** Whether `text` opens more than `limit` arrays or objects at once (strings skipped): one pass. */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export interface ValidatedRequest {
  /** Header names in lower case -> value. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The query string, without `?`. */
  query: string;
  body: Buffer;
}

export type ValidationFailure =
  | { kind: 'missing-parameters'; validator: string; missing: string[] }
  | { kind: 'invalid-body'; validator: string; model: string; contentType: string; problems: SchemaProblem[] };

/**
 * The media type API Gateway picks a model by: the Content-Type without parameters, in lower
 * case; a request without one counts as application/json.
 */
function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const type = (value ?? '').split(';')[0]!.trim().toLowerCase();
  return type === '' ? 'application/json' : type;
}

function queryNames(query: string): Set<string> {
  const names = new Set<string>();
  if (query === '') return names;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // Kept as sent.
    }
    if (value !== '') names.add(name);
  }
  return names;
}

export function validateRequest(validation: RequestValidation, request: ValidatedRequest): ValidationFailure | undefined {
  const { requiredParameters, models } = validation;
  if (requiredParameters && requiredParameters.length > 0) {
    const query = queryNames(request.query);
    const missing = requiredParameters
      .filter((p) => {
        if (p.in === 'querystring') return !query.has(p.name);
        const value = request.headers[p.name.toLowerCase()];
        return value === undefined || String(value).trim() === '';
      })
      .map((p) => p.name);
    if (missing.length > 0) return { kind: 'missing-parameters', validator: validation.validatorName, missing };
  }
  if (models && models.size > 0) {
    const contentType = mediaType(request.headers['content-type']);
    const model = models.get(contentType) ?? models.get('$default');
    if (!model) return undefined;
    // API Gateway reads a text body as UTF-8 (invalid bytes become U+FFFD, as toString does).
    const text = request.body.length === 0 ? '{}' : request.body.toString('utf8');
    if (nestedDeeperThan(text, MAX_BODY_NESTING)) {
      return { kind: 'invalid-body', validator: validation.validatorName, model: model.name, contentType, problems: [{ at: 'body', message: `is nested more than ${MAX_BODY_NESTING} levels deep` }] };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { kind: 'invalid-body', validator: validation.validatorName, model: model.name, contentType, problems: [{ at: 'body', message: `is not JSON (${(err as Error).message})` }] };
    }
    const problems = model.check(value);
    if (problems.length > 0) return { kind: 'invalid-body', validator: validation.validatorName, model: model.name, contentType, problems };
  }
  return undefined;
}
