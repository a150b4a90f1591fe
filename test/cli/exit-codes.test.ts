/**
 * Bad input on the command line, run as a user runs it (`node bin/cli.mjs`): one line saying
 * what was wrong and what to do, exit 2 as the README documents, and no AWS call. AWS_ENDPOINT_URL
 * points at a local server that counts the requests it gets (a real server; any answer would do,
 * none should be asked for).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const child = spawn(process.execPath, [join(root, 'bin', 'cli.mjs'), ...args], { cwd: root, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cli/bin (exit codes for bad input)', function () {
  this.timeout(60_000);
  let server: Server;
  let requests: string[];
  let env: NodeJS.ProcessEnv;

  before(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env = {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: '',
      CLI_STACK_NAME: '',
      CLI_STAGE: '',
    };
  });
  beforeEach(() => {
    requests = [];
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases: { args: string[]; stderr: string[] }[] = [
    { args: ['deploy', '--yess'], stderr: ["error: unknown option '--yess'", '(Did you mean --yes?)'] },
    { args: ['bogus'], stderr: ["error: unknown command 'bogus'"] },
    { args: ['dev', '--port', 'abc'], stderr: ["error: option '--port <port>' argument 'abc' is invalid. --port must be an integer from 0 to 65535"] },
    { args: ['deploy', '--yes', '--region', ''], stderr: ['error: --region is empty: pass --region with a region such as us-east-1 or eu-west-1'] },
    { args: ['deploy', '--yes', '--region', 'mars-1'], stderr: ['error: --region "mars-1" is not an AWS region name: pass --region with a region such as us-east-1 or eu-west-1'] },
    { args: ['status', '--region', 'mars-1'], stderr: ['error: --region "mars-1" is not an AWS region name'] },
    // cli dev signs its calls to a real --dynamodb-endpoint for this region, and the function sees it as AWS_REGION.
    { args: ['dev', '--no-watch', '--region', 'mars-1'], stderr: ["error: option '--region <region>' argument 'mars-1' is invalid. --region \"mars-1\" is not an AWS region name: give a region such as us-east-1 or eu-west-1"] },
    { args: ['deploy', '--yes', '--parameter-overrides', 'FunctionTimeout=60'], stderr: ['error: parameter FunctionTimeout (--parameter-overrides) must be at most 28, got 60'] },
    { args: ['deploy', '--yes', '--parameter-overrides', 'ApiKeyRequired=yes'], stderr: ['error: parameter ApiKeyRequired (--parameter-overrides) must be one of false, true; got "yes"'] },
  ];
  for (const c of cases) {
    it(`exits 2 for \`cli ${c.args.map((a) => (a === '' ? "''" : a)).join(' ')}\`, saying why, without a call to AWS`, async () => {
      const run = await cli(c.args, env);
      for (const line of c.stderr) expect(run.stderr).to.include(line);
      expect(run.stderr).to.not.match(/unexpected failure|\n\s+at /);
      expect(run.code, run.stderr).to.equal(2);
      expect(requests).to.deep.equal([]);
    });
  }

  it('prints the version from package.json for --version and -v (exit 0)', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = await cli([flag], env);
      expect(run.stdout.trim()).to.equal(version);
      expect(run.code).to.equal(0);
    }
  });
});
