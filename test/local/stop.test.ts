/**
 * Stopping the local stack while clients hold keep-alive connections, over raw sockets so every
 * byte on each connection is seen: an idle connection is closed, a request in progress finishes
 * with `Connection: close`, and a request that arrives after the stop began runs no function and
 * gets no answer. The request in progress is the fixture's `wait-for-file` route, held until the
 * test creates the file, so no timing decides what is in flight.
 */
import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { RawConnection as Connection } from '../support/raw-http.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/project', import.meta.url));

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('cli/local (stopping with open keep-alive connections)', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-stop-'));
    await cp(FIXTURE, root, { recursive: true });
    // The fixture's 1 s Timeout would end a held invocation; the stop, not Lambda, is tested here.
    const template = join(root, 'infra', 'cfn', 'template.yaml');
    await writeFile(template, (await readFile(template, 'utf8')).replace('Timeout: 1\n', 'Timeout: 25\n'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  describe('stop', () => {
    it('closes idle connections, finishes the request in progress with Connection: close, and answers no request that arrives after', async () => {
      const reporter = createMemoryReporter();
      const stack: LocalStack = await startLocalStack({ root, port: 0, reporter, concurrency: 2 });
      const port = Number(new URL(stack.origin).port);
      const release = join(root, `release-${process.pid}`);
      const connections: Connection[] = [];
      try {
        // An idle keep-alive connection: one answer, then nothing.
        const idle = await Connection.open(port);
        connections.push(idle);
        idle.get('/dev/version');
        await waitFor(() => idle.responses.length === 1, 'the idle connection\'s first answer');
        expect(idle.responses[0]!.headers.connection).to.not.equal('close');

        // A busy connection: one request held in the function.
        const busy = await Connection.open(port);
        connections.push(busy);
        busy.get(`/dev/wait-for-file?file=${encodeURIComponent(release)}`);
        await waitFor(() => reporter.stderr.some((l) => l.includes(`waiting for ${release}`)), 'the held request to reach the function');

        const stopped = stack.stop();
        await idle.closed;
        expect(idle.responses).to.have.length(1);

        // Sent on the busy connection after the stop began: it must not reach the function.
        busy.get('/dev/counter');
        // A new connection after the stop: refused.
        const refused = await Connection.open(port).then(
          (c) => (connections.push(c), 'accepted'),
          (err: NodeJS.ErrnoException) => err.code,
        );
        expect(refused).to.equal('ECONNREFUSED');

        await writeFile(release, '');
        await busy.closed;
        await stopped;
        expect(busy.responses.map((r) => r.status)).to.deep.equal([200]);
        expect(JSON.parse(busy.responses[0]!.body)).to.deep.equal({ waited: true });
        expect(busy.responses[0]!.headers.connection).to.equal('close');
        const log = reporter.stderr.join('\n');
        expect(log).to.not.match(/GET \/dev\/counter/);
        expect(log).to.not.contain('local Lambda service');
      } finally {
        await writeFile(release, '');
        for (const c of connections) c.destroy();
        await stack.stop();
      }
    });
  });
});
