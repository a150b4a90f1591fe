import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { buildArtifact, ZIP_BUDGET_BYTES, type Artifact } from '../../cli/build/artifact.js';
import { createZip, readZip, ZipFormatError } from '../../cli/build/zip.js';
import { build } from '../../cli/commands/build.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { LOCAL_CREDENTIALS, startTestDynamo, type TestDynamo } from '../support/dynamo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

/** An independent reader: Python's zipfile checks CRCs and reports names, dates and modes. */
async function inspectWithPython(zipPath: string): Promise<{ bad: string | null; entries: { name: string; date: number[]; mode: number; data: string }[] }> {
  const script = [
    'import base64, json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'print(json.dumps({"bad": z.testzip(), "entries": [{"name": i.filename, "date": list(i.date_time), "mode": i.external_attr >> 16,',
    '  "data": base64.b64encode(z.read(i.filename)).decode()} for i in z.infolist()]}))',
  ].join('\n');
  const { stdout } = await run('python3', ['-c', script, zipPath]);
  return JSON.parse(stdout) as Awaited<ReturnType<typeof inspectWithPython>>;
}

describe('cli/build/zip', () => {
  const entries = [
    { name: 'b.txt', data: Buffer.from('hello\n') },
    { name: 'lib/ü-unicode.js', data: Buffer.from('module.exports = 1;\n'.repeat(200)) },
    { name: 'empty', data: new Uint8Array(0) },
    { name: 'random.bin', data: randomBytes(4096) },
  ];

  describe('createZip', () => {
    it('writes the same bytes whatever the input order', () => {
      expect(createZip(entries).equals(createZip([...entries].reverse()))).to.equal(true);
    });

    it('writes a zip other tools read, sorted, dated 1980-01-01, mode 0644', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zip-test-'));
      try {
        const file = join(dir, 'a.zip');
        await writeFile(file, createZip(entries));
        const seen = await inspectWithPython(file);
        expect(seen.bad).to.equal(null);
        expect(seen.entries.map((e) => e.name)).to.deep.equal(['b.txt', 'empty', 'lib/ü-unicode.js', 'random.bin']);
        for (const e of seen.entries) {
          expect(e.date, e.name).to.deep.equal([1980, 1, 1, 0, 0, 0]);
          expect(e.mode, e.name).to.equal(0o100644);
          const original = entries.find((x) => x.name === e.name)?.data ?? new Uint8Array();
          expect(Buffer.from(e.data, 'base64').equals(Buffer.from(original)), e.name).to.equal(true);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('rejects duplicate and unsafe names', () => {
      expect(() => createZip([entries[0]!, entries[0]!])).to.throw('duplicate zip entry: b.txt');
      for (const name of ['../x', '/abs', 'a\\b', '']) expect(() => createZip([{ name, data: new Uint8Array(1) }]), name).to.throw(/unsafe zip entry name/);
    });
  });

  describe('readZip', () => {
    it('round-trips what createZip wrote', () => {
      const back = readZip(createZip(entries));
      expect(back.map((e) => e.name)).to.deep.equal(['b.txt', 'empty', 'lib/ü-unicode.js', 'random.bin']);
      for (const e of back) expect(e.data.equals(Buffer.from(entries.find((x) => x.name === e.name)!.data)), e.name).to.equal(true);
    });

    it('rejects a corrupted entry (CRC-32 or deflate error) and a truncated archive', () => {
      const zip = createZip([{ name: 'a.txt', data: Buffer.from('abcdefgh'.repeat(100)) }]);
      const corrupt = Buffer.from(zip);
      const dataStart = 30 + 'a.txt'.length;
      corrupt[dataStart + 3] = (corrupt[dataStart + 3] ?? 0) ^ 0xff;
      expect(() => readZip(corrupt)).to.throw(ZipFormatError, /a\.txt/);
      expect(() => readZip(zip.subarray(0, zip.length - 30))).to.throw(ZipFormatError);
      expect(() => readZip(Buffer.from('not a zip at all, not even close'))).to.throw(ZipFormatError, 'no end of central directory record');
    });
  });
});

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

describe('cli/commands/build', () => {
  describe('build', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'build-cmd-'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('prints the zip path with its size in bytes and KB, and the bundle size', async () => {
      const reporter = createMemoryReporter();
      const artifact = await build({ outDir: dir, json: false }, { reporter, root, env: process.env });
      expect(reporter.stdout).to.have.length(1);
      expect(reporter.stdout[0]).to.match(/handler-[0-9a-f]{12}\.zip {2}\d+ bytes \(\d+\.\d KB\), index\.js \d+ bytes \(\d+\.\d KB\)$/);
      expect(reporter.stdout[0]).to.include(`${artifact.size} bytes`);
      expect(reporter.stderr.filter((l) => l.startsWith('warning:'))).to.deep.equal([]);
    });

    it('prints the artifact as JSON with --json', async () => {
      const reporter = createMemoryReporter();
      const artifact = await build({ outDir: dir, json: true }, { reporter, root, env: process.env });
      expect(JSON.parse(reporter.stdout.join('\n'))).to.deep.equal(JSON.parse(JSON.stringify(artifact)));
    });
  });
});
