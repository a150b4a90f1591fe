/**
 * The collection `cli postman` writes, run by newman (Postman's own runner, as CI and users run
 * it) against the real local stack: every sample passes its checks, and a sample whose `expect`
 * is wrong fails in newman with the difference named. The local stack runs with AuthMode NONE
 * here; the signed modes are covered where the local stack verifies them.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { COLLECTION_FILE, writePostman } from '../../cli/postman/postman.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const newmanBin = join(root, 'node_modules', 'newman', 'bin', 'newman.js');

interface NewmanReport {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    failures: { error: { test?: string; message: string }; source?: { name?: string } }[];
  };
}

describe('cli postman collection under newman, against the local stack', function () {
  this.timeout(120_000);
  const scratch = useTempDir('postman-');
  let stack: LocalStack;

  beforeEach(async () => {
    // A fresh in-memory table per run: the samples create, list (expecting exactly one item) and delete.
    stack = await startLocalStack({ root, port: 0, concurrency: 1, parameterOverrides: { AuthMode: 'NONE' }, reporter: createMemoryReporter() });
  });
  afterEach(() => stack?.stop());

  async function newman(samples: string): Promise<NewmanReport> {
    const out = join(scratch.path, 'out');
    const result = await writePostman(
      { out, samples, authMode: 'NONE' },
      { root, reporter: createMemoryReporter(), targets: async () => [{ name: 'local', apiEndpoint: stack.endpoint, rpcUrl: stack.outputs.DynamoDBManagerUrl!, region: 'us-east-1' }] },
    );
    const report = join(scratch.path, 'report.json');
    await run(process.execPath, [newmanBin, 'run', join(out, COLLECTION_FILE), '-e', result.environments[0]!, '--reporters', 'json', '--reporter-json-export', report]).catch((err: { code?: number }) => {
      // newman exits 1 when an assertion fails; the report says which.
      if (err.code !== 1) throw err;
    });
    return JSON.parse(await readFile(report, 'utf8')) as NewmanReport;
  }

  it('passes every check of samples/', async () => {
    const { run: r } = await newman(join(root, 'samples'));
    expect(r.failures.map((f) => `${f.source?.name}: ${f.error.test ?? ''} ${f.error.message}`)).to.deep.equal([]);
    expect(r.stats.requests.total).to.equal((await readdir(join(root, 'samples'))).filter((n) => n.endsWith('.json')).length);
    // Each sample with an expected status has a status check, and one with a body a body check.
    expect(r.stats.assertions.total).to.be.greaterThan(r.stats.requests.total);
  });

  it('fails the sample whose expect does not hold, naming the difference', async () => {
    const samples = join(scratch.path, 'samples');
    await cp(join(root, 'samples'), samples, { recursive: true });
    const file = join(samples, '01-ping.json');
    const sample = JSON.parse(await readFile(file, 'utf8')) as { expect: { body: unknown } };
    sample.expect.body = 'ping';
    await writeFile(file, JSON.stringify(sample));
    const { run: r } = await newman(samples);
    expect(r.failures).to.have.length(1);
    expect(`${r.failures[0]!.source?.name}: ${r.failures[0]!.error.message}`).to.match(/^01-ping: body: expected "ping", got "pong"/);
  });
});
