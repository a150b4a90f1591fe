/**
 * Peer benchmark (`npm run bench -- --peers`, or `node --import tsx bench/peers.ts [--quick]`):
 * the same ping handler (our real bundle, `index.handler`) served by
 * - our local stack (`startLocalStack`),
 * - serverless-offline 13 under serverless 3 (https://github.com/dherault/serverless-offline),
 * - Architect's sandbox 8 (https://arc.codes/docs/en/reference/cli/sandbox),
 * each in its own process, driven by bench/local.ts's load generator with the same connection count.
 * The peers are installed with npm into bench/peers/<tool>/ (git-ignored) the first time.
 * Only loopback traffic; every run is bounded in requests and time; every server is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleHandler, BUNDLE_FILE } from '../cli/build/bundle.js';
import type { LoadResult } from './local.js';

const HERE = fileURLToPath(import.meta.url);
const PEERS_DIR = join(dirname(HERE), 'peers');
const PING = JSON.stringify({ operation: 'ping' });
const TABLE_NAME = 'lambda-apigateway';

/** Pinned: the newest serverless 3 / serverless-offline 13 / @architect/sandbox 8 at the time of writing. */
export const PEER_PACKAGES = {
  'serverless-offline': { serverless: '3.40.0', 'serverless-offline': '13.10.1' },
  architect: { '@architect/sandbox': '8.0.0' },
} as const;

type PeerTool = keyof typeof PEER_PACKAGES;

/**
 * What is measured against ours, with the throughput ratio ours must reach (issue 3), or none.
 * serverless-offline runs twice. Its default (a worker thread per concurrent invocation) is what
 * the goal is measured against. `--useInProcess` runs handlers on its HTTP server's own thread:
 * faster, but a handler that loops, exits or crashes takes the server down, which ours must
 * survive (each function runs in a worker thread); its ratio is printed for information.
 */
const PEERS = {
  'serverless-offline': { tool: 'serverless-offline', label: 'sls-offline 13 (default)', goal: 3 },
  'serverless-offline-in-process': { tool: 'serverless-offline', label: 'sls-offline 13 in-process', goal: undefined },
  architect: { tool: 'architect', label: 'Architect sandbox 8', goal: 50 },
} as const satisfies Record<string, { tool: PeerTool; label: string; goal: number | undefined }>;

type PeerName = keyof typeof PEERS;

export interface PeerBenchOptions {
  /** Project root (handler/ and infra/cfn/ are read from here). */
  root: string;
  /** Keep-alive connections, as bench/local.ts uses for its ping figure. */
  connections: number;
  /** Shorter measurements (about 5 s each instead of 15 s, 5k requests at most instead of 30k, 2 rounds per connection at least instead of 5). */
  quick?: boolean;
  /** Progress lines (stderr in the entry). */
  log?: (line: string) => void;
}

export interface PeerBenchDeps {
  load: (url: string, body: string | undefined, count: number, connections: number) => Promise<LoadResult>;
  freePort: () => Promise<number>;
}

export interface ServerResult {
  name: 'ours' | PeerName;
  /** Package versions, or `startLocalStack` for ours. */
  versions: Record<string, string>;
  /** How it was started: command line or API call with its options. */
  how: string;
  url?: string;
  /** Process spawn -> first 200 to ping. */
  startMs?: number;
  /** Body of the first 200 (must be the same for every server: same handler). */
  response?: string;
  result?: LoadResult;
  requests?: number;
  error?: string;
}

export interface Row {
  figure: string;
  value: string;
  baseline: string;
  goal: string;
  pass: boolean;
}

export interface PeerBenchResults {
  connections: number;
  servers: ServerResult[];
  ratios: Partial<Record<PeerName, number>>;
}

interface Server {
  url: string;
  child: ChildProcess;
  logFile: string;
  startMs: number;
  response: string;
  stop(): Promise<void>;
}

/** Process groups still running, killed if the bench itself is interrupted or exits early. */
const live = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the whole group is gone already.
  }
}

function killAllSync(): void {
  for (const pid of live) killGroup(pid, 'SIGKILL');
  live.clear();
}

