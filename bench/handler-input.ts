/**
 * Benchmark of the handler's input checks on worst-case bodies (`npm run bench`, or
 * `node --import tsx bench/handler-input.ts`): issue 8's quadratic number (`1`, zeros, `1`) and
 * bodies of empty maps or zeros, at 64 KB, 640 KB and 6 MB. Each figure is measured next to
 * `JSON.parse` of the same bytes in the same run: time per MB (median of several runs) and peak
 * memory per MB (growth of peak RSS over the first run), each case in a fresh child process limited to 256 MB of heap as the deployed
 * function is (infra/cfn/template.yaml MemorySize), so an out-of-memory shows as a failed row.
 * Goals: linear growth (time per MB at 6 MB within 2x of 640 KB's) and at most 3x `JSON.parse`'s
 * time per MB. Prints a table and writes bench/results/handler-input.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [64 * 1024, 640 * 1024, 6 * 1024 * 1024];
const HEAP_MB = 256;

type Route = 'item' | 'rpc';
interface Case {
  name: string;
  route: Route;
  body(bytes: number): string;
}

/** `{"id":"x","a":[u,u,...]}` of about `bytes` bytes. */
function listBody(unit: string, bytes: number, prefix = '{"id":"x","a":[', suffix = ']}'): string {
  const count = Math.max(1, Math.floor((bytes - prefix.length - suffix.length + 1) / (unit.length + 1)));
  return prefix + Array(count).fill(unit).join(',') + suffix;
}

const CASES: Case[] = [
  { name: 'number 1000...0001 (POST /items)', route: 'item', body: (bytes) => `{"id":"n","v":1${'0'.repeat(bytes - 17)}1}` },
  { name: 'empty maps [{},{},...] (POST /items)', route: 'item', body: (bytes) => listBody('{}', bytes) },
  { name: 'zeros [0,0,...] (RPC echo)', route: 'rpc', body: (bytes) => listBody('0', bytes, '{"operation":"echo","payload":{"a":[', ']}}') },
];

interface ChildResult {
  /** Median milliseconds of one check, first (cold) run excluded. */
  ms: number;
  runs: number;
  /** Growth of the process's peak RSS over the first check, MB. */
  peakMb: number;
  heapUsedAfterMb: number;
  answer: string;
}

function event(body: string, route: Route): APIGatewayProxyEvent {
  const resource = route === 'item' ? '/items' : '/DynamoDBManager';
  return { resource, path: resource, httpMethod: 'POST', headers: { 'Content-Type': 'application/json' }, body, isBase64Encoded: false, requestContext: { requestId: 'bench', path: `/prod${resource}` } } as unknown as APIGatewayProxyEvent;
}

/**
 * What the handler does with the body before it calls DynamoDB (create-handler.ts routes it here):
 * POST /items reads the body, its id and the item (items-api.ts createItem); the RPC route reads
 * the body and runs `echo`, which answers the payload as JSON (dynamodb-manager.ts).
 */
async function handlerCheck(c: Case, body: string): Promise<() => Promise<string>> {
  const { readJsonBody, jsonResponse } = await import('../handler/http.js');
  const { ITEM_BODY_BUDGET, toItem } = await import('../handler/item-value.js');
  const { itemId } = await import('../handler/item-key.js');
  const { dynamoDbManager, RPC_BODY_BUDGET } = await import('../handler/dynamodb-manager.js');
  const { HttpError } = await import('../handler/errors.js');
  const e = event(body, c.route);
  const table = { name: 'bench', db: {} as never };
  return async () => {
    try {
      if (c.route === 'item') {
        const item = readJsonBody(e, ITEM_BODY_BUDGET) as Record<string, never>;
        itemId(item, 'request body');
        toItem(item, 'request body');
        return 'valid item (would be written)';
      }
      const response = jsonResponse(200, await dynamoDbManager(readJsonBody(e, RPC_BODY_BUDGET), table, () => {}));
      return `${response.statusCode} (${response.body.length} bytes)`;
    } catch (error) {
      if (error instanceof HttpError) return `${error.statusCode} ${error.message.slice(0, 70)}`;
      throw error;
    }
  };
}

/** In the child: run one case, print a ChildResult as JSON. */
async function child(caseIndex: number, bytes: number, mode: 'handler' | 'json'): Promise<void> {
  const c = CASES[caseIndex]!;
  const body = c.body(bytes);
  const once =
    mode === 'json'
      ? async () => {
          JSON.parse(body);
          return 'parsed';
        }
      : await handlerCheck(c, body);
  (globalThis as { gc?: () => void }).gc!();
  const baseRss = process.resourceUsage().maxRSS;
  // The first run gives the peak memory (and a cold JIT); the figure is the median of the next runs.
  const answer = await once();
  const peakMb = (process.resourceUsage().maxRSS - baseRss) / 1024;
  const times: number[] = [];
  while (times.length < 5 || (times.length < 50 && times.reduce((a, b) => a + b, 0) < 1_500)) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  report({ ms: median(times), runs: times.length, peakMb, heapUsedAfterMb: process.memoryUsage().heapUsed / 2 ** 20, answer });
}

