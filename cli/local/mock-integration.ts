/**
 * API Gateway's MOCK integration, as the template's CORS preflights use it: the request mapping
 * template gives the status (`{"statusCode": 200}`), the integration response whose
 * SelectionPattern matches it (or the default one) gives the method response's status, its static
 * header values (ResponseParameters `'value'`) and its body (the response mapping template, whose
 * `$context.responseOverride` may override headers and status). No backend is called.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 * Reading checks what API Gateway checks when the method is created (a mapped header the method
 * response does not declare, an integration response without a method response) and refuses what
 * the local stack does not run, so nothing fails half-way through a request.
 */
import { collectHeaders, parseQuery, type HttpResponse } from './apigateway-event.js';
import { TemplateError, UnsupportedTemplateError } from './intrinsics.js';
import { parseVelocity, VelocityError, type RequestParameters, type VelocityTemplate } from './velocity.js';

interface MockIntegrationResponse {
  statusCode: number;
  /** Matched against the mock's status (as text); undefined for the default response. */
  selectionPattern?: RegExp;
  /** Static header values: `method.response.header.X: "'v'"` -> [X, v]. */
  headers: [string, string][];
  /** Response mapping templates by content type (lower case). */
  templates: Map<string, VelocityTemplate>;
}

export interface LocalMockIntegration {
  /** The status each request template (by content type, lower case) gives. */
  statusByContentType: Map<string, number>;
  responses: MockIntegrationResponse[];
}

/** The request as a MOCK sees it. */
export interface MockRequest {
  rawHeaders: readonly string[];
  /** The query string without `?`. */
  query: string;
  pathParameters: Record<string, string> | null;
}

export type MockAnswer = { kind: 'answer'; response: HttpResponse } | { kind: 'unsupported-media-type'; contentType: string };

type Where = (property: string) => string;

const asRecord = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function templates(raw: unknown, at: string, where: Where): Map<string, VelocityTemplate> {
  const out = new Map<string, VelocityTemplate>();
  for (const [type, text] of Object.entries(asRecord(raw))) {
    try {
      out.set(type.toLowerCase(), parseVelocity(String(text)));
    } catch (err) {
      if (err instanceof VelocityError) throw new UnsupportedTemplateError(`${where(`${at}.${type}`)}: ${err.message}`);
      throw err;
    }
  }
  return out;
}

