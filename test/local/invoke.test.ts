import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dev } from '../../cli/commands/dev.js';
import { invoke, type InvokeResult } from '../../cli/invoke/invoke.js';
import { CliError, UsageError } from '../../cli/errors.js';
import { parseRequestFile, subsetMismatch } from '../../cli/invoke/request-file.js';
import { explainLocalForbidden, resolveInvokeTarget, type InvokeTarget } from '../../cli/invoke/target.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A loopback port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('cli/invoke/request-file', () => {
  describe('parseRequestFile', () => {
    it('reads an RPC payload in the original format and strips "expect" from what is sent', () => {
      const r = parseRequestFile('a.json', JSON.stringify({ operation: 'read', tableName: 't', payload: { Key: { id: '1' } }, expect: { status: 200, body: {} } }));
      expect(r).to.deep.equal({
        file: 'a.json',
        kind: 'rpc',
        method: 'POST',
        path: '',
        headers: { 'content-type': 'application/json' },
        body: '{"operation":"read","tableName":"t","payload":{"Key":{"id":"1"}}}',
        expect: { status: 200, body: {} },
      });
    });

    it('reads a REST request, JSON-encoding an object body and adding the query string', () => {
      const r = parseRequestFile('b.json', JSON.stringify({ method: 'post', path: '/items', query: { limit: 2, tag: ['a', 'b'] }, body: { id: 'x' } }));
      expect(r).to.deep.include({ kind: 'rest', method: 'POST', path: '/items?limit=2&tag=a&tag=b', body: '{"id":"x"}' });
      expect(r.headers).to.deep.equal({ 'content-type': 'application/json' });
    });

    const bad: [string, string, RegExp][] = [
      ['not JSON', '{', /^c\.json: not valid JSON/],
      ['an array', '[]', /^c\.json: must hold a JSON object/],
      ['neither shape', '{"hello":1}', /has neither "operation" \(RPC payload\) nor "method"\/"path"/],
      ['a non-string operation', '{"operation":1}', /"operation" must be a string/],
      ['a bad method', '{"method":"FETCH","path":"/x"}', /"method" must be one of GET, HEAD, POST/],
      ['a relative path', '{"method":"GET","path":"items"}', /"path" must be a string starting with \//],
      ['an unknown REST key', '{"method":"GET","path":"/x","bdy":1}', /unknown key "bdy" in a REST request/],
      ['a bad expect.status', '{"operation":"ping","expect":{"status":"200"}}', /"expect\.status" must be an HTTP status code/],
      ['an unknown expect key', '{"operation":"ping","expect":{"code":200}}', /"expect" has unknown key "code"/],
      ['a non-string header', '{"method":"GET","path":"/x","headers":{"a":1}}', /"headers\.a" must be a string/],
    ];
    for (const [name, text, message] of bad) {
      it(`rejects ${name}, naming the file`, () => {
        expect(() => parseRequestFile('c.json', text)).to.throw(UsageError, message);
      });
    }
  });

  describe('subsetMismatch', () => {
    const cases: [unknown, unknown, string | undefined][] = [
      [{ a: 1 }, { a: 1, b: 2 }, undefined],
      [{ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2, d: 3 }] } }, undefined],
      [{}, {}, undefined],
      [{}, { Item: {} }, 'body: expected {}, got {"Item":{}}'],
      [{ a: 1 }, { a: 2 }, 'body.a: expected 1, got 2'],
      [{ a: 1 }, {}, 'body.a: missing'],
      [[1, 2], [1], 'body: expected 2 items, got 1'],
      ['pong', 'pong', undefined],
      ['pong', 'ping', 'body: expected "pong", got "ping"'],
      [{ a: 1 }, 'text', 'body: expected an object, got "text"'],
    ];
    for (const [expected, actual, result] of cases) {
      it(`${result === undefined ? 'matches' : 'does not match'} ${JSON.stringify(expected)} in ${JSON.stringify(actual)}`, () => {
        expect(subsetMismatch(expected, actual)).to.equal(result);
      });
    }
  });
});

