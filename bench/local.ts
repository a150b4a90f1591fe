/**
 * Benchmark of the local stack (`npm run bench`, or `node --import tsx bench/local.ts`).
 * Every figure is measured against a baseline taken in the same run, on the same machine:
 * - ping through `cli dev` vs a bare node:http server answering the same JSON (keep-alive, 32 connections);
 * - RPC read through `cli dev` vs direct SDK GetItem calls to the same dynalite;
 *   both as 3 back-to-back (baseline, stack) pairs, the figure being the median ratio, with the
 *   CPU time per request of every process taking part (Linux /proc);
 * - latency p50/p99 of ping and read, one connection;
 * - `cli dev` from process start to the first 200;
 * - hot reload: file saved -> new code served;
 * - the deployed bundle's init (Lambda's cold start) with and without a source map and
 *   --enable-source-maps, and the one-off cost of the first stack trace it maps;
 * - RSS of the `cli dev` process after 100k requests, and its growth over the last 50k.
 * Prints a table and writes bench/results/local.json. Only loopback traffic, bounded in count.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import * as esbuild from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { handlerBuildOptions } from '../cli/build/bundle.js';
import { isOwnSource, keepSources, type SourceMapV3 } from '../cli/build/source-map.js';
import { startLocalStack } from '../cli/local/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'cli.mjs');
export const CONNECTIONS = 32;
const QUICK = process.argv.includes('--quick');
const N = QUICK ? 5_000 : 30_000;
const SOAK = QUICK ? 20_000 : 100_000;
/** Back-to-back (baseline, stack) pairs per throughput figure. */
const ROUNDS = 3;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on Linux). */
const CLOCK_TICKS = 100;
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };

export interface LoadResult {
  rps: number;
  /** Requests sent. */
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `count` requests over `connections` keep-alive connections; each connection sends one at a time. */
export async function load(url: string, body: string | undefined, count: number, connections: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies = new Float64Array(count);
  let next = 0;
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const i = next++;
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: body === undefined ? 'GET' : 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          if (res.statusCode !== 200) errors++;
          res.resume();
          res.on('end', () => {
            latencies[i] = performance.now() - started;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        latencies[i] = performance.now() - started;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.slice(0, count).sort();
  return { rps: count / seconds, requests: count, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors };
}

/** Direct SDK GetItem calls, same shape as `load`. */
async function sdkLoad(client: DynamoDBClient, table: string, count: number, connections: number): Promise<LoadResult> {
  const latencies = new Float64Array(count);
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        try {
          await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: '1234ABCD' } } }));
        } catch {
          errors++;
        }
        latencies[i] = performance.now() - t;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, count).sort();
  return { rps: count / seconds, requests: count, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors };
}

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(/VmRSS:\s+(\d+)/.exec(s)![1]) / 1024);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

