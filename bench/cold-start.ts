/**
 * Cold start of the deployed bundle with its instrumentation (`npm run bench`, or
 * `node --import tsx bench/cold-start.ts [--quick]`): Lambda's Init phase is a fresh `node`
 * requiring the zip's index.js, measured as CPU and wall ms, interleaved, median of N runs.
 *
 * In the same run, against:
 * - naive: esbuild's defaults on a bare SDK handler (DynamoDBClient + lib-dynamodb, one GetItem);
 *   the goal is ours <= 0.9x its CPU, with tracing and metrics on;
 * - the handler with the two libraries that could replace the hand-written X-Ray subsegments
 *   (handler/xray-subsegments.ts): Powertools Tracer and the X-Ray SDK core, each wrapping the
 *   DynamoDB client as their documentation shows; and with Powertools Metrics in place of the
 *   hand-written EMF (handler/emf.ts). Those are installed into bench/instrumentation/ (git-ignored)
 *   on first use, at the versions pinned below.
 * Also the zip size (deflated bundle) against the 200 KB budget.
 * Prints a table and writes bench/results/cold-start.json.
 */
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { handlerBuildOptions } from '../cli/build/bundle.js';
import { INIT_PROBE, median, type InitSample } from './local.js';
import { installPinned } from './peers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIBS_DIR = join(ROOT, 'bench', 'instrumentation');
const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 5 : 15;
const ZIP_BUDGET_KB = 200;

const LIBRARIES = {
  '@aws-lambda-powertools/tracer': '2.36.0',
  '@aws-lambda-powertools/metrics': '2.36.0',
  'aws-xray-sdk-core': '3.12.0',
};

/** The handler's own modules, imported by path so the variants bundle the same code as ours. */
const own = (file: string) => JSON.stringify(join(ROOT, 'handler', file));

const NAIVE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  const out = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id: event.pathParameters.id } }));
  return { statusCode: out.Item ? 200 : 404, body: JSON.stringify(out.Item ?? {}) };
};
`;

const WITH_POWERTOOLS_TRACER = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { createHandler } from ${own('create-handler.ts')};
import { createDocumentClient } from ${own('document-client.ts')};
const tracer = new Tracer({ serviceName: 'items' });
const client = tracer.captureAWSv3Client(new DynamoDBClient({}));
export const handler = createHandler({ db: createDocumentClient(client), tableName: process.env.TABLE_NAME, subsegments: { emit() {} } });
`;

const WITH_XRAY_SDK = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { captureAWSv3Client } from 'aws-xray-sdk-core';
import { createHandler } from ${own('create-handler.ts')};
import { createDocumentClient } from ${own('document-client.ts')};
const client = captureAWSv3Client(new DynamoDBClient({}));
export const handler = createHandler({ db: createDocumentClient(client), tableName: process.env.TABLE_NAME, subsegments: { emit() {} } });
`;

const WITH_POWERTOOLS_METRICS = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createHandler } from ${own('create-handler.ts')};
import { createDocumentClient } from ${own('document-client.ts')};
const metrics = new Metrics({ namespace: process.env.METRICS_NAMESPACE, serviceName: 'items' });
export const handler = createHandler({
  db: createDocumentClient(new DynamoDBClient({})),
  tableName: process.env.TABLE_NAME,
  metrics: (doc) => { metrics.addMetric('Requests', MetricUnit.Count, 1); metrics.publishStoredMetrics(); },
});
`;

type Variant = 'ours' | 'naive' | 'powertoolsTracer' | 'xraySdk' | 'powertoolsMetrics';

