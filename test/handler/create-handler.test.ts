import { expect } from 'chai';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Readable } from 'node:stream';
import { createHandler, type LogLine } from '../../handler/create-handler.js';
import { createDocumentClient } from '../../handler/document-client.js';
import { LOCAL_CREDENTIALS } from '../support/dynamo.js';
import { captureStdout, startHarness, toReply, type Harness } from './harness.js';
import { proxyEvent } from './proxy-event.js';

describe('handler/create-handler', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('routes-table');
  });
  after(() => h.stop());

  describe('routing', () => {
    it('routes by resource and method', async () => {
      expect((await h.call('POST', '/DynamoDBManager', { body: { operation: 'ping' } })).json).to.equal('pong');
      expect((await h.call('GET', '/items')).status).to.equal(200);
    });

    it('falls back to the path when the event has no resource (a direct invoke)', async () => {
      await h.call('PUT', '/items/r 1', { body: { v: 2 } });
      const direct = { ...proxyEvent('GET', '/items/r%201', { pathParameters: {} }), resource: undefined as unknown as string, pathParameters: null };
      const reply = toReply(await h.handler(direct));
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ id: 'r 1', v: 2 });
      const list = toReply(await h.handler({ ...proxyEvent('GET', '/items/'), resource: undefined as unknown as string }));
      expect(list.status).to.equal(200);
      expect(list.json).to.have.property('items');
    });

    const notFound: [string, string][] = [
      ['GET', '/nope'],
      ['GET', '/items/a/b'],
      ['POST', '/dynamodbmanager'],
    ];
    for (const [method, path] of notFound) {
      it(`answers 404 JSON for ${method} ${path}`, async () => {
        const reply = toReply(await h.handler({ ...proxyEvent(method, path), resource: path }));
        expect(reply.status).to.equal(404);
        expect(reply.headers['Content-Type']).to.equal('application/json');
        expect(reply.json.message).to.equal(`No route for ${method} ${path}`);
        expect(reply.json.requestId).to.be.a('string');
      });
    }

    const notAllowed: [string, string, string][] = [
      ['GET', '/DynamoDBManager', 'POST'],
      ['DELETE', '/items', 'GET, POST'],
      ['POST', '/items/x', 'GET, PUT, PATCH, DELETE'],
      ['OPTIONS', '/items/x', 'GET, PUT, PATCH, DELETE'],
    ];
    for (const [method, path, allow] of notAllowed) {
      it(`answers 405 with Allow for ${method} ${path}`, async () => {
        const reply = await h.call(method, path);
        expect(reply.status).to.equal(405);
        expect(reply.headers.Allow).to.equal(allow);
        expect(reply.json.message).to.match(new RegExp(`^Method ${method} is not allowed on `));
      });
    }

    it('answers 400 for an event that is not an API Gateway proxy event', async () => {
      for (const event of [{}, { operation: 'ping' }, null]) {
        const reply = toReply(await h.handler(event as never, { awsRequestId: 'lambda-req' }));
        expect(reply.status).to.equal(400);
        expect(reply.json).to.deep.equal({ message: 'the event is not an API Gateway (REST) proxy event: no httpMethod', requestId: 'lambda-req' });
      }
    });

    it('answers 400 for a path id that is not valid percent-encoding', async () => {
      const reply = toReply(await h.handler({ ...proxyEvent('GET', '/items/%E0%A4%A', { pathParameters: {} }), resource: undefined as unknown as string, pathParameters: null }));
      expect(reply.status).to.equal(400);
      expect(reply.json.message).to.equal('path parameter id is not valid percent-encoding');
      const viaGateway = await h.call('GET', '/items/%E0%A4%A');
      expect(viaGateway.status).to.equal(400);
      expect(viaGateway.json.message).to.equal('path parameter id is not valid percent-encoding');
    });
  });

  describe('request ids', () => {
    it('uses API Gateway\'s requestId, else the Lambda awsRequestId', async () => {
      const fromGateway = toReply(await h.handler(proxyEvent('GET', '/nope', { requestId: 'gw-1' }), { awsRequestId: 'lambda-1' }));
      expect(fromGateway.json.requestId).to.equal('gw-1');
      const event = proxyEvent('GET', '/nope');
      const noGatewayId = { ...event, requestContext: { ...event.requestContext, requestId: '' } };
      expect(toReply(await h.handler(noGatewayId, { awsRequestId: 'lambda-2' })).json.requestId).to.equal('lambda-2');
    });
  });

  describe('logging', () => {
    it('writes exactly one JSON line per request, without item contents', async () => {
      const { lines } = await captureStdout(async () => {
        const handler = createHandler({ db: h.db, tableName: h.tableName, env: {} });
        await handler(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'create', payload: { Item: { id: 'secret-id-1', ssn: 'SECRET-VALUE' } } }, requestId: 'log-1' }), { awsRequestId: 'lambda-1' });
        await handler(proxyEvent('GET', '/items/secret-id-1', { requestId: 'log-2' }), { awsRequestId: 'lambda-2' });
        await handler(proxyEvent('POST', '/items', { body: { id: 'secret-id-1', ssn: 'SECRET-VALUE' }, requestId: 'log-3' }), { awsRequestId: 'lambda-3' });
        await handler(proxyEvent('POST', '/DynamoDBManager', { body: '{"operation":"create","payload":{"Item":{"id":"x","n":1e999}}}', requestId: 'log-4' }), { awsRequestId: 'lambda-4' });
      });
      expect(lines).to.have.length(4);
      const parsed = lines.map((line) => JSON.parse(line) as LogLine);
      // The `level` key is what Lambda files a JSON line under (INFO, WARN, ERROR) and filters by.
      expect(parsed.map(({ durationMs, timestamp, dynamodbMs: _, ...rest }) => (expect(durationMs).to.be.a('number').and.at.least(0), expect(Date.parse(timestamp)).to.be.a('number').and.not.NaN, rest))).to.deep.equal([
        { level: 'INFO', message: 'POST /DynamoDBManager 200', requestId: 'lambda-1', apiRequestId: 'log-1', route: 'POST /DynamoDBManager', operation: 'create', status: 200 },
        { level: 'INFO', message: 'GET /items/{id} 200', requestId: 'lambda-2', apiRequestId: 'log-2', route: 'GET /items/{id}', status: 200 },
        { level: 'WARN', message: 'POST /items 409', requestId: 'lambda-3', apiRequestId: 'log-3', route: 'POST /items', status: 409 },
        { level: 'WARN', message: 'POST /DynamoDBManager 400', requestId: 'lambda-4', apiRequestId: 'log-4', route: 'POST /DynamoDBManager', operation: 'create', status: 400 },
      ]);
      expect(parsed.map((l) => typeof l.dynamodbMs)).to.deep.equal(['number', 'number', 'number', 'undefined']);
      for (const line of lines) expect(line).to.not.include('SECRET-VALUE').and.not.include('secret-id-1').and.not.include('1e999');
    });
  });

  describe('server errors', () => {
    it('answers 500 without details when the table does not exist, and logs the details', async () => {
      const logs: LogLine[] = [];
      const handler = createHandler({ db: h.db, tableName: 'no-such-table', log: (line) => logs.push(line) });
      const reply = toReply(await handler(proxyEvent('GET', '/items/x', { requestId: 'err-1' })));
      expect(reply.status).to.equal(500);
      expect(reply.json).to.deep.equal({ message: 'Internal server error', requestId: 'err-1' });
      expect(logs).to.have.length(1);
      expect(logs[0]).to.include({ level: 'ERROR', status: 500, apiRequestId: 'err-1' });
      expect(logs[0]!.error!.name).to.equal('ResourceNotFoundException');
      expect(logs[0]!.error!.stack).to.be.a('string');
    });

    it('answers 500 for every request when TABLE_NAME is missing, logging a configuration error', async () => {
      const logs: LogLine[] = [];
      const handler = createHandler({ db: h.db, tableName: undefined, log: (line) => logs.push(line) });
      for (const event of [proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'ping' } }), proxyEvent('GET', '/items')]) {
        const reply = toReply(await handler(event));
        expect(reply.status).to.equal(500);
        expect(reply.json.message).to.equal('Internal server error');
      }
      expect(logs.map((l) => l.error)).to.deep.include.members([{ name: 'ConfigurationError', message: 'TABLE_NAME is not set: the function does not know its table', stack: logs[0]!.error!.stack }]);
    });

    // Fakes: dynalite never throttles and never fails unexpectedly. Each fake client models one
    // behaviour of the real service: every request rejects with an error named like the SDK's
    // exception (a middleware at the first step answers before anything is sent).
    function failingClient(error: Error): DynamoDBDocumentClient {
      const client = new DynamoDBClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
      client.middlewareStack.add(() => async () => Promise.reject(error), { step: 'initialize' });
      return createDocumentClient(client);
    }
    function named(name: string, message: string): Error {
      return Object.assign(new Error(message), { name });
    }

    for (const name of ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']) {
      it(`answers 503 with Retry-After when DynamoDB throttles (${name})`, async () => {
        const logs: LogLine[] = [];
        const handler = createHandler({ db: failingClient(named(name, 'Rate exceeded')), tableName: 't', log: (line) => logs.push(line) });
        const reply = toReply(await handler(proxyEvent('GET', '/items/x')));
        expect(reply.status).to.equal(503);
        expect(reply.headers['Retry-After']).to.equal('1');
        expect(reply.json.message).to.equal('The table is busy (request throttled by DynamoDB); retry later');
        expect(logs[0]!.level).to.equal('ERROR');
      });
    }

    it('never leaks an unexpected error message or stack into the response', async () => {
      const logs: LogLine[] = [];
      const handler = createHandler({ db: failingClient(new TypeError('internal detail at /var/task/index.js')), tableName: 't', log: (line) => logs.push(line) });
      const reply = toReply(await handler(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'list' }, requestId: 'err-2' })));
      expect(reply.status).to.equal(500);
      expect(reply.raw.body).to.equal('{"message":"Internal server error","requestId":"err-2"}');
      expect(logs[0]!.error).to.include({ name: 'TypeError', message: 'internal detail at /var/task/index.js' });
      expect(logs[0]!.operation).to.equal('list');
    });

    it('answers 500 and logs a configuration error when the document client does not read numbers exactly', async () => {
      const logs: LogLine[] = [];
      const client = new DynamoDBClient({ endpoint: h.dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
      try {
        const handler = createHandler({ db: DynamoDBDocumentClient.from(client), tableName: h.tableName, log: (line) => logs.push(line) });
        const reply = toReply(await handler(proxyEvent('GET', '/items')));
        expect(reply.status).to.equal(500);
        expect(logs[0]!.error).to.include({ name: 'ConfigurationError' });
        expect(logs[0]!.error!.message).to.match(/wrapNumbers/);
      } finally {
        client.destroy();
      }
    });
  });

  describe('a stored attribute named "__proto__"', () => {
    // Fake: DynamoDB keeps an attribute named "__proto__" written by another client; dynalite
    // refuses to store one, and this API refuses to write one. The fake answers every request at
    // the HTTP layer with DynamoDB's JSON for such a result, so the real SDK deserializer and
    // lib-dynamodb's unmarshalling run on it.
    function clientAnswering(body: string): DynamoDBClient {
      return new DynamoDBClient({
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        endpoint: 'http://127.0.0.1:9',
        requestHandler: {
          handle: async () => ({
            response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(body)]) },
          }),
        } as never,
      });
    }

    // Response bodies as JSON text: in an object literal, `__proto__` would set the prototype.
    const polluting = '{"M":{"polluted":{"S":"yes"}}}';
    const cases: [string, string, string, string, RegExp][] = [
      ['GET', '/items/x', 'GetItem, top level', `{"Item":{"id":{"S":"x"},"__proto__":${polluting}}}`, /in Item;/],
      ['GET', '/items/x', 'GetItem, nested in a map', `{"Item":{"id":{"S":"x"},"m":{"M":{"__proto__":${polluting}}}}}`, /in Item\.m;/],
      ['GET', '/items', 'Scan, nested in a list', `{"Items":[{"id":{"S":"a"}},{"id":{"S":"b"},"l":{"L":[{"M":{"__proto__":{"S":"s"}}}]}}],"Count":2,"ScannedCount":2}`, /in Items\[1\]\.l\[0\];/],
      ['POST', '/DynamoDBManager', 'UpdateItem attributes', `{"Attributes":{"id":{"S":"x"},"__proto__":${polluting}}}`, /in Attributes;/],
    ];
    for (const [method, path, what, answer, where] of cases) {
      it(`answers 500, logs where it is, and pollutes nothing (${what})`, async () => {
        const client = clientAnswering(answer);
        const logs: LogLine[] = [];
        try {
          const handler = createHandler({ db: createDocumentClient(client), tableName: 't', log: (line) => logs.push(line) });
          const body = method === 'POST' ? { operation: 'update', payload: { Key: { id: 'x' }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 }, ReturnValues: 'ALL_NEW' } } : undefined;
          const reply = toReply(await handler(proxyEvent(method, path, { requestId: 'proto-1', body })));
          expect(reply.status).to.equal(500);
          expect(reply.raw.body).to.equal('{"message":"Internal server error","requestId":"proto-1"}');
          expect(logs[0]!.error!.name).to.equal('UnrepresentableItemError');
          expect(logs[0]!.error!.message).to.match(where);
          expect(Object.prototype).to.not.have.property('polluted');
        } finally {
          client.destroy();
        }
      });
    }
  });
});