/** The environment the peers see: no npm lifecycle variables (they would point npm at this project). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Dummy credentials and no instance metadata lookups: none of the three needs AWS for ping. */
const NO_AWS = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function installedVersion(dir: string, pkg: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

/** npm install of the pinned versions into bench/peers/<peer>/, skipped when they are already there. */
async function installPeer(peer: PeerTool, log: (line: string) => void): Promise<string> {
  const dir = join(PEERS_DIR, peer);
  await installPinned(dir, PEER_PACKAGES[peer] as Record<string, string>, log);
  return dir;
}

/**
 * npm install of pinned `{package: version}` into `dir` (with a package.json of its own, so npm
 * installs there and not into the project above), skipped when they are already there.
 */
export async function installPinned(dir: string, wanted: Record<string, string>, log: (line: string) => void): Promise<void> {
  const present = await Promise.all(Object.entries(wanted).map(async ([pkg, version]) => (await installedVersion(dir, pkg)) === version));
  if (present.every(Boolean)) return;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, description: 'installed by bench/ for a benchmark' }, null, 2) + '\n');
  const specs = Object.entries(wanted).map(([pkg, version]) => `${pkg}@${version}`);
  log(`npm install ${specs.join(' ')} into ${dir} ...`);
  // --ignore-scripts: serverless' postinstall only prints a banner; nothing here needs a native build.
  await run('npm', ['install', '--prefix', dir, '--save-exact', '--no-audit', '--no-fund', '--ignore-scripts', '--no-update-notifier', ...specs], {
    cwd: dir,
    env: cleanEnv({}),
    timeoutMs: 10 * 60_000,
  });
}

function post(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', () => resolvePromise({ status: 0, body: '' }));
    req.setTimeout(10_000, () => req.destroy());
    req.end(body);
  });
}

async function tail(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).slice(-2000).trim();
  } catch {
    return '';
  }
}

/**
 * Spawns a server in its own process group (so its children, e.g. Architect's per-request Lambda
 * processes, go with it), output to `logFile`, and polls `url` with ping until a 200.
 */
async function startServer(options: { command: string[]; cwd: string; env: NodeJS.ProcessEnv; url: string; logFile: string; readyTimeoutMs: number }): Promise<Server> {
  const fd = openSync(options.logFile, 'w');
  const spawned = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(options.command[0]!, options.command.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (child.pid !== undefined) live.add(child.pid);
  const stop = async () => {
    const pid = child.pid;
    if (pid === undefined) return;
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // Whatever the leader left behind in its group.
    killGroup(pid, 'SIGKILL');
    live.delete(pid);
  };
  try {
    const deadline = spawned + options.readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.signalCode ?? `code ${child.exitCode}`}) before answering:\n${await tail(options.logFile)}`);
      if (performance.now() > deadline) throw new Error(`no 200 to ping within ${options.readyTimeoutMs / 1000} s:\n${await tail(options.logFile)}`);
      const answer = await post(options.url, PING);
      if (answer.status === 200) return { url: options.url, child, logFile: options.logFile, startMs: performance.now() - spawned, response: answer.body, stop };
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Our stack, in its own process like the peers (this file's `--serve-ours` mode). */
async function startOurs(root: string, port: number): Promise<Server> {
  return startServer({
    command: [process.execPath, '--import', 'tsx', HERE, '--serve-ours', root, String(port)],
    cwd: root,
    env: cleanEnv({}),
    url: `http://127.0.0.1:${port}/prod/DynamoDBManager`,
    logFile: join(PEERS_DIR, 'ours.log'),
    readyTimeoutMs: 30_000,
  });
}

const SERVERLESS_YML = `# Written by bench/peers.ts: the ping handler behind the same route as infra/cfn/template.yaml.
service: peer-bench
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  stage: prod
  # The template's defaults (FunctionTimeout, FunctionMemorySize), not serverless' 6 s / 1024 MB.
  timeout: 10
  memorySize: 256
functions:
  dynamodbManager:
    handler: index.handler
    environment:
      TABLE_NAME: ${TABLE_NAME}
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
    events:
      - http:
          path: DynamoDBManager
          method: post
plugins:
  - serverless-offline
`;