/** Starts `cli dev`; resolves with the time from spawn to the first 200 of `probe`. */
async function startDev(args: string[], port: number): Promise<{ child: ChildProcess; firstOkMs: number; stderr: () => string }> {
  let err = '';
  const spawned = performance.now();
  // The emulator's request path against bare node:http, with unsigned requests: the figures are
  // about serving, not about SigV4 or the stage's throttle (which would cap the load at its rate).
  const open = ['--parameter-overrides', 'AuthMode=NONE', '--no-throttle'];
  const child = spawn(process.execPath, [CLI, 'dev', '--port', String(port), '--no-watch', ...open, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.setEncoding('utf8');
  // Keep the banner; drop the per-request log lines (a terminal would scroll them away).
  child.stderr!.on('data', (chunk: string) => {
    if (err.length < 20_000) err += chunk;
  });
  const ping = JSON.stringify({ operation: 'ping' });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cli dev exited: ${err}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/prod/DynamoDBManager', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end(ping);
    });
    if (ok) return { child, firstOkMs: performance.now() - spawned, stderr: () => err };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function bareServer(port: number): Promise<ChildProcess> {
  // The same answer the stack gives to ping, byte for byte but for the ids: the headers API
  // Gateway adds (request id, API Gateway id, trace id), here fixed values of the same length,
  // so the load generator parses the same response from both servers.
  const headers = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
    'x-amz-apigw-id': 'AAAAAAAAAAAAAAA=',
    'X-Amzn-Trace-Id': 'Root=1-00000000-000000000000000000000000;Sampled=0',
  };
  const code = `const headers = ${JSON.stringify(headers)}; require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, headers); res.end('"pong"'); }); }).listen(${port}, '127.0.0.1', () => process.send('ready'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  return child;
}

async function standaloneDynalite(): Promise<{ child: ChildProcess; endpoint: string }> {
  const code = `import('${join(ROOT, 'node_modules', 'dynalite', 'index.js').replace(/\\/g, '/')}').then(({ default: dynalite }) => { const s = dynalite({ createTableMs: 0 }); s.listen(0, '127.0.0.1', () => process.send(s.address().port)); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  return { child, endpoint: `http://127.0.0.1:${port}` };
}

async function reloadLatency(): Promise<number[]> {
  // A copy of the project, so the bench never touches handler/ itself.
  const dir = await mkdtemp(join(tmpdir(), 'bench-reload-'));
  try {
    await cp(join(ROOT, 'handler'), join(dir, 'handler'), { recursive: true });
    await mkdir(join(dir, 'infra'), { recursive: true });
    await cp(join(ROOT, 'infra', 'cfn'), join(dir, 'infra', 'cfn'), { recursive: true });
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const stack = await startLocalStack({ root: dir, port: 0, watch: true, concurrency: 2, parameterOverrides: { AuthMode: 'NONE' } });
    const samples: number[] = [];
    try {
      const file = join(dir, 'handler', 'index.ts');
      const original = await readFile(file, 'utf8');
      for (let i = 1; i <= 5; i++) {
        const marker = `bench-${i}`;
        const saved = performance.now();
        await writeFile(file, `${original}\nexport const BENCH_MARKER = '${marker}';\n`);
        // Poll with real requests until one is served by the new code (its bundle contains the marker).
        const reloaded = await new Promise<number>((resolve) => {
          stack.events.once('reload', () => resolve(performance.now() - saved));
        });
        const served = await fetch(stack.outputs.DynamoDBManagerUrl!, { method: 'POST', body: '{"operation":"ping"}' });
        await served.text();
        samples.push(Math.max(reloaded, performance.now() - saved));
      }
    } finally {
      await stack.stop();
    }
    return samples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What one Lambda cold start of the deployed bundle costs in a fresh process: `require` of
 * index.js (Lambda's Init phase), as wall and CPU ms; with a map, also what the first mapped stack
 * trace costs (Node parses the map at load, and decodes its mappings on first use).
 */
export const INIT_PROBE = `
const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
require(process.argv[1]);
const initMs = Number(process.hrtime.bigint() - t0) / 1e6; const cpu = process.cpuUsage(c0);
let firstTraceMs = 0;
if (process.execArgv.includes('--enable-source-maps')) {
  const t1 = process.hrtime.bigint();
  const map = require('node:module').findSourceMap(process.argv[1]);
  if (!map || map.payload.sources.length === 0) throw new Error('no source map loaded');
  map.findEntry(0, 0);
  firstTraceMs = Number(process.hrtime.bigint() - t1) / 1e6;
}
process.send({ initMs, initCpuMs: (cpu.user + cpu.system) / 1000, firstTraceMs });
`;

export interface InitSample {
  initMs: number;
  initCpuMs: number;
  firstTraceMs: number;
}

type InitVariant = 'plain' | 'full' | 'own';

/**
 * The deployed bundle as `cli build` makes it; with its full linked source map (names and lines
 * only) and NODE_OPTIONS=--enable-source-maps; and with the map cut to the project's own sources.
 */
export async function sourceMapInitCost(runs: number): Promise<{ samples: Record<InitVariant, InitSample[]>; bytes: Record<InitVariant, { map: number; zippedMap: number }> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-init-'));
  try {
    const options = handlerBuildOptions(ROOT);
    const result = await esbuild.build({ ...options, sourcemap: 'external', sourcesContent: false });
    const code = result.outputFiles.find((f) => f.path === options.outfile)!.text;
    const full = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map'))!.text) as SourceMapV3;
    const maps: Record<InitVariant, SourceMapV3 | undefined> = { plain: undefined, full, own: keepSources(full, isOwnSource) };
    const bytes = {} as Record<InitVariant, { map: number; zippedMap: number }>;
    const files = {} as Record<InitVariant, string>;
    for (const [variant, map] of Object.entries(maps) as [InitVariant, SourceMapV3 | undefined][]) {
      files[variant] = join(dir, variant, 'index.js');
      await mkdir(join(dir, variant));
      const text = map ? JSON.stringify(map) : '';
      await writeFile(files[variant], map ? `${code}//# sourceMappingURL=index.js.map\n` : code);
      if (map) await writeFile(`${files[variant]}.map`, text);
      bytes[variant] = { map: text.length, zippedMap: map ? deflateRawSync(text, { level: 9 }).length : 0 };
    }
    const probeEnv = { ...env, TABLE_NAME: 'bench', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };
    const probe = (variant: InitVariant) =>
      new Promise<InitSample>((resolveSample, reject) => {
        const execArgv = variant === 'plain' ? [] : ['--enable-source-maps'];
        const child = spawn(process.execPath, [...execArgv, '-e', INIT_PROBE, files[variant]], { env: probeEnv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        child.once('message', (m) => resolveSample(m as InitSample));
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`init probe exited ${code}`))));
      });
    const samples: Record<InitVariant, InitSample[]> = { plain: [], full: [], own: [] };
    // Interleaved, so every variant sees the same machine load.
    for (let i = 0; i < runs; i++) for (const variant of ['plain', 'full', 'own'] as const) samples[variant].push(await probe(variant));
    return { samples, bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Row {
  figure: string;
  value: string;
  baseline: string;
  goal: string;
  pass: boolean;
}

/** CPU time (user + system) of a whole process so far, in µs; Linux /proc. */
async function processCpuUs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** `run`, with the CPU µs per request of this process and of `pids` while it runs. */
async function withCpu(pids: number[], run: () => Promise<LoadResult>): Promise<Measured> {
  const before = await Promise.all(pids.map(processCpuUs));
  const own = process.cpuUsage();
  const result = await run();
  const ownUsed = process.cpuUsage(own);
  const after = await Promise.all(pids.map(processCpuUs));
  const others = after.reduce((sum, t, i) => sum + t - before[i]!, 0);
  return { ...result, cpuUsPerRequest: (others + ownUsed.user + ownUsed.system) / result.requests };
}

type Measured = LoadResult & { cpuUsPerRequest: number };

interface Paired {
  baseline: Measured[];
  stack: Measured[];
  /** Median over the rounds of stack rps / baseline rps (each pair measured back to back). */
  ratio: number;
  errors: number;
}

/** ROUNDS pairs of (baseline, stack), back to back, with the CPU time of the processes each uses. */
async function paired(baseline: () => Promise<LoadResult>, stack: () => Promise<LoadResult>, pids: { baseline: number[]; stack: number[] }): Promise<Paired> {
  const out: Paired = { baseline: [], stack: [], ratio: 0, errors: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    out.baseline.push(await withCpu(pids.baseline, baseline));
    out.stack.push(await withCpu(pids.stack, stack));
  }
  out.ratio = median(out.stack.map((s, i) => s.rps / out.baseline[i]!.rps));
  out.errors = [...out.baseline, ...out.stack].reduce((sum, r) => sum + r.errors, 0);
  return out;
}

/** The two rows of a paired comparison: throughput against `goal` x the baseline, and CPU per request. */
function pairedRows(name: string, figure: string, p: Paired, baselineName: string, goal: number, goalText: string): Row[] {
  const rps = (runs: Measured[]) => median(runs.map((r) => r.rps)).toFixed(0);
  const cpu = (runs: Measured[]) => median(runs.map((r) => r.cpuUsPerRequest)).toFixed(0);
  return [
    { figure, value: `${rps(p.stack)} (${p.ratio.toFixed(2)}x)`, baseline: `${rps(p.baseline)} ${baselineName}`, goal: goalText, pass: p.ratio >= goal && p.errors === 0 },
    { figure: `${name}: CPU per request, all processes`, value: `${cpu(p.stack)} µs`, baseline: `${cpu(p.baseline)} µs ${baselineName}`, goal: '-', pass: true },
  ];
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).availableParallelism(), connections: CONNECTIONS, requests: N };

  // 1. Start time: spawn -> first 200 (median of 3 cold processes).
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const dev = await startDev([], port);
    starts.push(dev.firstOkMs);
    await stop(dev.child);
  }
  results.startToFirst200Ms = starts;
  rows.push({ figure: 'cli dev: process start -> first 200', value: `${median(starts).toFixed(0)} ms`, baseline: '-', goal: '< 700 ms', pass: median(starts) < 700 });

  // 2. Throughput: ping through the stack vs a bare node:http server; read vs direct SDK.
  // This machine is shared: the same figure moves by 2x between minutes. So each comparison runs
  // as ROUNDS back-to-back pairs (baseline, then the stack) and the figure is the median of the
  // pairs' ratios; CPU time per request, summed over every process taking part, says where it goes.
  const dynamo = await standaloneDynalite();
  const devPort = await freePort();
  const dev = await startDev(['--dynamodb-endpoint', dynamo.endpoint], devPort);
  const rpc = `http://127.0.0.1:${devPort}/prod/DynamoDBManager`;
  const ping = JSON.stringify({ operation: 'ping' });
  const read = JSON.stringify({ operation: 'read', tableName: 'lambda-apigateway', payload: { Key: { id: '1234ABCD' } } });
  const perRound = Math.round(N / ROUNDS);
  try {
    await load(rpc, JSON.stringify({ operation: 'create', tableName: 'lambda-apigateway', payload: { Item: { id: '1234ABCD', number: 5 } } }), 1, 1);
    await load(rpc, ping, 2_000, CONNECTIONS); // warm-up

    const barePort = await freePort();
    const bare = await bareServer(barePort);
    let pings: Paired;
    try {
      const bareUrl = `http://127.0.0.1:${barePort}/`;
      await load(bareUrl, ping, 2_000, CONNECTIONS);
      pings = await paired(
        () => load(bareUrl, ping, perRound, CONNECTIONS),
        () => load(rpc, ping, perRound, CONNECTIONS),
        { baseline: [bare.pid!], stack: [dev.child.pid!] },
      );
    } finally {
      await stop(bare);
    }
    results.ping = pings;
    rows.push(...pairedRows('ping', `ping rps (${CONNECTIONS} keep-alive conns)`, pings, 'bare node:http', 0.4, '>= 0.4x bare'));

    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    let reads: Paired;
    try {
      await sdkLoad(client, 'lambda-apigateway', 1_000, CONNECTIONS);
      // Warm-up as the direct SDK got: until now no request ran the SDK inside the functions' workers.
      await load(rpc, read, 2_000, CONNECTIONS);
      reads = await paired(
        () => sdkLoad(client, 'lambda-apigateway', perRound, CONNECTIONS),
        () => load(rpc, read, perRound, CONNECTIONS),
        { baseline: [dynamo.child.pid!], stack: [dev.child.pid!, dynamo.child.pid!] },
      );
    } finally {
      client.destroy();
    }
    results.read = reads;
    rows.push(...pairedRows('read', `read rps (${CONNECTIONS} conns)`, reads, 'direct SDK GetItem', 0.7, '>= 0.7x direct SDK'));

    // 3. Latency, one connection (no queueing).
    const pingLatency = await load(rpc, ping, QUICK ? 1_000 : 5_000, 1);
    const readLatency = await load(rpc, read, QUICK ? 1_000 : 5_000, 1);
    results.pingLatency = pingLatency;
    results.readLatency = readLatency;
    for (const [name, r] of [['ping', pingLatency], ['read', readLatency]] as const) {
      rows.push({ figure: `${name} latency p50 (1 conn)`, value: `${r.p50.toFixed(2)} ms`, baseline: '-', goal: '< 2 ms', pass: r.p50 < 2 });
      rows.push({ figure: `${name} latency p99 (1 conn)`, value: `${r.p99.toFixed(2)} ms`, baseline: '-', goal: '< 10 ms', pass: r.p99 < 10 });
    }

    // 4. Memory: RSS of the cli dev process over a long run of reads and pings.
    const pid = dev.child.pid!;
    const rss: { requests: number; mb: number }[] = [{ requests: 0, mb: await rssMb(pid) }];
    const step = SOAK / 10;
    for (let done = 0; done < SOAK; done += step) {
      await load(rpc, done % (2 * step) === 0 ? read : ping, step, CONNECTIONS);
      rss.push({ requests: done + step, mb: await rssMb(pid) });
    }
    results.rss = rss;
    const last = rss.at(-1)!.mb;
    const half = rss.find((r) => r.requests >= SOAK / 2)!.mb;
    const growth = (last - half) / half;
    rows.push({ figure: `RSS after ${SOAK / 1000}k requests`, value: `${last.toFixed(0)} MB`, baseline: `${rss[0]!.mb.toFixed(0)} MB idle`, goal: '< 150 MB', pass: last < 150 });
    rows.push({ figure: `RSS growth over the last ${SOAK / 2000}k`, value: `${(growth * 100).toFixed(1)} %`, baseline: `${half.toFixed(0)} MB at ${SOAK / 2000}k`, goal: 'flat (< 5 %)', pass: growth < 0.05 });
  } finally {
    await stop(dev.child);
    await stop(dynamo.child);
  }

  // 5. Hot reload.
  const reloads = await reloadLatency();
  results.reloadMs = reloads;
  rows.push({ figure: 'reload: save -> new code served', value: `${median(reloads).toFixed(0)} ms`, baseline: '-', goal: '< 300 ms', pass: median(reloads) < 300 });

  // 6. Source map in the deployed bundle: Lambda's init with NODE_OPTIONS=--enable-source-maps.
  const init = await sourceMapInitCost(QUICK ? 5 : 15);
  results.sourceMapInit = init;
  const med = (variant: InitVariant, key: keyof InitSample) => median(init.samples[variant].map((s) => s[key]));
  for (const [variant, label] of [['full', 'full map'], ['own', 'map of handler/ only']] as const) {
    const ratio = med(variant, 'initCpuMs') / med('plain', 'initCpuMs');
    rows.push({ figure: `deploy init CPU + ${label}`, value: `${med(variant, 'initCpuMs').toFixed(0)} ms (${ratio.toFixed(2)}x)`, baseline: `${med('plain', 'initCpuMs').toFixed(0)} ms without`, goal: 'ship if <= 1.05x', pass: true });
    rows.push({ figure: `deploy init wall + ${label}`, value: `${med(variant, 'initMs').toFixed(0)} ms`, baseline: `${med('plain', 'initMs').toFixed(0)} ms without`, goal: '-', pass: true });
    rows.push({ figure: `deploy first mapped trace, ${label}`, value: `${med(variant, 'firstTraceMs').toFixed(1)} ms`, baseline: '-', goal: '-', pass: true });
    rows.push({ figure: `deploy ${label}: size, zipped`, value: `${(init.bytes[variant].zippedMap / 1024).toFixed(0)} KB`, baseline: `${(init.bytes[variant].map / 1024).toFixed(0)} KB unzipped`, goal: '-', pass: true });
  }

  // 7. Peers (--peers): the same ping handler through serverless-offline and Architect's sandbox.
  if (process.argv.includes('--peers')) {
    const { runPeerBench } = await import('./peers.js');
    const peers = await runPeerBench({ root: ROOT, connections: CONNECTIONS, quick: QUICK, log: (l) => console.error(l) }, { load, freePort });
    rows.push(...peers.rows);
    results.peers = peers.results;
  }

  const widths = [40, 12, 30, 20];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 6)).join('  ');
  console.log(line(['figure', 'value', 'baseline (same run)', 'goal', 'ok']));
  for (const r of rows) console.log(line([r.figure, r.value, r.baseline, r.goal, r.pass ? 'yes' : 'NO']));
  results.rows = rows;
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(ROOT, 'bench', 'results', 'local.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwritten bench/results/local.json');
}

// bench/peers.ts imports the load generator from here; only a direct run benchmarks.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
