/**
 * A fault inside the embedded DynamoDB of a running `cli dev` (cli/local/store-guard.ts): the
 * request that hit it gets a 500, the fault is logged, and the process keeps serving with its data.
 * The fault is injected (test/support/store-fault.cjs, preloaded into the process): once dynalite's
 * known bugs are patched, no request reaches one, and the point is what happens when one does.
 * DynamoDB answers a fault on its side with HTTP 500 InternalServerError:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoApiError, dynamoCall } from '../../cli/local/dynamodb.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'bin', 'cli.mjs');
const FAULT = 'attribute_exists(injected_fault)';

describe('cli dev (a fault inside the embedded DynamoDB)', () => {
  it('answers the faulting request 500, logs it, and keeps serving every item', async function () {
    this.timeout(60_000);
    // Unsigned requests: the store's fault is tested here, not auth.
    const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', '--no-watch', '--parameter-overrides', 'AuthMode=NONE'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'test', 'support', 'store-fault.cjs')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let exited = false;
    const done = new Promise<number | null>((resolve) => child.once('close', (code) => ((exited = true), resolve(code))));
    const waitForStderr = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (;;) {
        const match = pattern.exec(stderr);
        if (match) return match;
        if (exited) throw new Error(`cli dev exited while waiting for ${pattern}:\n${stderr}`);
        await new Promise((resolve) => child.stderr.once('data', resolve).once('close', resolve));
      }
    };
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      await waitForStderr(/ready in \d+ ms/);
      const url = (await waitForStderr(/DynamoDBManagerUrl\s+(http:\S+)/))[1]!;
      const store = (await waitForStderr(/DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+) /))[1]!;
      const table = (await waitForStderr(/tables: ([^\s)]+)/))[1]!;
      const rpc = async (operation: string, payload: Record<string, unknown>) => {
        const res = await fetch(url, { method: 'POST', body: JSON.stringify({ operation, payload }) });
        return { status: res.status, body: JSON.parse(await res.text()) as unknown };
      };

      expect((await rpc('create', { Item: { id: 'kept', n: 1 } })).status).to.equal(200);
      expect((await rpc('create', { Item: { id: 'also-kept', n: 3 } })).status).to.equal(200);
      expect((await rpc('create', { Item: { id: 'target', n: 2 } })).status).to.equal(200);

      // Straight to the store: DynamoDB's error answer.
      const error = await dynamoCall(store, 'us-east-1', 'DeleteItem', { TableName: table, Key: { id: { S: 'target' } }, ConditionExpression: FAULT }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DynamoApiError);
      expect((error as DynamoApiError).statusCode).to.equal(500);
      expect((error as DynamoApiError).type).to.equal('InternalServerError');
      await waitForStderr(/the local DynamoDB \(dynalite\) failed on a request and answered it 500 InternalServerError[^]*injected fault in a condition/);

      // Through the API: the function's SDK gets the same answer, and the handler its 500.
      const answer = await rpc('delete', { Key: { id: 'target' }, ConditionExpression: FAULT });
      expect(answer.status).to.equal(500);
      expect(answer.body).to.deep.include({ message: 'Internal server error' });

      // The faulting writes held the item's lock: a later write of the same key is served.
      expect(await rpc('delete', { Key: { id: 'target' }, ReturnValues: 'ALL_OLD' })).to.deep.equal({ status: 200, body: { Attributes: { id: 'target', n: 2 } } });
      // A fault while a page is filtered, with a Limit that ends the page before the table does
      // (where a fault would be swallowed and the request left unanswered).
      const scan = await dynamoCall(store, 'us-east-1', 'Scan', { TableName: table, Limit: 1, FilterExpression: FAULT }).catch((e: unknown) => e);
      expect((scan as DynamoApiError).statusCode).to.equal(500);
      expect((scan as DynamoApiError).type).to.equal('InternalServerError');
      expect((await rpc('list', { Limit: 1, FilterExpression: FAULT })).status).to.equal(500);
      await waitForStderr(/answered it 500 InternalServerError[^]*injected fault in a filter/);

      expect(await rpc('list', {})).to.deep.include({ status: 200 }).and.nested.include({ 'body.Count': 2 });
      expect(await rpc('read', { Key: { id: 'kept' } })).to.deep.equal({ status: 200, body: { Item: { id: 'kept', n: 1 } } });
      expect(exited).to.equal(false);
    } finally {
      child.kill('SIGINT');
    }
    expect(await done, stderr).to.equal(0);
  });
});
