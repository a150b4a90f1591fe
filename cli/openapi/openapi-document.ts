/**
 * An OpenAPI 3.0 document of the API (https://spec.openapis.org/oas/v3.0.3), pure: from the
 * template's description of it (api-description.ts) and the servers to list. Besides the
 * function's own answers (the methods' MethodResponses), every operation documents the answers
 * API Gateway gives by itself, with its default gateway responses' body {"message": "..."}
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * Security schemes follow each method's AuthorizationType and ApiKeyRequired, written as API
 * Gateway's own export writes them (x-amazon-apigateway-authtype,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html).
 */
import type { ApiDescription, DescribedMethod } from './api-description.js';

export interface OpenApiServer {
  url: string;
  description: string;
}

type Json = Record<string, unknown>;

/** The model every gateway response is described by: {"message": "..."}. */
const ERROR_MODEL = 'Error';

/** API Gateway's own answers, by status: the gateway response types behind each. */
function gatewayAnswers(method: DescribedMethod): Record<string, string> {
  const answers: Record<string, string> = {};
  if (method.validatesBody && method.requestModel !== undefined) answers['400'] = 'API Gateway: the body does not match the model (BAD_REQUEST_BODY, "Invalid request body")';
  else if (method.validatesParameters && method.parameters.some((p) => p.required && p.in !== 'path')) answers['400'] = 'API Gateway: a required parameter is missing (BAD_REQUEST_PARAMETERS)';
  const forbidden = ['MISSING_AUTHENTICATION_TOKEN for a path or method the API has no route for'];
  if (method.apiKeyRequired) forbidden.push('INVALID_API_KEY without a valid x-api-key');
  if (method.authorizationType === 'AWS_IAM') forbidden.push('MISSING_AUTHENTICATION_TOKEN / INVALID_SIGNATURE / ACCESS_DENIED for an unsigned, badly signed or unauthorized request');
  if (method.authorizationType === 'COGNITO_USER_POOLS') answers['401'] = 'API Gateway: no or an invalid bearer token (UNAUTHORIZED)';
  answers['403'] = `API Gateway: ${forbidden.join('; ')}`;
  answers['413'] = 'API Gateway: the event is over the function\'s 6 MB (REQUEST_TOO_LARGE); over 10 MB the answer is plain text, before API Gateway proper';
  answers['429'] = `API Gateway: stage throttling${method.apiKeyRequired ? ' or the usage plan\'s quota' : ''} (THROTTLED${method.apiKeyRequired ? ', QUOTA_EXCEEDED' : ''})`;
  answers['502'] = 'API Gateway: the function failed, timed out or returned a malformed proxy response ("Internal server error")';
  answers['504'] = 'API Gateway: no answer within the 29 s integration timeout (INTEGRATION_TIMEOUT)';
  return answers;
}

const FUNCTION_ANSWERS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '204': 'No content',
  '400': 'The request is not valid: the message says what and where',
  '404': 'No such item',
  '409': 'The item exists, or the condition failed',
  '500': 'Internal server error (details in the function\'s log)',
  '503': 'DynamoDB throttled the request; retry after Retry-After seconds',
};

/** A draft 4 schema as an OpenAPI 3.0 Schema Object: the same keywords, minus `$schema` and `id`. */
export function toOpenApiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApiSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === 'id') continue;
    // The keys of properties are names (a property may be called `id`), the values of enum data.
    if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toOpenApiSchema(sub)]));
    } else out[key] = key === 'enum' || key === 'required' ? value : toOpenApiSchema(value);
  }
  return out;
}

const ref = (model: string) => ({ $ref: `#/components/schemas/${model}` });

function operation(method: DescribedMethod, api: ApiDescription): Json {
  const responses: Json = {};
  const statuses = new Set([...Object.keys(method.responses), ...Object.keys(gatewayAnswers(method))]);
  const gateway = gatewayAnswers(method);
  for (const status of [...statuses].sort()) {
    const model = method.responses[status] ?? (gateway[status] !== undefined ? ERROR_MODEL : '');
    const descriptions = [method.responses[status] !== undefined ? FUNCTION_ANSWERS[status] ?? `HTTP ${status}` : undefined, gateway[status]].filter((d) => d !== undefined);
    responses[status] = {
      description: descriptions.join('; or '),
      ...(model !== '' && Object.hasOwn(api.models, model) ? { content: { 'application/json': { schema: ref(model) } } } : {}),
    };
  }
  const security: Json[] = [];
  const scheme: Json = {};
  if (method.authorizationType === 'AWS_IAM') scheme.sigv4 = [];
  if (method.authorizationType === 'COGNITO_USER_POOLS') scheme.cognito = [];
  if (method.apiKeyRequired) scheme.api_key = [];
  if (Object.keys(scheme).length > 0) security.push(scheme);
  return {
    operationId: method.logicalId,
    ...(method.parameters.length > 0
      ? { parameters: method.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, schema: { type: 'string', ...(p.in === 'path' ? { minLength: 1 } : {}) } })) }
      : {}),
    ...(method.requestModel !== undefined && Object.hasOwn(api.models, method.requestModel)
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(method.requestModel) } } } }
      : {}),
    responses,
    security,
  };
}

export function buildOpenApiDocument(api: ApiDescription, servers: readonly OpenApiServer[]): Json {
  const paths: Record<string, Json> = {};
  const methods = [...api.methods].sort((a, b) => (a.path === b.path ? a.httpMethod.localeCompare(b.httpMethod) : a.path.localeCompare(b.path)));
  for (const m of methods) (paths[m.path] ??= {})[m.httpMethod.toLowerCase()] = operation(m, api);
  const schemas: Json = {};
  for (const name of Object.keys(api.models).sort()) schemas[name] = toOpenApiSchema(api.models[name]);
  if (!Object.hasOwn(schemas, ERROR_MODEL)) schemas[ERROR_MODEL] = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } };
  const securitySchemes: Json = {};
  if (api.methods.some((m) => m.authorizationType === 'AWS_IAM')) {
    securitySchemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', description: 'AWS Signature Version 4 (service execute-api)', 'x-amazon-apigateway-authtype': 'awsSigv4' };
  }
  if (api.methods.some((m) => m.authorizationType === 'COGNITO_USER_POOLS')) {
    securitySchemes.cognito = { type: 'apiKey', name: 'Authorization', in: 'header', description: 'an ID or access token of the stack\'s Cognito user pool', 'x-amazon-apigateway-authtype': 'cognito_user_pools' };
  }
  if (api.methods.some((m) => m.apiKeyRequired)) securitySchemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  return {
    openapi: '3.0.3',
    info: { title: api.title, version: '1.0', ...(api.description !== undefined ? { description: api.description } : {}) },
    servers: servers.map((s) => ({ url: s.url, description: s.description })),
    paths,
    components: { schemas, ...(Object.keys(securitySchemes).length > 0 ? { securitySchemes } : {}) },
  };
}
