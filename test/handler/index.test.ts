import { expect } from 'chai';
import type * as EntryPoint from '../../handler/index.js';
import { LOCAL_CREDENTIALS, startTestDynamo, type TestDynamo } from '../support/dynamo.js';
import { captureStdout, toReply } from './harness.js';
import { proxyEvent } from './proxy-event.js';

/** The deployed entry point, configured only through the environment as Lambda configures it. */
describe('handler/index', () => {
  const ENV_KEYS = ['TABLE_NAME', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
  const saved = new Map(ENV_KEYS.map((key) => [key, process.env[key]]));
  let dynamo: TestDynamo;

  before(async () => {
    dynamo = await startTestDynamo();
    await dynamo.createTable('index-table');
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  });

  after(async () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await dynamo.stop();
  });

  describe('handler', () => {
    it('serves requests against the table named by TABLE_NAME at the endpoint from AWS_ENDPOINT_URL_DYNAMODB', async () => {
      process.env.TABLE_NAME = 'index-table';
      // A fresh module instance (query string), so no other test file shares this configured one.
      const fresh = '../../handler/index.js?with-table-name';
      const { handler } = (await import(fresh)) as typeof EntryPoint;
      const { lines } = await captureStdout(async () => {
        const created = toReply(await handler(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'create', tableName: 'index-table', payload: { Item: { id: 'i1', price: 12.75 } } } }), { awsRequestId: 'a' }));
        expect(created.status).to.equal(200);
        const read = toReply(await handler(proxyEvent('GET', '/items/i1')));
        expect(read.json).to.deep.equal({ id: 'i1', price: 12.75 });
        const other = toReply(await handler(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'list', tableName: 'lambda-apigateway' } })));
        expect(other.status).to.equal(400);
        expect(other.json.message).to.match(/^tableName "lambda-apigateway" is not this function's table "index-table"/);
      });
      // TABLE_NAME alone: no METRICS_NAMESPACE, so log lines only.
      expect(lines.map((line) => JSON.parse(line).status)).to.deep.equal([200, 200, 400]);
    });

    it('imports without TABLE_NAME and answers a logged 500 instead of crashing', async () => {
      delete process.env.TABLE_NAME;
      // A query string gives a fresh module instance, evaluated with the current environment.
      const fresh = '../../handler/index.js?without-table-name';
      const { result: status, lines } = await captureStdout(async () => {
        const { handler } = (await import(fresh)) as typeof EntryPoint;
        return (await handler(proxyEvent('POST', '/DynamoDBManager', { body: { operation: 'ping' } }))).statusCode;
      });
      expect(status).to.equal(500);
      expect(lines).to.have.length(1);
      // Lambda files a JSON line under its own `level` key (handler/log-output.ts).
      expect(JSON.parse(lines[0]!)).to.deep.include({ level: 'ERROR', status: 500 }).and.have.nested.property('error.name', 'ConfigurationError');
    });
  });
});