const SLS_ARGS = (ports: { http: number; lambda: number; websocket: number }) => [
  'offline',
  'start',
  '--host',
  '127.0.0.1',
  '--httpPort',
  String(ports.http),
  '--lambdaPort',
  String(ports.lambda),
  '--websocketPort',
  String(ports.websocket),
  '--noSponsor',
];

async function startServerlessOffline(dir: string, bundle: Uint8Array, freePort: () => Promise<number>, inProcess: boolean): Promise<{ server: Server; how: string }> {
  await writeFile(join(dir, BUNDLE_FILE), bundle);
  await writeFile(join(dir, 'serverless.yml'), SERVERLESS_YML);
  const ports = { http: await freePort(), lambda: await freePort(), websocket: await freePort() };
  const args = [...SLS_ARGS(ports), ...(inProcess ? ['--useInProcess'] : [])];
  const home = join(dir, '.home');
  await mkdir(home, { recursive: true });
  const server = await startServer({
    command: [process.execPath, join(dir, 'node_modules', 'serverless', 'bin', 'serverless.js'), ...args],
    cwd: dir,
    env: cleanEnv({
      ...NO_AWS,
      // serverless 3 phones home at start and exit unless told not to; this machine reaches no such host.
      SLS_TELEMETRY_DISABLED: '1',
      SLS_TRACKING_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SLS_DEPRECATION_DISABLE: '*',
      SLS_DISABLE_AUTO_UPDATE: '1',
      // Its config (~/.serverlessrc) and schema cache stay inside bench/peers/.
      HOME: home,
    }),
    url: `http://127.0.0.1:${ports.http}/prod/DynamoDBManager`,
    logFile: join(dir, inProcess ? 'server-in-process.log' : 'server.log'),
    readyTimeoutMs: 90_000,
  });
  // reloadHandler stays off (its default): the handler module is loaded once and reused.
  return { server, how: `serverless ${args.join(' ')} (${inProcess ? 'in-process' : 'default worker-thread mode'}, reloadHandler off)` };
}

const APP_ARC = `# Written by bench/peers.ts: the ping handler behind the same route, REST API (proxy v1 events).
@app
peer-bench

@aws
runtime nodejs20.x
region us-east-1
apigateway rest
# The template's defaults (FunctionTimeout, FunctionMemorySize), not Architect's 5 s / 1152 MB.
timeout 10
memory 256

@http
post /DynamoDBManager
`;

/** Runs in the child: the sandbox's JS API, ended on SIGTERM. */
const ARC_CHILD = `
const sandbox = require(require('node:path').join(process.cwd(), 'node_modules', '@architect', 'sandbox'));
const [port] = process.argv.slice(1);
sandbox.start({ cwd: process.cwd(), port: Number(port), quiet: true, env: { TABLE_NAME: '${TABLE_NAME}', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  .catch((err) => { console.error(err); process.exitCode = 1; });
process.once('SIGTERM', () => sandbox.end().finally(() => process.exit()));
`;

async function startArchitect(dir: string, bundle: Uint8Array, freePort: () => Promise<number>): Promise<{ server: Server; how: string }> {
  const fnDir = join(dir, 'src', 'http', 'post-DynamoDBManager');
  await mkdir(fnDir, { recursive: true });
  await writeFile(join(fnDir, BUNDLE_FILE), bundle);
  await writeFile(join(dir, 'app.arc'), APP_ARC);
  const port = await freePort();
  const internal = await freePort();
  const envForArc = { ...NO_AWS, ARC_INTERNAL_PORT: String(internal) };
  const env = cleanEnv(envForArc);
  // With CI or NODE_ENV=testing the sandbox waits for each Lambda process to die before answering;
  // a developer's terminal has neither, and that is the mode measured.
  delete env.CI;
  delete env.NODE_ENV;
  const server = await startServer({
    command: [process.execPath, '-e', ARC_CHILD, String(port)],
    cwd: dir,
    env,
    url: `http://127.0.0.1:${port}/DynamoDBManager`,
    logFile: join(dir, 'server.log'),
    readyTimeoutMs: 60_000,
  });
  return { server, how: `sandbox.start({ cwd, port: ${port}, quiet: true, env: { TABLE_NAME } }) with @aws apigateway rest, ARC_INTERNAL_PORT=${internal}` };
}

