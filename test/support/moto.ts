/**
 * A real moto server (CloudFormation, S3, STS, Lambda, IAM, DynamoDB, API Gateway, Logs) on
 * 127.0.0.1 at a free port, from the project's .venv, started through moto_server.py (moto's own
 * server plus one fix: Outputs recomputed after ExecuteChangeSet, as CloudFormation does).
 * moto_server needs an explicit port, so one is picked by binding port 0 first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsTargetFromEnv, createAwsClients, type AwsClients } from '../../cli/aws/clients.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export interface MotoServer {
  endpoint: string;
  /** An env for the CLI's clients: endpoint, dummy credentials, region (never process.env). */
  env: NodeJS.ProcessEnv;
  region: string;
  /** The tail of moto_server's stderr (its tracebacks), for failure messages. */
  log(): string;
  /** Wipes every resource (moto's reset API) so tests do not see each other's stacks. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const MOTO_REGION = 'us-east-1';
/** moto's fixed account. */
export const MOTO_ACCOUNT = '123456789012';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto(options: { region?: string } = {}): Promise<MotoServer> {
  const region = options.region ?? MOTO_REGION;
  const python = join(root, '.venv', 'bin', 'python');
  const script = join(root, 'test', 'support', 'moto_server.py');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(python, [script, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process dies without calling stop() (a killed test run), do not leave moto behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    region,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: region,
    },
    log: () => stderr,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * The CLI's AWS clients pointed at `moto`, fresh per call as each CLI invocation has them;
 * `destroyAll()` closes every set handed out (call it in `after`).
 */
export function motoClients(moto: () => MotoServer): { open(): Promise<AwsClients>; destroyAll(): void } {
  const opened: AwsClients[] = [];
  return {
    async open() {
      const aws = await createAwsClients(awsTargetFromEnv(moto().env, {}));
      opened.push(aws);
      return aws;
    },
    destroyAll() {
      for (const aws of opened.splice(0)) aws.destroy();
    },
  };
}
