#!/usr/bin/env node
// `npm run moto [-- --port N]`: moto server with the project's fixes (scripts/moto-server.py) on
// 127.0.0.1, for trying `cli deploy` without an AWS account. Makes .venv when needed, prints the
// environment to export on stdout, and stops moto on Ctrl-C or SIGTERM. Plain JavaScript so it
// runs before any TypeScript loader; test/support/moto.ts starts the same server through it.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** moto's default port, so its documentation's examples apply. */
export const DEFAULT_MOTO_PORT = 5000;
export const MOTO_REGION = 'us-east-1';

/** What a shell needs to send the CLI's AWS calls to moto (moto accepts any credentials). */
export function motoEnvironment(endpoint, region = MOTO_REGION) {
  return { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: region };
}

/** Resolves with a free port on 127.0.0.1 (moto_server needs an explicit one). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Rejects with the listen error (EADDRINUSE, EACCES) when `port` cannot be bound on 127.0.0.1. */
function checkPort(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/**
 * Starts scripts/moto-server.py from .venv on 127.0.0.1:`port` and resolves once it answers.
 * `env` is added to moto's environment; `stderr` is 'pipe' (read it from `onStderr`) or 'inherit'.
 */
export async function startMotoServer({ port, env = {}, stderr = 'pipe', onStderr } = {}) {
  const python = join(root, '.venv', 'bin', 'python');
  const script = join(root, 'scripts', 'moto-server.py');
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, [script, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', stderr],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true', ...env },
  });
  let tail = '';
  child.stderr?.on('data', (chunk) => {
    tail = (tail + chunk.toString()).slice(-20_000);
    onStderr?.(chunk.toString());
  });
  let spawnError;
  child.once('error', (err) => (spawnError = err));
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (spawnError) throw new Error(`cannot run ${python}: ${spawnError.message} (run node scripts/ensure-venv.mjs)`);
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${tail}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, port, child, exited, log: () => tail, stop };
}

function usage(message) {
  process.stderr.write(`npm run moto: ${message}\nusage: npm run moto [-- --port N]   (default ${DEFAULT_MOTO_PORT}, or MOTO_PORT)\n`);
  process.exit(2);
}

function portArgument(argv, env) {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`usage: npm run moto [-- --port N]\nmoto server with the project's fixes on 127.0.0.1:N (default ${DEFAULT_MOTO_PORT}, or MOTO_PORT); prints the environment to export; Ctrl-C stops it.\n`);
    process.exit(0);
  }
  let text = env.MOTO_PORT || String(DEFAULT_MOTO_PORT);
  if (argv.length === 2 && argv[0] === '--port') text = argv[1];
  else if (argv.length === 1 && argv[0].startsWith('--port=')) text = argv[0].slice('--port='.length);
  else if (argv.length > 0) usage(`unknown arguments: ${argv.join(' ')}`);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) usage(`the port must be an integer from 1 to 65535, got "${text}"`);
  return port;
}

async function main() {
  const port = portArgument(process.argv.slice(2), process.env);
  const venv = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-venv.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (venv.status !== 0) process.exit(venv.status ?? 1);
  try {
    await checkPort(port);
  } catch (err) {
    usage(`port ${port} on 127.0.0.1 is ${err.code === 'EADDRINUSE' ? 'in use (another moto?)' : `not available (${err.code})`}; choose one with --port`);
  }
  let stopping;
  let server;
  const stopOn = (signal) => {
    stopping ??= signal;
    server?.stop();
  };
  // Handlers first: a Ctrl-C during start-up stops moto too.
  process.once('SIGINT', stopOn);
  process.once('SIGTERM', stopOn);
  try {
    server = await startMotoServer({ port, stderr: 'inherit' });
  } catch (err) {
    if (stopping) process.exit(0);
    process.stderr.write(`npm run moto: ${err.message}\n`);
    process.exit(1);
  }
  if (stopping) await server.stop();
  else {
    const env = motoEnvironment(server.endpoint);
    process.stdout.write(Object.entries(env).map(([k, v]) => `export ${k}=${v}\n`).join(''));
    process.stderr.write(
      `moto (CloudFormation, S3, Lambda, API Gateway, DynamoDB, IAM, Logs) with the project's fixes is on ${server.endpoint}.\n` +
        'Export the lines above in the shell that runs `npx cli deploy`. Its state is in memory: Ctrl-C stops it and forgets every stack.\n',
    );
  }
  const result = await server.exited;
  if (stopping) process.exit(0);
  process.stderr.write(`npm run moto: moto_server stopped by itself (${result})\n`);
  process.exit(1);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
