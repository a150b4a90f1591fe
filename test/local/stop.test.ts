/**
 * Stopping the local stack while clients hold keep-alive connections, over raw sockets so every
 * byte on each connection is seen: an idle connection is closed, a request in progress finishes
 * with `Connection: close`, and a request that arrives after the stop began runs no function and
 * gets no answer. The request in progress is the fixture's `wait-for-file` route, held until the
 * test creates the file, so no timing decides what is in flight.
 */
import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/project', import.meta.url));

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One client connection: writes requests as given, parses every answer (Content-Length bodies). */
class Connection {
  readonly responses: RawResponse[] = [];
  readonly closed: Promise<void>;
  private buffer = Buffer.alloc(0);
  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }
  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }
  get(path: string): void {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  }
  destroy(): void {
    this.socket.destroy();
  }
  private parse(): void {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (this.buffer.length < end + 4 + length) return;
      this.responses.push({ status: Number(statusLine!.split(' ')[1]), headers, body: this.buffer.subarray(end + 4, end + 4 + length).toString('utf8') });
      this.buffer = this.buffer.subarray(end + 4 + length);
    }
  }
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
