import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { buildArtifact, ZIP_BUDGET_BYTES, type Artifact } from '../../cli/build/artifact.js';
import { readZip } from '../../cli/build/zip.js';
import { LOCAL_CREDENTIALS, startTestDynamo, type TestDynamo } from '../support/dynamo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

describe('cli/build/artifact', () => {
  let dir: string;
  let first: Artifact;
  let second: Artifact;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'build-test-'));
    await writeFile(join(dir, 'keep.txt'), 'not ours');
    first = await buildArtifact({ root, outDir: join(dir, 'one') });
    second = await buildArtifact({ root, outDir: join(dir, 'two') });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe('buildArtifact', () => {
    it('gives byte-identical zips for the same sources, named by their sha256', async () => {
      const a = await readFile(first.zipPath);
      const b = await readFile(second.zipPath);
      expect(a.equals(b)).to.equal(true);
      expect(first.key).to.equal(second.key);
      const sha256 = createHash('sha256').update(a).digest('hex');
      expect(first.sha256).to.equal(sha256);
      expect(first.key).to.equal(`handler-${sha256.slice(0, 12)}.zip`);
      expect(first.zipPath).to.equal(join(dir, 'one', first.key));
      expect(first.size).to.equal((await stat(first.zipPath)).size);
    });

    it('holds exactly index.js, within the 200 KB budget', async () => {
      const files = readZip(await readFile(first.zipPath));
      expect(files.map((f) => f.name)).to.deep.equal(['index.js']);
      expect(files[0]?.data.length).to.equal(first.bundleSize);
      expect(first.size).to.be.at.most(ZIP_BUDGET_BYTES);
    });

    it('adds its zip and removes nothing', async () => {
      expect((await readdir(dir)).sort()).to.deep.equal(['keep.txt', 'one', 'two']);
      expect(await readdir(join(dir, 'one'))).to.deep.equal([first.key]);
    });
  });

  describe('the zipped bundle in a fresh Node process', () => {
    let dynamo: TestDynamo;
    let table: string;
    before(async () => {
      dynamo = await startTestDynamo();
      table = await dynamo.createTable();
    });
    after(() => dynamo.stop());

    it('serves proxy events against a real DynamoDB endpoint', async () => {
      const unpacked = join(dir, 'unpacked');
      const [indexJs] = readZip(await readFile(first.zipPath));
      await rm(unpacked, { recursive: true, force: true });
      await mkdir(unpacked);
      await writeFile(join(unpacked, indexJs!.name), indexJs!.data);
      // The Lambda runtime's part: require index.js, call exports.handler(event, context), keep the
      // results (in a file: stdout is the function's log).
      const runner = `
        const { handler } = require(${JSON.stringify(join(unpacked, 'index.js'))});
        const events = JSON.parse(process.argv[1]);
        const resultFile = process.argv[2];
        (async () => {
          const out = [];
          for (const [i, event] of events.entries()) {
            const context = { awsRequestId: 'req-' + i, functionName: 'fn', getRemainingTimeInMillis: () => 10000 };
            out.push(await handler(event, context));
          }
          require('node:fs').writeFileSync(resultFile, JSON.stringify(out));
        })().catch((err) => { console.error(err); process.exit(1); });`;
      const event = (method: string, resource: string, path: string, body?: unknown, pathParameters: Record<string, string> | null = null) => ({
        resource,
        path,
        httpMethod: method,
        headers: { 'content-type': 'application/json' },
        multiValueHeaders: { 'content-type': ['application/json'] },
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters,
        stageVariables: null,
        requestContext: { requestId: `api-${method}-${path}`, resourcePath: resource, httpMethod: method, path: `/test${path}`, stage: 'test' },
        body: body === undefined ? null : JSON.stringify(body),
        isBase64Encoded: false,
      });
      const events = [
        event('POST', '/DynamoDBManager', '/DynamoDBManager', { operation: 'ping' }),
        event('POST', '/DynamoDBManager', '/DynamoDBManager', { operation: 'create', tableName: table, payload: { Item: { id: '1234ABCD', number: 5, price: 12.75 } } }),
        event('POST', '/DynamoDBManager', '/DynamoDBManager', { operation: 'read', tableName: table, payload: { Key: { id: '1234ABCD' } } }),
        event('GET', '/items/{id}', '/items/1234ABCD', undefined, { id: '1234ABCD' }),
      ];
      const resultFile = join(dir, 'results.json');
      await run(process.execPath, ['-e', runner, JSON.stringify(events), resultFile], {
        cwd: unpacked,
        env: {
          PATH: process.env.PATH,
          TABLE_NAME: table,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      });
      const responses = JSON.parse(await readFile(resultFile, 'utf8')) as { statusCode: number; body: string }[];
      expect(responses.map((r) => r.statusCode)).to.deep.equal([200, 200, 200, 200]);
      expect(JSON.parse(responses[0]!.body)).to.equal('pong');
      expect(JSON.parse(responses[2]!.body)).to.deep.equal({ Item: { id: '1234ABCD', number: 5, price: 12.75 } });
      expect(JSON.parse(responses[3]!.body)).to.deep.include({ id: '1234ABCD', number: 5 });
      // The write really reached the server the test started.
      const stored = await dynamo.doc.send(new GetCommand({ TableName: table, Key: { id: '1234ABCD' } }));
      expect(stored.Item).to.deep.equal({ id: '1234ABCD', number: 5, price: 12.75 });
    });
  });
});