describe('cli/invoke/target', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'invoke-target-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe('resolveInvokeTarget', () => {
    it('defaults to the template default stage on port 3000 when no cli dev has left a state file', async () => {
      const target = await resolveInvokeTarget({ devStateDir: join(dir, 'no-state') }, { root: ROOT, env: {} });
      expect(target).to.deep.include({
        apiEndpoint: 'http://127.0.0.1:3000/prod',
        rpcUrl: 'http://127.0.0.1:3000/prod/DynamoDBManager',
        source: 'local cli dev',
      });
      expect(target.local?.via).to.equal('default');
    });

    it('takes --url as the stage URL or as its DynamoDBManager URL', async () => {
      for (const url of ['https://abc.execute-api.eu-west-1.amazonaws.com/prod/', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/DynamoDBManager']) {
        const target = await resolveInvokeTarget({ url, apiKey: 'K' }, { root: ROOT, env: {} });
        expect(target).to.deep.equal({
          apiEndpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
          rpcUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/DynamoDBManager',
          source: '--url',
          apiKey: 'K',
          apiKeySource: '--api-key',
        });
      }
    });

    it('reads ApiEndpoint and DynamoDBManagerUrl from --outputs-file, and the key from CLI_API_KEY', async () => {
      const file = join(dir, 'outputs.json');
      await writeFile(file, JSON.stringify({ ApiEndpoint: 'http://127.0.0.1:4000/dev', DynamoDBManagerUrl: 'http://127.0.0.1:4000/dev/DynamoDBManager' }));
      expect(await resolveInvokeTarget({ outputsFile: file, devStateDir: join(dir, 'state') }, { root: ROOT, env: { CLI_API_KEY: 'E' } })).to.deep.equal({
        apiEndpoint: 'http://127.0.0.1:4000/dev',
        rpcUrl: 'http://127.0.0.1:4000/dev/DynamoDBManager',
        source: `--outputs-file ${file}`,
        apiKey: 'E',
        apiKeySource: 'CLI_API_KEY',
        local: { via: 'given', stateDir: relative(process.cwd(), join(dir, 'state')) },
      });
    });

    it('rejects a bad --url, a missing outputs file and both at once', async () => {
      await resolveInvokeTarget({ url: 'ftp://x' }, { root: ROOT, env: {} }).then(
        () => expect.fail('accepted'),
        (e: unknown) => expect((e as Error).message).to.equal('--url: "ftp://x" is not an http(s) URL'),
      );
      await resolveInvokeTarget({ outputsFile: join(dir, 'none.json') }, { root: ROOT, env: {} }).then(
        () => expect.fail('accepted'),
        (e: unknown) => expect((e as Error).message).to.match(/none\.json: no such file$/),
      );
      await resolveInvokeTarget({ url: 'http://x', outputsFile: 'y' }, { root: ROOT, env: {} }).then(
        () => expect.fail('accepted'),
        (e: unknown) => expect(e).to.be.instanceOf(UsageError),
      );
    });
  });
});

describe('cli/invoke/target explainLocalForbidden', () => {
  const local = (over: Partial<InvokeTarget>): InvokeTarget => ({
    apiEndpoint: 'http://127.0.0.1:3000/prod',
    rpcUrl: 'http://127.0.0.1:3000/prod/DynamoDBManager',
    source: 'local cli dev',
    local: { via: 'default', stateDir: '.local/cli-dev' },
    ...over,
  });

  it('says that no cli dev was found and the default stage was assumed', () => {
    expect(explainLocalForbidden(local({}), { message: 'Missing Authentication Token' })).to.deep.equal([
      'invoke used stage prod of the default local target and no x-api-key.',
      "No running cli dev was found (no live state file in .local/cli-dev), so invoke assumed the template's default stage on port 3000: start `npx cli dev`, or pass --url http://HOST:PORT/<stage> or --outputs-file.",
    ]);
  });

  it('names the key, where it came from, and why an outputs file can hold an old one', () => {
    const target = local({ apiEndpoint: 'http://127.0.0.1:4000/dev', source: '--outputs-file o.json', apiKey: 'K1', apiKeySource: '--outputs-file o.json', local: { via: 'given', stateDir: '.local/cli-dev' } });
    expect(explainLocalForbidden(target, { message: 'Forbidden' })).to.deep.equal([
      'invoke used stage dev of --outputs-file o.json and x-api-key K1 (from --outputs-file o.json).',
      "That key is not the stack's: cli dev makes a new key at every start (unless started with --api-key), so an outputs file of an earlier run holds an old one; rewrite it (cli dev --outputs-file) or pass --api-key.",
    ]);
  });

  it('says nothing for a target that is not local', () => {
    expect(explainLocalForbidden({ apiEndpoint: 'https://a.execute-api.eu-west-1.amazonaws.com/prod', rpcUrl: 'x', source: '--url' }, { message: 'Forbidden' })).to.deep.equal([]);
  });
});

