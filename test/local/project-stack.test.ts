/**
 * The project itself run locally: infra/cfn/template.yaml and handler/, driven over HTTP through
 * `cli invoke` (the samples/ scenario, every RPC operation and REST route) and `cli dev`.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dev } from '../../cli/commands/dev.js';
import { invoke } from '../../cli/invoke/invoke.js';
import { CliError } from '../../cli/errors.js';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useTempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLES = join(ROOT, 'samples');

describe('cli/local (the project template and handler)', () => {
  const scratch = useTempDir('project-stack-');

  describe('invoke --check samples/', () => {
    let stack: LocalStack;
    before(async () => {
      // Throttling off: the scenario is not about it (identity.test.ts is).
      stack = await startLocalStack({ root: ROOT, port: 0, throttle: false });
    });
    after(() => stack?.stop());

    it('passes the whole samples/ scenario against a fresh stack (every operation and route)', async () => {
      const reporter = createMemoryReporter();
      const results = await invoke({ files: [], check: SAMPLES, url: stack.endpoint }, { reporter, root: ROOT, env: {} });
      const byFile = Object.fromEntries(results.map((r) => [r.file.slice(SAMPLES.length + 1), r]));
      // The scenario covers every RPC operation and every REST route.
      expect(Object.keys(byFile)).to.include.members(['01-ping.json', '03-create.json', '04-read.json', '05-update.json', '06-list.json', '07-delete.json', '08-read-deleted.json']);
      expect(results.filter((r) => r.url.includes('/items')).map((r) => `${r.method} ${r.status}`)).to.include.members([
        'POST 201',
        'POST 409',
        'GET 200',
        'PATCH 200',
        'PUT 201',
        'DELETE 204',
        'GET 404',
      ]);
      expect(byFile['08-read-deleted.json']!.body).to.deep.equal({});
      expect(byFile['17-unknown-route.json']!.status).to.equal(403);
      expect(results.every((r) => r.pass)).to.equal(true);
      expect(reporter.stdout.at(-1)).to.match(/^24 passed, 0 failed/);
    });

    it('exits non-zero when a response is not the expected one', async () => {
      const reporter = createMemoryReporter();
      const file = join(scratch.path, 'wrong.json');
      await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ operation: 'ping', expect: { status: 201 } })));
      let error: unknown;
      await invoke({ files: [file], url: stack.endpoint }, { reporter, root: ROOT, env: {} }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(CliError);
      expect((error as CliError).message).to.equal('1 of 1 request did not get the expected response');
      expect((error as CliError).details).to.deep.equal([`${file}: status 200, expected 201`]);
      expect(reporter.stdout).to.deep.equal(['"pong"']);
    });
  });

  describe('API key (AuthMode=API_KEY)', () => {
    it('refuses requests without the local key and accepts them with it', async () => {
      const stack = await startLocalStack({ root: ROOT, port: 0, parameterOverrides: { AuthMode: 'API_KEY' }, apiKey: 'k'.repeat(40) });
      try {
        expect(stack.apiKey).to.equal('k'.repeat(40));
        const refused = await fetch(stack.outputs.DynamoDBManagerUrl!, { method: 'POST', body: '{"operation":"ping"}' });
        expect(refused.status).to.equal(403);
        expect(await refused.text()).to.equal('{"message":"Forbidden"}');
        const reporter = createMemoryReporter();
        const results = await invoke({ files: [join(SAMPLES, 'ping.json')], url: stack.endpoint, apiKey: stack.apiKey! }, { reporter, root: ROOT, env: {} });
        expect(results[0]!.status).to.equal(200);
      } finally {
        await stack.stop();
      }
    });
  });

  describe('cli dev', () => {
    it('prints the banner, writes the outputs file, and keeps acknowledged writes across a restart with --data-dir', async () => {
      const dataDir = join(scratch.path, 'data');
      const outputsFile = join(scratch.path, 'outputs.json');
      const run = async (files: string[]) => {
        const reporter = createMemoryReporter();
        let results: Awaited<ReturnType<typeof invoke>> = [];
        const result = await dev(
          { port: 0, host: '127.0.0.1', region: 'us-east-1', stackName: 'local-test', parameterOverrides: [], dataDir, watch: false, outputsFile },
          {
            reporter,
            root: ROOT,
            env: {},
            untilStopped: async () => {
              results = await invoke({ files, outputsFile }, { reporter: createMemoryReporter(), root: ROOT, env: {} });
              return 'SIGTERM';
            },
          },
        );
        return { reporter, result, results };
      };
      const first = await run([join(SAMPLES, 'create.json')]);
      expect(first.results[0]!.status).to.equal(200);
      const outputs = JSON.parse(await readFile(outputsFile, 'utf8')) as Record<string, string>;
      expect(Object.keys(outputs)).to.include.members(['ApiEndpoint', 'DynamoDBManagerUrl', 'ItemsUrl', 'TableName', 'FunctionName']);
      expect(outputs.TableName).to.equal('lambda-apigateway');
      expect(outputs.DynamoDBManagerUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/prod\/DynamoDBManager$/);
      const banner = first.reporter.stderr.join('\n');
      expect(banner).to.contain('Local stack of infra/cfn/template.yaml (stage prod, region us-east-1)');
      expect(banner).to.match(new RegExp(`DynamoDBManagerUrl +${outputs.DynamoDBManagerUrl!.replace(/[.]/g, '\\.')}\n`));
      expect(banner).to.match(/POST   http:\/\/127\.0\.0\.1:\d+\/prod\/DynamoDBManager/);
      expect(banner).to.match(/ready in \d+ ms/);
      expect(first.result.stoppedBy).to.equal('SIGTERM');

      const second = await run([join(SAMPLES, '04-read.json')]);
      expect(second.results[0]!.pass).to.equal(true);
      expect(second.results[0]!.body).to.deep.equal({ Item: { id: '1234ABCD', number: 5 } });
      expect(second.reporter.stderr.join('\n')).to.contain('tables: lambda-apigateway (existing)');
    });
  });
});
