/**
 * The contract against the running local stack (AuthMode NONE, a random port): the document
 * `cli openapi` makes is valid OpenAPI 3.0 (openapi-spec-validator), schemathesis finds no 5xx
 * and no answer outside the document, and the handler and the models agree: every invalid
 * example below is refused by the handler when it reaches it directly (no validation at the
 * edge) and by the local API Gateway's request validation (the function not invoked).
 * The local answer, 400 {"message":"Invalid request body"} with x-amzn-ErrorType
 * BadRequestException, is AWS's as recorded in LocalStack's validated snapshot
 * tests/aws/services/apigateway/test_apigateway_common.snapshot.json (test_api_gateway_request_validator,
 * "invalid-request-body"; an empty body is checked as {}: "failed-validation-no-data").
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { exportOpenApi } from '../../cli/openapi/export-openapi.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { startHarness, type Harness } from '../handler/harness.js';
import { withTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const venvBin = join(root, '.venv', 'bin');

interface Example {
  why: string;
  method: string;
  path: string;
  /** Sent as is. */
  body: string;
  /** The handler's message, or a part of it. */
  handler: string;
}

const rpc = (body: unknown) => JSON.stringify(body);
const long = (n: number) => 'x'.repeat(n);

/** Invalid requests, one per rule the models state; each the handler refuses with its own words. */
const INVALID: Example[] = [
  { why: 'body not JSON', method: 'POST', path: '/DynamoDBManager', body: '{"operation":', handler: 'request body is not valid JSON' },
  { why: 'RPC body an array', method: 'POST', path: '/DynamoDBManager', body: '[]', handler: 'request body must be a JSON object, got an array' },
  { why: 'unknown top-level field', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'ping', TableName: 'x' }), handler: 'request body has unknown field "TableName"' },
  { why: 'no operation', method: 'POST', path: '/DynamoDBManager', body: rpc({ payload: {} }), handler: 'request body is missing "operation"' },
  { why: 'operation not a string', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 5 }), handler: 'operation must be a string, got a number' },
  { why: 'unknown operation', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: '__proto__' }), handler: 'unknown operation "__proto__"' },
  { why: 'tableName not a string', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'ping', tableName: 1 }), handler: 'tableName must be a string, got a number' },
  { why: 'payload an array', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'list', payload: [] }), handler: 'payload must be a JSON object, got an array' },
  { why: 'ping with a payload key', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'ping', payload: { a: 1 } }), handler: 'payload.a is not accepted for operation ping' },
  { why: 'create without payload', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create' }), handler: 'payload.Item is required' },
  { why: 'create: Item.id a number', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { id: 5 } } }), handler: 'payload.Item.id must be a string' },
  { why: 'create: Item without id', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { name: 'a' } } }), handler: 'payload.Item is missing the key attribute "id"' },
  { why: 'create: empty id', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { id: '' } } }), handler: 'payload.Item.id must not be empty' },
  { why: 'create: id over 2048 characters', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { id: long(2049) } } }), handler: 'payload.Item.id is 2049 bytes' },
  { why: 'create: TableName in the payload', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { TableName: 't', Item: { id: 'a' } } }), handler: 'payload.TableName is not accepted for operation create' },
  { why: 'create: ReturnValues ALL_NEW', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { id: 'a' }, ReturnValues: 'ALL_NEW' } }), handler: 'payload.ReturnValues must be one of NONE, ALL_OLD' },
  { why: 'create: expression over 4096 characters', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { id: 'a' }, ConditionExpression: long(4097) } }), handler: 'payload.ConditionExpression is 4097 bytes' },
  { why: 'create: attribute name not a string', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { id: 'a' }, ExpressionAttributeNames: { '#n': 1 } } }), handler: 'payload.ExpressionAttributeNames["#n"] must be a string' },
  { why: 'create: values not an object', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'create', payload: { Item: { id: 'a' }, ExpressionAttributeValues: [] } }), handler: 'payload.ExpressionAttributeValues must be an object, got an array' },
  { why: 'read: Key with another attribute', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'read', payload: { Key: { id: 'a', name: 'b' } } }), handler: 'payload.Key has attribute "name" that is not part of the table key' },
  { why: 'read: ConsistentRead a string', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'read', payload: { Key: { id: 'a' }, ConsistentRead: 'yes' } }), handler: 'payload.ConsistentRead must be true or false' },
  { why: 'update without Key', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'update', payload: { UpdateExpression: 'SET a = :a' } }), handler: 'payload.Key is required' },
  { why: 'delete: ReturnValues UPDATED_NEW', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'delete', payload: { Key: { id: 'a' }, ReturnValues: 'UPDATED_NEW' } }), handler: 'payload.ReturnValues must be one of NONE, ALL_OLD' },
  { why: 'list: Limit 0', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'list', payload: { Limit: 0 } }), handler: 'payload.Limit must be a positive integer' },
  { why: 'list: Limit a string', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'list', payload: { Limit: '10' } }), handler: 'payload.Limit must be a positive integer' },
  { why: 'list: ExclusiveStartKey without id', method: 'POST', path: '/DynamoDBManager', body: rpc({ operation: 'list', payload: { ExclusiveStartKey: {} } }), handler: 'payload.ExclusiveStartKey is missing the key attribute "id"' },
  // Deeper than the local validator parses (cli/local/request-validation.ts MAX_BODY_NESTING) and than the handler's 64 levels.
  { why: 'POST /items: nested 5000 levels', method: 'POST', path: '/items', body: `{"id":"a","x":${'['.repeat(5000)}${']'.repeat(5000)}}`, handler: 'nesting deeper than 64 levels' },
  { why: 'POST /items: empty body', method: 'POST', path: '/items', body: '', handler: 'request body is required' },
  { why: 'POST /items: an array', method: 'POST', path: '/items', body: '[{"id":"a"}]', handler: 'request body must be a JSON object (the item), got an array' },
  { why: 'POST /items: no id', method: 'POST', path: '/items', body: '{"name":"a"}', handler: 'request body is missing the key attribute "id"' },
  { why: 'POST /items: id null', method: 'POST', path: '/items', body: '{"id":null}', handler: 'request body.id must be a string' },
  { why: 'PUT: id a number', method: 'PUT', path: '/items/a', body: '{"id":1}', handler: 'request body.id must be a string' },
  { why: 'PUT: a string body', method: 'PUT', path: '/items/a', body: '"a"', handler: 'request body must be a JSON object (the item), got a string' },
  { why: 'PATCH: nothing to set', method: 'PATCH', path: '/items/a', body: '{}', handler: 'request body must set at least one attribute besides "id"' },
  { why: 'PATCH: 252 attributes', method: 'PATCH', path: '/items/a', body: JSON.stringify(Object.fromEntries(Array.from({ length: 252 }, (_, i) => [`a${i}`, i]))), handler: 'request body sets 252 attributes; a PATCH sets at most 250' },
];

