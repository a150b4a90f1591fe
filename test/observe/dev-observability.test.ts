/**
 * What `cli dev` shows of each request, over HTTP against the local stack with a memory
 * reporter: the access line's time split (gateway | function | DynamoDB, the last measured in
 * the execution environment around the function's DynamoDB calls), the trace id (the
 * X-Amzn-Trace-Id API Gateway passes, also the function's _X_AMZN_TRACE_ID), and the summary of
 * the EMF metrics the function emits instead of their raw JSON lines.
 */
import { expect } from 'chai';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useTempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../local/fixtures/project', import.meta.url));
const ACCESS = /^(GET|POST|PUT|PATCH|DELETE) (\S+) (\d{3}) (\d+\.\d) ms(?: \[gateway (\d+\.\d) \| function (\d+\.\d)(?: \| DynamoDB (\d+\.\d) \((\d+) calls?\))?\])? trace (1-[0-9a-f]{8}-[0-9a-f]{24})$/;

function accessLine(lines: string[], method: string, path: string) {
  const line = lines.find((l) => l.startsWith(`${method} ${path} `));
  if (!line) throw new Error(`no access line for ${method} ${path} in:\n${lines.join('\n')}`);
  const m = ACCESS.exec(line);
  if (!m) throw new Error(`access line not in the expected shape: ${line}`);
  return { line, status: Number(m[3]), total: Number(m[4]), gateway: m[5] && Number(m[5]), fn: m[6] && Number(m[6]), dynamoMs: m[7] && Number(m[7]), dynamoCalls: m[8] && Number(m[8]), trace: m[9]! };
}

/** Resolves when `predicate` holds, checking every 10 ms (up to 10 s): waits for an event, not a duration. */
async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The trace id's Root from an X-Amzn-Trace-Id header (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader). */
const root = (header: string | null) => /Root=([^;]+)/.exec(header ?? '')?.[1];

