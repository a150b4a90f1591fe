/**
 * coalescingReporter (cli/local/index.ts): the terminal output of many requests leaves in one
 * write per event-loop turn, in order, with nothing lost.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { coalescingReporter } from '../../cli/local/index.js';
import { createReporter } from '../../cli/ui/reporter.js';

/** A stream that records each write call the way the OS would see it (writev = one call). */
function recordingStream(): Writable & { calls: string[] } {
  const calls: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      calls.push(chunk.toString());
      done();
    },
    writev(chunks, done) {
      calls.push(chunks.map((c) => String(c.chunk)).join(''));
      done();
    },
  });
  return Object.assign(stream, { calls });
}

describe('cli/local/index', () => {
  describe('coalescingReporter', () => {
    it('sends the lines of one event-loop turn in one write, in order', async () => {
      const stream = recordingStream();
      const reporter = coalescingReporter(createReporter({ stderr: stream, stdout: stream, env: { NO_COLOR: '1' } }), stream);
      reporter.info('GET /prod/items 200');
      reporter.warn('403 Missing Authentication Token');
      reporter.error('boom');
      expect(stream.calls).to.deep.equal([]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(stream.calls).to.deep.equal(['GET /prod/items 200\nwarning: 403 Missing Authentication Token\nerror: boom\n']);

      reporter.info('next turn');
      await new Promise((resolve) => setImmediate(resolve));
      expect(stream.calls).to.have.length(2);
      expect(stream.calls[1]).to.equal('next turn\n');
    });
  });
});