/**
 * Warm-up, then a run sized to about `seconds` at the rate the warm-up showed (bounded by
 * `maxRequests`), under a deadline: a server that stops answering is killed and reported.
 */
async function measure(server: Server, deps: PeerBenchDeps, options: { connections: number; seconds: number; maxRequests: number; minRounds: number }): Promise<{ result: LoadResult; requests: number }> {
  const bounded = async (count: number, expectedRps: number): Promise<LoadResult> => {
    const limitMs = Math.max(30_000, (3 * count * 1000) / Math.max(expectedRps, 1));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void server.stop();
    }, limitMs);
    try {
      const result = await deps.load(server.url, PING, count, options.connections);
      if (timedOut) throw new Error(`${count} requests did not finish within ${Math.round(limitMs / 1000)} s; server stopped`);
      return result;
    } finally {
      clearTimeout(timer);
    }
  };
  const first = await bounded(2 * options.connections, 1);
  const warmCount = Math.min(2_000, Math.max(options.connections, Math.round(first.rps * 2)));
  const warm = await bounded(warmCount, first.rps);
  // At least a few rounds of every connection, so a slow peer's percentiles rest on more than one batch.
  const requests = Math.min(options.maxRequests, Math.max(options.minRounds * options.connections, Math.round(warm.rps * options.seconds)));
  return { result: await bounded(requests, warm.rps), requests };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

/**
 * Installs the peers if needed, serves the same bundle through each, measures ping throughput
 * and latency under the same load, and returns table rows plus the raw figures.
 */
