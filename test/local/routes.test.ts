import { expect } from 'chai';
import { createRouteTable, formatRoute } from '../../cli/local/routes.js';
import type { LocalRoute } from '../../cli/local/stack-model.js';

describe('cli/local/routes', () => {
  const route = (httpMethod: string, resourcePath: string): LocalRoute => ({
    resourcePath,
    resourceId: resourcePath,
    httpMethod,
    functionLogicalId: 'Fn',
    apiKeyRequired: false,
    authorizationType: 'NONE',
    timeoutMs: 29_000,
    methodLogicalId: `${httpMethod}${resourcePath}`,
  });
  const table = createRouteTable([
    route('POST', '/DynamoDBManager'),
    route('GET', '/items'),
    route('GET', '/items/{id}'),
    route('DELETE', '/items/{id}'),
    route('GET', '/items/special'),
    route('ANY', '/files/{path+}'),
    route('GET', '/'),
  ]);

  describe('createRouteTable.match', () => {
    const cases: [string, string, string | undefined, Record<string, string> | null][] = [
      ['POST', '/DynamoDBManager', 'POST /DynamoDBManager', null],
      ['GET', '/DynamoDBManager', undefined, null],
      ['GET', '/items', 'GET /items', null],
      ['GET', '/items/', 'GET /items', null],
      ['GET', '/items/42', 'GET /items/{id}', { id: '42' }],
      ['DELETE', '/items/42', 'DELETE /items/{id}', { id: '42' }],
      ['PUT', '/items/42', undefined, null],
      ['GET', '/items/special', 'GET /items/special', null],
      ['GET', '/items/a%20b', 'GET /items/{id}', { id: 'a%20b' }],
      ['GET', '/items/42/more', undefined, null],
      ['PATCH', '/files/a/b/c.txt', 'ANY /files/{path+}', { path: 'a/b/c.txt' }],
      ['GET', '/files', undefined, null],
      ['GET', '/', 'GET /', null],
      ['GET', '/nope', undefined, null],
      // AWS: LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_aws_proxy_integration,
      // snapshots "invocation-payload-with-double-slash" (an inner // stays in the greedy parameter),
      // "invocation-payload-with-trailing-slash" (a trailing / does not), "invocation-payload-with-prepended-slash"
      // and "invocation-hardcoded" (a // after the stage routes as /).
      ['PATCH', '/files/a//b', 'ANY /files/{path+}', { path: 'a//b' }],
      ['PATCH', '/files/a/b/', 'ANY /files/{path+}', { path: 'a/b' }],
      ['PATCH', '//files/a', 'ANY /files/{path+}', { path: 'a' }],
      ['GET', '//items', 'GET /items', null],
    ];
    for (const [method, path, expected, params] of cases) {
      it(`${expected ? `routes ${method} ${path} to ${expected}` : `finds no route for ${method} ${path}`}`, () => {
        const match = table.match(method, path);
        expect(match ? `${match.route.httpMethod} ${match.route.resourcePath}` : undefined).to.equal(expected);
        if (match) expect(match.pathParameters).to.deep.equal(params);
      });
    }
  });

  describe('createRouteTable.describe', () => {
    it('lists every method and resource path, by path then method', () => {
      expect(table.describe()).to.deep.equal([
        { method: 'GET', path: '/' },
        { method: 'POST', path: '/DynamoDBManager' },
        { method: 'ANY', path: '/files/{path+}' },
        { method: 'GET', path: '/items' },
        { method: 'DELETE', path: '/items/{id}' },
        { method: 'GET', path: '/items/{id}' },
        { method: 'GET', path: '/items/special' },
      ]);
    });
  });

  describe('formatRoute', () => {
    const cases: [string, string, string, string][] = [
      ['GET', '/items/{id}', '/dev', 'GET    /dev/items/{id}'],
      ['DELETE', '/items/{id}', 'http://127.0.0.1:3000/prod', 'DELETE http://127.0.0.1:3000/prod/items/{id}'],
      ['GET', '/', '/dev', 'GET    /dev'],
    ];
    for (const [method, path, base, line] of cases) {
      it(`prints ${method} ${path} under ${base} as "${line}"`, () => {
        expect(formatRoute({ method, path }, base)).to.equal(line);
      });
    }
  });
});
