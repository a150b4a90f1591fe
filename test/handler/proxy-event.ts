/**
 * API Gateway REST (v1) Lambda proxy events, shaped as API Gateway sends them:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyEventOptions {
  /** The resource template, e.g. `/items/{id}`; derived from `path` when omitted. */
  resource?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  isBase64Encoded?: boolean;
  stage?: string;
  requestId?: string;
}

let counter = 0;

export function proxyEvent(httpMethod: string, path: string, options: ProxyEventOptions = {}): APIGatewayProxyEvent {
  const stage = options.stage ?? 'prod';
  const itemMatch = /^\/items\/([^/]+)$/.exec(path);
  const resource = options.resource ?? (itemMatch ? '/items/{id}' : path);
  // Percent-encoded, as API Gateway REST APIs pass them.
  const pathParameters = options.pathParameters ?? (itemMatch ? { id: itemMatch[1]! } : null);
  const headers = { 'Content-Type': 'application/json', Host: 'abc123.execute-api.us-east-1.amazonaws.com', ...options.headers };
  const query = options.query;
  const requestId = options.requestId ?? `req-${process.pid}-${++counter}`;
  const body = options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return {
    resource,
    path,
    httpMethod,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1]! : v])) : null,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])) : null,
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'test',
        userArn: null,
      },
      path: `/${stage}${path}`,
      stage,
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: resource,
    },
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}