describe('the API contract against the local stack', function () {
  this.timeout(180_000);
  let stack: LocalStack;
  let harness: Harness;
  const reporter = createMemoryReporter();

  before(async () => {
    [stack, harness] = await Promise.all([startLocalStack({ root, port: 0, reporter, concurrency: 2, parameterOverrides: { AuthMode: 'NONE' } }), startHarness()]);
  });
  after(async () => {
    await Promise.all([stack?.stop(), harness?.stop()]);
  });

  describe('the handler and the models refuse the same invalid requests', () => {
    for (const example of INVALID) {
      it(`${example.method} ${example.path}: ${example.why}`, async () => {
        const direct = await harness.call(example.method, example.path, { body: example.body });
        expect(direct.status, JSON.stringify(direct.json)).to.equal(400);
        expect(direct.json.message).to.include(example.handler);

        const before = reporter.stderr.length;
        const res = await fetch(`${stack.endpoint}${example.path}`, { method: example.method, body: example.body, headers: { 'content-type': 'application/json' } });
        expect(res.status).to.equal(400);
        expect(res.headers.get('x-amzn-errortype')).to.equal('BadRequestException');
        expect(await res.text()).to.equal('{"message":"Invalid request body"}');
        const printed = reporter.stderr.slice(before).join('\n');
        expect(printed).to.include('the function was not invoked');
      });
    }
    it('wrote nothing for any of them', async () => {
      expect(await harness.scanAll()).to.deep.equal([]);
      const res = await fetch(`${stack.endpoint}/items`);
      expect(await res.json()).to.deep.equal({ items: [] });
    });
  });

  describe('cli openapi', () => {
    it('writes a document openapi-spec-validator accepts, with the security schemes of the auth mode', async () => {
      await withTempDir('openapi-', async (dir) => {
        const plain = join(dir, 'openapi.json');
        await exportOpenApi({ url: stack.endpoint, out: plain, parameterOverrides: { AuthMode: 'NONE' } }, { root, reporter: createMemoryReporter() });
        const signed = join(dir, 'openapi-iam.json');
        await exportOpenApi({ url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod', out: signed, parameterOverrides: { AuthMode: 'AWS_IAM', ApiKeyRequired: 'true' } }, { root, reporter: createMemoryReporter() });
        const { stdout } = await run(join(venvBin, 'openapi-spec-validator'), [plain, signed]);
        expect(stdout).to.equal(`${plain}: OK\n${signed}: OK\n`);
        const doc = JSON.parse(await readFile(plain, 'utf8'));
        expect(doc.servers).to.deep.equal([{ url: stack.endpoint, description: 'given with --url' }]);
        expect(Object.keys(doc.paths).sort()).to.deep.equal(['/DynamoDBManager', '/items', '/items/{id}']);
        expect(doc.paths['/items'].post.requestBody.content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/Item' });
        for (const status of ['400', '403', '429', '502']) expect(doc.paths['/items/{id}'].patch.responses, status).to.have.property(status);
        expect(doc.components).not.to.have.property('securitySchemes');
        const iam = JSON.parse(await readFile(signed, 'utf8'));
        expect(Object.keys(iam.components.securitySchemes).sort()).to.deep.equal(['api_key', 'sigv4']);
        expect(iam.paths['/items'].get.security).to.deep.equal([{ sigv4: [], api_key: [] }]);
      });
    });
  });

  describe('schemathesis', () => {
    it('finds no 5xx and no answer the document does not describe (10 examples per operation, seed 1)', async () => {
      await withTempDir('schemathesis-', async (dir) => {
        const doc = join(dir, 'openapi.json');
        await exportOpenApi({ url: stack.endpoint, out: doc, parameterOverrides: { AuthMode: 'NONE' } }, { root, reporter: createMemoryReporter() });
        const args = [
          'run', doc, '--url', stack.endpoint,
          '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
          '--max-examples', '10', '--seed', '1', '--workers', '1', '--phases', 'examples,fuzzing',
          '--suppress-health-check', 'all', '--no-color', '--report-dir', dir,
        ];
        const result = await run(join(venvBin, 'st'), args, { cwd: dir, maxBuffer: 1 << 24, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } }).then(
          (r) => ({ code: 0, out: r.stdout }),
          (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, out: `${e.stdout ?? ''}\n${e.stderr ?? ''}` }),
        );
        // On a failure schemathesis prints each failing request as a curl command to reproduce it.
        expect(result.code, result.out).to.equal(0);
        expect(result.out).to.match(/7 passed/);
      });
    });
  });
});