async function bundle(variant: Variant, dir: string): Promise<string> {
  const base = handlerBuildOptions(ROOT);
  const sources: Partial<Record<Variant, string>> = { naive: NAIVE, powertoolsTracer: WITH_POWERTOOLS_TRACER, xraySdk: WITH_XRAY_SDK, powertoolsMetrics: WITH_POWERTOOLS_METRICS };
  const source = sources[variant];
  const options: esbuild.BuildOptions & { write: false } =
    variant === 'ours'
      ? base
      : variant === 'naive'
        ? // esbuild's defaults for a Node bundle: no minification.
          { stdin: { contents: source!, resolveDir: ROOT, loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' }
        : { ...base, entryPoints: undefined, stdin: { contents: source!, resolveDir: ROOT, loader: 'ts' }, nodePaths: [join(LIBS_DIR, 'node_modules')], outfile: undefined, outdir: undefined };
  const result = await esbuild.build(options);
  const file = join(dir, variant, 'index.js');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, result.outputFiles[0]!.contents);
  return file;
}

/** Lambda's environment at Init with active tracing and the stack's metrics namespace. */
const INIT_ENV = {
  PATH: process.env.PATH ?? '',
  TABLE_NAME: 'bench',
  METRICS_NAMESPACE: 'ItemsApi/bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  AWS_LAMBDA_LOG_LEVEL: 'INFO',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
};

function probe(file: string): Promise<InitSample> {
  return new Promise((resolveSample, reject) => {
    const child = spawn(process.execPath, ['-e', INIT_PROBE, file], { env: INIT_ENV, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m) => resolveSample(m as InitSample));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`init probe of ${file} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  await installPinned(LIBS_DIR, LIBRARIES, (line) => console.error(`cold-start: ${line}`));
  const dir = await mkdtemp(join(tmpdir(), 'bench-cold-'));
  try {
    const variants: Variant[] = ['ours', 'naive', 'powertoolsTracer', 'xraySdk', 'powertoolsMetrics'];
    const files = {} as Record<Variant, string>;
    const zipped = {} as Record<Variant, number>;
    for (const v of variants) {
      files[v] = await bundle(v, dir);
      zipped[v] = deflateRawSync(await readFile(files[v]), { level: 9 }).length;
    }
    const samples = Object.fromEntries(variants.map((v) => [v, [] as InitSample[]])) as Record<Variant, InitSample[]>;
    // Interleaved, so every variant sees the same machine load.
    for (let i = 0; i < RUNS; i++) for (const v of variants) samples[v].push(await probe(files[v]));
    const cpu = (v: Variant) => median(samples[v].map((s) => s.initCpuMs));
    const wall = (v: Variant) => median(samples[v].map((s) => s.initMs));
    const kb = (v: Variant) => `${(zipped[v] / 1024).toFixed(0)} KB`;
    const rows = [
      { figure: 'init CPU, ours (tracing + metrics on)', value: `${cpu('ours').toFixed(0)} ms (${(cpu('ours') / cpu('naive')).toFixed(2)}x)`, baseline: `${cpu('naive').toFixed(0)} ms naive bundle`, goal: '<= 0.9x', pass: cpu('ours') <= 0.9 * cpu('naive') },
      { figure: 'init wall, ours', value: `${wall('ours').toFixed(0)} ms`, baseline: `${wall('naive').toFixed(0)} ms naive bundle`, goal: '-', pass: true },
      { figure: 'zip size, ours', value: kb('ours'), baseline: `${kb('naive')} naive bundle`, goal: `<= ${ZIP_BUDGET_KB} KB`, pass: zipped.ours <= ZIP_BUDGET_KB * 1024 },
      ...(['powertoolsTracer', 'xraySdk', 'powertoolsMetrics'] as const).map((v) => ({
        figure: `init CPU, ${{ powertoolsTracer: 'Powertools Tracer', xraySdk: 'X-Ray SDK core', powertoolsMetrics: 'Powertools Metrics' }[v]} instead`,
        value: `${cpu(v).toFixed(0)} ms (+${(cpu(v) - cpu('ours')).toFixed(0)} ms), ${kb(v)}`,
        baseline: `${cpu('ours').toFixed(0)} ms ours, ${kb('ours')}`,
        goal: 'informational',
        pass: true,
      })),
    ];
    const widths = [48, 26, 30, 14];
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 6)).join('  ');
    console.log(line(['figure', 'value', 'baseline (same run)', 'goal', 'ok']));
    for (const r of rows) console.log(line([r.figure, r.value, r.baseline, r.goal, r.pass ? 'yes' : 'NO']));
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(join(ROOT, 'bench', 'results', 'cold-start.json'), JSON.stringify({ runs: RUNS, samples, zippedBytes: zipped, versions: LIBRARIES, rows }, null, 2) + '\n');
    console.log('\nwritten bench/results/cold-start.json');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
