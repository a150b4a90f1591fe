import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { formatFunctionLog } from '../../cli/local/function-log.js';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('cli/local/function-log', () => {
  describe('formatFunctionLog', () => {
    it('passes text lines through unchanged', () => {
      const line = '2030-01-01T00:00:00.000Z\tabc\tINFO\thello';
      expect(formatFunctionLog(line)).to.equal(line);
      expect(formatFunctionLog('{not json')).to.equal('{not json');
      expect(formatFunctionLog('{"no":"level"}')).to.equal('{"no":"level"}');
    });

    it('prints a JSON line in the text format\'s order, the other fields after it', () => {
      const line = JSON.stringify({ timestamp: '2030-01-01T00:00:00.000Z', level: 'WARN', requestId: 'r-1', message: 'GET /items/{id} 404', route: 'GET /items/{id}', status: 404 });
      expect(formatFunctionLog(line)).to.equal('2030-01-01T00:00:00.000Z\tr-1\tWARN\tGET /items/{id} 404 {"route":"GET /items/{id}","status":404}');
      // The runtime's JSON envelope with an object message (src/LogPatch.js formatJsonMessage).
      expect(formatFunctionLog('{"timestamp":"t","level":"INFO","requestId":"r","message":{"a":1}}')).to.equal('t\tr\tINFO\t{"a":1}');
    });

    it('prints an EMF document as one line of its dimensions and values', () => {
      const doc = {
        _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'n', Dimensions: [['Route']], Metrics: [{ Name: 'Requests', Unit: 'Count' }, { Name: 'Latency', Unit: 'Milliseconds' }] }] },
        Route: 'GET /items',
        Requests: 1,
        Latency: 3.5,
      };
      expect(formatFunctionLog(JSON.stringify(doc))).to.equal('metrics Route=GET /items: Requests=1 Latency=3.5ms');
    });
  });

  describe('the project stack (LoggingConfig LogFormat JSON)', () => {
    async function waitFor(terminal: () => string, pattern: RegExp): Promise<string> {
      while (!pattern.test(terminal())) await new Promise((resolve) => setTimeout(resolve, 10));
      return terminal();
    }

    it('shows the handler\'s request line and its metrics, and drops lines below ApplicationLogLevel', async () => {
      const reporter = createMemoryReporter();
      const terminal = () => reporter.stderr.join('\n');
      let stack: LocalStack | undefined = await startLocalStack({ root: ROOT, port: 0, reporter, parameterOverrides: { AuthMode: 'NONE' } });
      try {
        await (await fetch(`${stack.endpoint}/items`)).text();
        const shown = await waitFor(terminal, /\tINFO\tGET \/items 200 /);
        // Lambda's request id, then API Gateway's and the trace id (the local API sends X-Amzn-Trace-Id).
        expect(shown).to.match(/\t[0-9a-f-]{36}\tINFO\tGET \/items 200 \{"apiRequestId":"[^"]+","traceId":"1-[0-9a-f]{8}-[0-9a-f]{24}","route":"GET \/items","status":200,/);
        // `cli dev` summarises the EMF documents (metrics-summary.ts) instead of printing each one.
        expect(shown).to.not.include('"_aws"');
        const summary = stack.flushMetrics().join('\n');
        expect(summary).to.match(/^metrics \(EMF, last \d+ s\):/);
        expect(summary).to.include('GET /items');
      } finally {
        await stack.stop();
      }

      const quiet = createMemoryReporter();
      const quietTerminal = () => quiet.stderr.join('\n');
      stack = await startLocalStack({ root: ROOT, port: 0, reporter: quiet, parameterOverrides: { AuthMode: 'NONE', LogLevel: 'WARN' } });
      try {
        await (await fetch(`${stack.endpoint}/items`)).text();
        await (await fetch(`${stack.endpoint}/items/missing-one`)).text();
        // Lines of one environment arrive in order: the 200's INFO line would be before the 404's.
        const shown = await waitFor(quietTerminal, /\tWARN\tGET \/items\/\{id\} 404/);
        expect(shown).to.not.include('GET /items 200');
        expect(stack.flushMetrics(), 'EMF documents count as INFO').to.deep.equal([]);
      } finally {
        await stack.stop();
      }
    });
  });
});
