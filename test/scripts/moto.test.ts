/**
 * `npm run moto` (scripts/moto.mjs) as a user runs it: a process that starts the fixed moto
 * server, prints the environment to export, serves a deploy that gets its Outputs (stock moto
 * leaves a stack created by a change set without any), and stops on SIGTERM or SIGINT with
 * nothing left running.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsTargetFromEnv, createAwsClients } from '../../cli/aws/clients.js';
import { deploy } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { freePort } from '../support/moto.js';
import { syntheticArtifact } from '../support/synthetic-artifact.js';

const root = join(import.meta.dirname, '..', '..');
const EXPORTS = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'];

interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runScript(args: string[]): Running {
  const child = spawn(process.execPath, [join(root, 'scripts', 'moto.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/**
 * Resolves once the four export lines are complete on stdout and the hint on stderr (two pipes:
 * either may arrive first), or rejects when the script exits first.
 */
async function exportedEnv(run: Running): Promise<Record<string, string>> {
  const complete = () => EXPORTS.every((k) => new RegExp(`^export ${k}=.*\\n`, 'm').test(run.stdout())) && run.stderr().includes('forgets every stack.\n');
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!complete()) return;
      run.child.stdout!.off('data', check);
      run.child.stderr!.off('data', check);
      resolve();
    };
    run.child.stdout!.on('data', check);
    run.child.stderr!.on('data', check);
    void run.exit.then(({ code }) => reject(new Error(`scripts/moto.mjs exited (${code}) before printing the environment:\n${run.stderr()}`)));
    check();
  });
  return Object.fromEntries(run.stdout().trim().split('\n').map((line) => line.replace(/^export /, '').split('=', 2) as [string, string]));
}

/** Processes whose command line is moto-server.py on this port. */
async function motoProcesses(port: number): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (args.some((a) => a.endsWith('moto-server.py')) && args.includes(String(port))) found.push(`${pid} ${args.join(' ')}`);
  }
  return found;
}

describe('scripts/moto (npm run moto)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moto-script-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints the environment, serves a deploy that gets its Outputs, and on ${signal} stops with nothing left running`, async function () {
      this.timeout(120_000);
      const port = await freePort();
      const run = runScript(['--port', String(port)]);
      try {
        const env = await exportedEnv(run);
        expect(env).to.deep.equal({
          AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_REGION: 'us-east-1',
        });
        expect(run.stderr()).to.include(`with the project's fixes is on http://127.0.0.1:${port}`);

        const aws = await createAwsClients(awsTargetFromEnv(env, {}));
        try {
          const result = await deploy(
            { stackName: 'moto-script', yes: true, skipLint: true, parameterOverrides: {} },
            {
              reporter: createMemoryReporter(),
              aws,
              build: () => syntheticArtifact(dir, 'exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
              lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }),
              loadTemplate: () => loadDeployTemplate(root),
              interactive: false,
              pollIntervalMs: 10,
            },
          );
          expect(result.status).to.equal('deployed');
          expect(result.outputs?.ApiEndpoint).to.match(/^https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/prod$/);
          expect(result.outputs?.TableName).to.equal('lambda-apigateway');
        } finally {
          aws.destroy();
        }
        expect(await motoProcesses(port)).to.have.length(1);
      } finally {
        run.child.kill(signal);
      }
      expect(await run.exit).to.deep.equal({ code: 0, signal: null });
      expect(await motoProcesses(port)).to.deep.equal([]);
      const refused = await fetch(`http://127.0.0.1:${port}/moto-api/data.json`).then(
        () => 'answered',
        (err: Error & { cause?: { code?: string } }) => err.cause?.code,
      );
      expect(refused).to.equal('ECONNREFUSED');
    });
  }

  it('refuses a port in use with one line and exit code 2', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const run = runScript(['--port', String(port)]);
      expect((await run.exit).code).to.equal(2);
      expect(run.stderr()).to.match(new RegExp(`^npm run moto: port ${port} on 127\\.0\\.0\\.1 is in use \\(another moto\\?\\); choose one with --port\\n`));
      expect(run.stdout()).to.equal('');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('refuses a bad port and unknown arguments with exit code 2', async () => {
    for (const args of [['--port', 'abc'], ['--port', '70000'], ['--verbose']]) {
      const run = runScript(args);
      expect((await run.exit).code, args.join(' ')).to.equal(2);
      expect(run.stderr()).to.match(/^npm run moto: (the port must be an integer from 1 to 65535, got "(abc|70000)"|unknown arguments: --verbose)\n/);
    }
  });
});