/** The integration's status from a request template's output: `{"statusCode": 200}` (API Gateway also takes it unquoted). */
function statusOf(output: string): number | undefined {
  const m = /^\s*\{\s*"?statusCode"?\s*:\s*"?(\d{3})"?\s*\}\s*$/.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** `Integration` and `MethodResponses` of a MOCK method, resolved. */
export function readMockIntegration(integration: Record<string, unknown>, methodResponses: unknown, where: Where): LocalMockIntegration {
  const passthrough = integration.PassthroughBehavior ?? 'WHEN_NO_MATCH';
  if (passthrough !== 'NEVER') {
    throw new UnsupportedTemplateError(
      `${where('Integration.PassthroughBehavior')}: a MOCK integration with PassthroughBehavior ${String(passthrough)} is not emulated; use NEVER, as API Gateway's console sets for CORS (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors-console.html)`,
    );
  }
  const statusByContentType = new Map<string, number>();
  for (const [type, template] of templates(integration.RequestTemplates, 'Integration.RequestTemplates', where)) {
    const status = template.isStatic ? statusOf(template.render({ path: new Map(), querystring: new Map(), header: new Map() }).output) : undefined;
    if (status === undefined) {
      throw new UnsupportedTemplateError(`${where(`Integration.RequestTemplates.${type}`)}: the local stack runs a MOCK request template that is the text {"statusCode": <status>}`);
    }
    statusByContentType.set(type, status);
  }
  if (statusByContentType.size === 0) {
    throw new UnsupportedTemplateError(`${where('Integration.RequestTemplates')}: a MOCK integration needs a request template such as application/json: '{"statusCode": 200}'`);
  }

  const declared = new Map<string, Set<string>>();
  for (const [i, raw] of (Array.isArray(methodResponses) ? methodResponses : []).entries()) {
    const r = asRecord(raw);
    declared.set(String(r.StatusCode), new Set(Object.keys(asRecord(r.ResponseParameters))));
    if (r.StatusCode === undefined) throw new TemplateError(`${where(`MethodResponses[${i}]`)}: StatusCode is required`);
  }
  const responses = (Array.isArray(integration.IntegrationResponses) ? integration.IntegrationResponses : []).map((raw, i): MockIntegrationResponse => {
    const at = `Integration.IntegrationResponses[${i}]`;
    const r = asRecord(raw);
    const statusCode = Number(r.StatusCode);
    const methodResponse = declared.get(String(r.StatusCode));
    if (!methodResponse) throw new TemplateError(`${where(`${at}.StatusCode`)}: no MethodResponses entry has StatusCode ${String(r.StatusCode)} (API Gateway refuses the integration response)`);
    const headers: [string, string][] = [];
    for (const [key, value] of Object.entries(asRecord(r.ResponseParameters))) {
      const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
      if (name === undefined) throw new TemplateError(`${where(`${at}.ResponseParameters.${key}`)}: a response parameter is method.response.header.<name>`);
      if (!methodResponse.has(key)) throw new TemplateError(`${where(`${at}.ResponseParameters.${key}`)}: the ${statusCode} method response does not declare ${key} (API Gateway refuses the mapping)`);
      const text = String(value);
      const literal = /^'(.*)'$/s.exec(text)?.[1];
      if (literal === undefined) {
        throw new UnsupportedTemplateError(`${where(`${at}.ResponseParameters.${key}`)}: ${text} is not emulated for a MOCK integration; the local stack maps static values ('value')`);
      }
      headers.push([name, literal]);
    }
    let selectionPattern: RegExp | undefined;
    if (r.SelectionPattern !== undefined && r.SelectionPattern !== '') {
      try {
        selectionPattern = new RegExp(`^(?:${String(r.SelectionPattern)})$`, 'u');
      } catch (err) {
        throw new TemplateError(`${where(`${at}.SelectionPattern`)}: not a regular expression (${(err as Error).message})`);
      }
    }
    return { statusCode, ...(selectionPattern ? { selectionPattern } : {}), headers, templates: templates(r.ResponseTemplates, `${at}.ResponseTemplates`, where) };
  });
  for (const status of new Set(statusByContentType.values())) {
    if (!select(responses, status)) {
      throw new TemplateError(`${where('Integration.IntegrationResponses')}: no integration response matches the mock status ${status} and none is the default: API Gateway would answer 500`);
    }
  }
  return { statusByContentType, responses };
}

function select(responses: readonly MockIntegrationResponse[], status: number): MockIntegrationResponse | undefined {
  return responses.find((r) => r.selectionPattern?.test(String(status))) ?? responses.find((r) => !r.selectionPattern);
}

function parameters(request: MockRequest): RequestParameters {
  const headers = collectHeaders(request.rawHeaders, {}).single ?? {};
  return {
    path: new Map(Object.entries(request.pathParameters ?? {})),
    querystring: new Map(Object.entries(parseQuery(request.query).single ?? {})),
    header: new Map(Object.entries(headers)),
  };
}

/**
 * The MOCK's answer to `request`. Without a Content-Type API Gateway takes application/json; a
 * type with no request template is 415, as PassthroughBehavior NEVER says.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
 */
export function answerMock(mock: LocalMockIntegration, request: MockRequest): MockAnswer {
  let contentType: string | undefined;
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === 'content-type') contentType = request.rawHeaders[i + 1];
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const status = mock.statusByContentType.get(type);
  if (status === undefined) return { kind: 'unsupported-media-type', contentType: contentType ?? '' };
  const response = select(mock.responses, status)!;
  const headers = new Map(response.headers.map(([name, value]) => [name.toLowerCase(), [name, value] as [string, string]]));
  let statusCode = response.statusCode;
  let body = '';
  let responseType = 'application/json';
  const template = response.templates.get('application/json') ?? [...response.templates.values()][0];
  if (template) {
    responseType = response.templates.has('application/json') ? 'application/json' : [...response.templates.keys()][0]!;
    const result = template.render(parameters(request));
    body = result.output;
    for (const [name, value] of result.headerOverrides) headers.set(name.toLowerCase(), [name, value]);
    if (result.statusOverride !== undefined) statusCode = result.statusOverride;
  }
  if (!headers.has('content-type')) headers.set('content-type', ['Content-Type', responseType]);
  return { kind: 'answer', response: { statusCode, headers: [...headers.values()], body: Buffer.from(body) } };
}