function report(result: ChildResult): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function spawnChild(caseIndex: number, bytes: number, mode: 'handler' | 'json'): ChildResult | { failed: string } {
  const result = spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(caseIndex), String(bytes), mode],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, maxBuffer: 1 << 20 },
  );
  const line = result.stdout.trim().split('\n').at(-1);
  if (result.status !== 0 || !line) return { failed: `exit ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').slice(-2).join(' ')}`.slice(0, 200) };
  return JSON.parse(line) as ChildResult;
}

interface Row {
  case: string;
  bytes: number;
  handlerMsPerMb?: number;
  jsonParseMsPerMb?: number;
  ratio?: number;
  handlerPeakMbPerMb?: number;
  jsonParsePeakMbPerMb?: number;
  answer: string;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const checks: { name: string; ok: boolean; value: string }[] = [];
  for (const [i, c] of CASES.entries()) {
    const perCase: Row[] = [];
    for (const bytes of SIZES) {
      const mb = bytes / 2 ** 20;
      const ours = spawnChild(i, bytes, 'handler');
      const theirs = spawnChild(i, bytes, 'json');
      const row: Row = { case: c.name, bytes, answer: 'failed' in ours ? `FAILED ${ours.failed}` : ours.answer };
      if (!('failed' in ours)) {
        row.handlerMsPerMb = ours.ms / mb;
        row.handlerPeakMbPerMb = ours.peakMb / mb;
      }
      if (!('failed' in theirs)) {
        row.jsonParseMsPerMb = theirs.ms / mb;
        row.jsonParsePeakMbPerMb = theirs.peakMb / mb;
      }
      if (row.handlerMsPerMb !== undefined && row.jsonParseMsPerMb !== undefined) row.ratio = row.handlerMsPerMb / row.jsonParseMsPerMb;
      rows.push(row);
      perCase.push(row);
    }
    const answered = perCase.every((r) => r.handlerMsPerMb !== undefined);
    checks.push({ name: `${c.name}: answered at every size within ${HEAP_MB} MB of heap`, ok: answered, value: perCase.map((r) => r.answer.split(' ')[0]).join(', ') });
    const [, mid, big] = perCase;
    if (mid?.handlerMsPerMb !== undefined && big?.handlerMsPerMb !== undefined) {
      const growth = big.handlerMsPerMb / mid.handlerMsPerMb;
      checks.push({ name: `${c.name}: linear (ms/MB at 6 MB <= 2x 640 KB's)`, ok: growth <= 2, value: `${growth.toFixed(2)}x` });
    }
    const worst = Math.max(...perCase.map((r) => r.ratio ?? Infinity));
    checks.push({ name: `${c.name}: <= 3x JSON.parse's time per MB`, ok: worst <= 3, value: `${worst.toFixed(2)}x at worst` });
  }

  const f = (n: number | undefined, digits = 1) => (n === undefined ? '-' : n.toFixed(digits));
  const size = (b: number) => (b >= 2 ** 20 ? `${b / 2 ** 20} MB` : `${b / 1024} KB`);
  const widths = [38, 8, 12, 12, 7, 12, 12];
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\nhandler input checks vs JSON.parse, same bytes, same run (${new Date().toISOString()}, node ${process.version}, ${HEAP_MB} MB heap per child)`);
  console.log(line(['case', 'size', 'ours ms/MB', 'JSON ms/MB', 'ratio', 'ours peak', 'JSON peak', 'answer']));
  for (const r of rows) {
    console.log(line([r.case, size(r.bytes), f(r.handlerMsPerMb), f(r.jsonParseMsPerMb), f(r.ratio, 2), `${f(r.handlerPeakMbPerMb)} MB/MB`, `${f(r.jsonParsePeakMbPerMb)} MB/MB`, r.answer]));
  }
  console.log('');
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name} (${c.value})`);
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(ROOT, 'bench', 'results', 'handler-input.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, heapMb: HEAP_MB, rows, checks }, null, 2) + '\n');
  console.log('\nwritten bench/results/handler-input.json');
  process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(Number(process.argv[childAt + 1]), Number(process.argv[childAt + 2]), process.argv[childAt + 3] as 'handler' | 'json');
else await main();