describe('cli/invoke/invoke with a running cli dev', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'invoke-dev-'));
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  const ping = join(ROOT, 'samples', 'ping.json');
  const quiet = () => ({ reporter: createMemoryReporter(), root: ROOT, env: {} });
  const failure = (run: Promise<unknown>) => run.then(() => expect.fail('invoke passed'), (e: unknown) => e as CliError);

  it('follows its state file (port, stage, API key) with no flags, reads the key from its outputs file, and explains a 403', async () => {
    const devStateDir = join(scratch, 'state');
    const outputsFile = join(scratch, 'outputs.json');
    const oldOutputs = join(scratch, 'old-outputs.json');
    let followed: InvokeResult[] = [];
    let viaOutputs: InvokeResult[] = [];
    let stateFiles: string[] = [];
    let noKey: CliError | undefined;
    let oldKey: CliError | undefined;
    let endpoint = '';
    await dev(
      { port: 0, host: '127.0.0.1', region: 'us-east-1', stackName: 'invoke-test', parameterOverrides: ['ApiKeyRequired=true', 'StageName=dev'], watch: false, outputsFile },
      {
        ...quiet(),
        devStateDir,
        onReady: (stack) => {
          endpoint = stack.endpoint;
        },
        untilStopped: async () => {
          followed = await invoke({ files: [ping], devStateDir }, quiet());
          viaOutputs = await invoke({ files: [ping], outputsFile }, quiet());
          stateFiles = await readdir(devStateDir);
          noKey = await failure(invoke({ files: [ping], url: endpoint }, quiet()));
          await writeFile(oldOutputs, JSON.stringify({ ApiEndpoint: endpoint, ApiKeyValue: 'key-of-an-earlier-run' }));
          oldKey = await failure(invoke({ files: [ping], outputsFile: oldOutputs }, quiet()));
          return 'SIGTERM';
        },
      },
    );
    expect(stateFiles).to.deep.equal([`${process.pid}.json`]);
    expect(followed[0]!.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/dev\/DynamoDBManager$/);
    expect(followed[0]!.status).to.equal(200);
    expect(viaOutputs[0]!.status).to.equal(200);
    expect(noKey!.details).to.deep.equal([
      `${ping}: status 403, expected 2xx`,
      'invoke used stage dev of --url and no x-api-key.',
      'The method requires an API key (ApiKeyRequired=true): pass --api-key with the key cli dev printed at start, or --outputs-file of that cli dev.',
    ]);
    expect(oldKey!.details[1]).to.equal(`invoke used stage dev of --outputs-file ${oldOutputs} and x-api-key key-of-an-earlier-run (from --outputs-file ${oldOutputs}).`);
    expect(oldKey!.details[2]).to.match(/^That key is not the stack's: cli dev makes a new key at every start/);
    // Removed on stop: the next invoke does not follow a stopped cli dev.
    expect(await readdir(devStateDir)).to.deep.equal([]);
  });

  it('refuses to guess between two running cli dev, naming both', async () => {
    const devStateDir = join(scratch, 'two');
    await mkdir(devStateDir, { recursive: true });
    // Two live processes: this one and its parent.
    for (const pid of [process.pid, process.ppid]) {
      await writeFile(join(devStateDir, `${pid}.json`), JSON.stringify({ pid, origin: `http://127.0.0.1:${pid}`, stage: 'prod', outputs: {}, startedAt: `2030-01-01T00:00:0${pid === process.pid ? 1 : 2}Z` }));
    }
    const error = await failure(resolveInvokeTarget({ devStateDir }, { root: ROOT, env: {} }));
    expect(error).to.be.instanceOf(UsageError);
    expect(error.message).to.match(/^2 cli dev are running \(state files in .*two\); choose one with --url:$/);
    expect(error.details).to.deep.equal([
      `--url http://127.0.0.1:${process.pid}/prod   (pid ${process.pid}, since 2030-01-01T00:00:01Z)`,
      `--url http://127.0.0.1:${process.ppid}/prod   (pid ${process.ppid}, since 2030-01-01T00:00:02Z)`,
    ]);
  });
});

describe('cli/invoke/invoke', () => {
  describe('invoke', () => {
    it('validates every file before sending anything', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'invoke-'));
      try {
        await writeFile(join(dir, 'good.json'), '{"operation":"ping"}');
        await writeFile(join(dir, 'bad.json'), '{"operation":');
        let error: unknown;
        // Nothing listens there: had a request been sent, the error would be a connection error.
        await invoke({ files: [join(dir, 'good.json'), join(dir, 'bad.json')], url: `http://127.0.0.1:${await freePort()}/prod` }, { reporter: createMemoryReporter(), root: ROOT, env: {} }).catch(
          (e: unknown) => (error = e),
        );
        expect(error).to.be.instanceOf(UsageError);
        expect((error as Error).message).to.contain('bad.json: not valid JSON');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('names the request and the connection error when nothing listens', async () => {
      const port = await freePort();
      let error: unknown;
      await invoke({ files: [join(ROOT, 'samples', 'ping.json')], url: `http://127.0.0.1:${port}/prod` }, { reporter: createMemoryReporter(), root: ROOT, env: {} }).catch((e: unknown) => (error = e));
      expect((error as Error).message).to.equal(`${join(ROOT, 'samples', 'ping.json')}: POST http://127.0.0.1:${port}/prod/DynamoDBManager failed: ECONNREFUSED`);
    });
  });
});