describe('cli dev observability (access line, trace id, EMF summary)', function () {
  this.timeout(60_000);

  describe('with the project handler', () => {
    let stack: LocalStack;
    const reporter = createMemoryReporter();
    before(async () => {
      stack = await startLocalStack({ root: ROOT, port: 0, reporter, concurrency: 1, parameterOverrides: { AuthMode: 'NONE' } });
    });
    after(() => stack?.stop());

    it("splits each request's time into gateway, function and DynamoDB, and names its trace", async () => {
      const created = await fetch(`${stack.endpoint}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'timing-1', n: 1 }) });
      expect(created.status).to.equal(201);
      const read = await fetch(`${stack.endpoint}/items/timing-1`);
      expect(read.status).to.equal(200);
      const unknown = await fetch(`${stack.endpoint}/nowhere`);
      expect(unknown.status).to.equal(403);

      const lines = reporter.stderr;
      const get = accessLine(lines, 'GET', '/prod/items/timing-1');
      expect(get.status).to.equal(200);
      // One GetItem through the SDK: seen by the worker, and part of the function's time.
      expect(get.dynamoCalls).to.equal(1);
      expect(get.dynamoMs).to.be.a('number').greaterThan(0);
      expect(get.dynamoMs as number).to.be.at.most(get.fn as number);
      expect((get.gateway as number) + (get.fn as number)).to.be.closeTo(get.total, 0.2);
      // API Gateway's X-Amzn-Trace-Id: the same id on the answer and on the access line.
      expect(get.trace).to.equal(root(read.headers.get('x-amzn-trace-id')));
      const post = accessLine(lines, 'POST', '/prod/items');
      expect(post.dynamoCalls).to.be.at.least(1);
      expect(post.trace).not.to.equal(get.trace);
      // A request API Gateway refuses never reaches the function: no split, still a trace id.
      const refused = accessLine(lines, 'GET', '/prod/nowhere');
      expect(refused.status).to.equal(403);
      expect(refused.fn).to.equal(undefined);
    });
  });

  describe('with a handler that emits EMF and logs its trace header', () => {
    const scratch = useTempDir('dev-observability-');
    let stack: LocalStack;
    const reporter = createMemoryReporter();

    before(async () => {
      await cp(FIXTURE, scratch.path, { recursive: true });
      // EMF in the two ways a handler writes it: bare on stdout (as Powertools does) and through
      // console.log (after the runtime's text prefix).
      await writeFile(
        join(scratch.path, 'handler', 'index.ts'),
        `import type { APIGatewayProxyEvent } from 'aws-lambda';
const emf = (route: string, latency: number) => ({
  _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'ItemsApi', Dimensions: [['Service'], ['Service', 'Route']], Metrics: [{ Name: 'Requests', Unit: 'Count' }, { Name: 'Latency', Unit: 'Milliseconds' }] }] },
  Service: 'items', Route: route, Requests: 1, Latency: latency,
});
export async function handler(event: APIGatewayProxyEvent) {
  const latency = Number(event.queryStringParameters?.latency ?? '1');
  const route = event.httpMethod + ' ' + event.resource;
  if (latency % 2 === 0) process.stdout.write(JSON.stringify(emf(route, latency)) + '\\n');
  else console.log(JSON.stringify(emf(route, latency)));
  console.log('handling with trace', process.env._X_AMZN_TRACE_ID);
  // After the EMF on the same stream: once this line is seen, so was that EMF.
  process.stdout.write('done ' + latency + '\\n');
  return { statusCode: 200, body: JSON.stringify({ env: process.env._X_AMZN_TRACE_ID, header: event.headers['X-Amzn-Trace-Id'] }) };
}
`,
      );
      stack = await startLocalStack({ root: scratch.path, port: 0, reporter, concurrency: 1 });
    });
    after(() => stack?.stop());

    it("gives the function the request's trace id as _X_AMZN_TRACE_ID and the X-Amzn-Trace-Id header, and it shows in the function's log line", async () => {
      const res = await fetch(`${stack.endpoint}/version`);
      const body = (await res.json()) as { env: string; header: string };
      const id = root(res.headers.get('x-amzn-trace-id'))!;
      // Lambda: "_X_AMZN_TRACE_ID – The X-Ray tracing header" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime);
      // API Gateway adds X-Amzn-Trace-Id to the request (https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html).
      expect(body.env).to.equal(`Root=${id};Sampled=0`);
      expect(root(body.header)).to.equal(id);
      expect(reporter.stderr.some((l) => /\tINFO\thandling with trace Root=/.test(l) && l.includes(id))).to.equal(true);
      expect(accessLine(reporter.stderr, 'GET', '/dev/version').trace).to.equal(id);
    });

    it('summarises the EMF metrics instead of printing their JSON', async () => {
      stack.flushMetrics();
      const before = reporter.stderr.length;
      for (const latency of [1, 2, 3, 4, 40]) expect((await fetch(`${stack.endpoint}/version?latency=${latency}`)).status).to.equal(200);
      // stdout reaches the terminal on its own stream, maybe after the answer: wait for each request's last line.
      await waitFor(() => reporter.stderr.slice(before).filter((l) => /^done \d+$/.test(l)).length === 5, "the function's output of the 5 requests");
      expect(reporter.stderr.some((l) => l.includes('CloudWatchMetrics'))).to.equal(false);

      const summary = stack.flushMetrics();
      expect(summary[0]).to.match(/^metrics \(EMF, last \d+ s\):$/);
      // The most specific dimension set, one line per metric; counts summed, times as percentiles (nearest rank).
      expect(summary.slice(1)).to.deep.equal([
        '  ItemsApi Latency {Service=items Route=GET /{proxy+}}: p50 3 ms, p99 40 ms, max 40 ms (5 values)',
        '  ItemsApi Requests {Service=items Route=GET /{proxy+}}: 5 (5 values)',
      ]);
      expect(reporter.stderr.slice(-3)).to.deep.equal(summary);
      // The window starts afresh.
      expect(stack.flushMetrics()).to.deep.equal([]);
    });
  });
});