export async function runPeerBench(options: PeerBenchOptions, deps: PeerBenchDeps): Promise<{ rows: Row[]; results: PeerBenchResults }> {
  const log = options.log ?? (() => {});
  const seconds = options.quick ? 5 : 15;
  const maxRequests = options.quick ? 5_000 : 30_000;
  const root = resolve(options.root);
  await mkdir(PEERS_DIR, { recursive: true });
  const onSignal = (signal: NodeJS.Signals) => {
    killAllSync();
    process.kill(process.pid, signal);
  };
  process.on('exit', killAllSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const servers: ServerResult[] = [];
  try {
    const bundle = (await bundleHandler(root)).code;
    const starters: { name: ServerResult['name']; versions: Record<string, string>; start: () => Promise<{ server: Server; how: string }> }[] = [
      {
        name: 'ours',
        versions: { startLocalStack: 'this repository' },
        start: async () => ({ server: await startOurs(root, await deps.freePort()), how: 'startLocalStack({ root, port }) in a child process (default concurrency, no reporter)' }),
      },
      ...(Object.keys(PEERS) as PeerName[]).map((name) => ({
        name,
        versions: { ...PEER_PACKAGES[PEERS[name].tool] } as Record<string, string>,
        start: async () => {
          const dir = await installPeer(PEERS[name].tool, log);
          return name === 'architect' ? startArchitect(dir, bundle, deps.freePort) : startServerlessOffline(dir, bundle, deps.freePort, name === 'serverless-offline-in-process');
        },
      })),
    ];
    for (const s of starters) {
      const entry: ServerResult = { name: s.name, versions: s.versions, how: '' };
      servers.push(entry);
      let server: Server | undefined;
      try {
        log(`peers: starting ${s.name} ...`);
        const started = await s.start();
        server = started.server;
        Object.assign(entry, { how: started.how, url: server.url, startMs: server.startMs, response: server.response });
        log(`peers: ${s.name} answered in ${Math.round(server.startMs)} ms; measuring ping with ${options.connections} connections ...`);
        Object.assign(entry, await measure(server, deps, { connections: options.connections, seconds, maxRequests, minRounds: options.quick ? 2 : 5 }));
        log(`peers: ${s.name}: ${entry.result!.rps.toFixed(1)} requests/s over ${entry.requests} requests`);
      } catch (err) {
        entry.error = err instanceof Error ? err.message : String(err);
        log(`peers: ${s.name} failed: ${entry.error}`);
      } finally {
        await server?.stop();
      }
    }
  } finally {
    killAllSync();
    process.off('exit', killAllSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return tabulate(servers, options.connections);
}

function tabulate(servers: ServerResult[], connections: number): { rows: Row[]; results: PeerBenchResults } {
  const ours = servers.find((s) => s.name === 'ours')!;
  const rows: Row[] = [];
  const ratios: PeerBenchResults['ratios'] = {};
  const latency = (r: LoadResult) => `p50/p99 ${fmt(r.p50)}/${fmt(r.p99)} ms`;
  rows.push(
    ours.result
      ? { figure: `ping rps, ours (peers run, ${connections} conns)`, value: ours.result.rps.toFixed(0), baseline: latency(ours.result), goal: '-', pass: ours.result.errors === 0 }
      : { figure: `ping rps, ours (peers run, ${connections} conns)`, value: 'failed', baseline: oneLine(ours.error), goal: '-', pass: false },
  );
  for (const peer of servers.filter((s): s is ServerResult & { name: PeerName } => s.name !== 'ours')) {
    const { goal, label } = PEERS[peer.name] as { goal: number | undefined; label: string };
    const figure = `ping: ours vs ${label}`;
    const goalText = goal === undefined ? '- (information)' : `>= ${goal}x`;
    if (!peer.result || !ours.result) {
      rows.push({ figure, value: 'failed', baseline: oneLine(peer.error ?? ours.error), goal: goalText, pass: false });
      continue;
    }
    const ratio = ours.result.rps / peer.result.rps;
    ratios[peer.name] = ratio;
    // Same handler, same answer: anything else means a peer served something other than ping.
    const sameAnswer = peer.response === ours.response;
    rows.push({
      figure,
      value: `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}x`,
      baseline: !sameAnswer
        ? `answered ${oneLine(peer.response)}`
        : peer.result.errors > 0
          ? `${peer.result.rps.toFixed(1)} rps, ${peer.result.errors}/${peer.requests} not 200`
          : `${peer.result.rps.toFixed(peer.result.rps < 100 ? 1 : 0)} rps, ${latency(peer.result)}`,
      goal: goalText,
      pass: sameAnswer && (goal === undefined || ratio >= goal) && peer.result.errors === 0 && ours.result.errors === 0,
    });
  }
  return { rows, results: { connections, servers, ratios } };
}

function oneLine(text: string | undefined): string {
  const line = (text ?? 'unknown error').split('\n')[0]!;
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/** `--serve-ours ROOT PORT`: the child process that holds our stack until SIGTERM. */
async function serveOurs(root: string, port: number): Promise<void> {
  const { startLocalStack } = await import('../cli/local/index.js');
  // Unsigned and unthrottled, as the peers are configured (their defaults have no auth).
  const stack = await startLocalStack({ root, port, parameterOverrides: { AuthMode: 'NONE' }, throttle: false });
  // Stopping closes every handle, so the process ends on its own (the parent SIGKILLs it after 5 s otherwise).
  const stop = () => void stack.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main(): Promise<void> {
  const serve = process.argv.indexOf('--serve-ours');
  if (serve !== -1) return serveOurs(process.argv[serve + 1]!, Number(process.argv[serve + 2]));
  // bench/local.ts does not import this file statically, so loading it here makes no cycle.
  const { CONNECTIONS, freePort, load } = await import('./local.js');
  const root = join(dirname(HERE), '..');
  const { rows, results } = await runPeerBench({ root, connections: CONNECTIONS, quick: process.argv.includes('--quick'), log: (line) => console.error(line) }, { load, freePort });
  const widths = [40, 12, 30, 20];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 6)).join('  ');
  console.log(line(['figure', 'value', 'baseline (same run)', 'goal', 'ok']));
  for (const r of rows) console.log(line([r.figure, r.value, r.baseline, r.goal, r.pass ? 'yes' : 'NO']));
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(join(root, 'bench', 'results', 'peers.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, ...results, rows }, null, 2) + '\n');
  console.log('\nwritten bench/results/peers.json');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === HERE) await main();
