/** The pure parts of cli dev's observability: EMF parsing, the metric summary, the access line, the DynamoDB time union. */
import { expect } from 'chai';
import { formatAccessLine } from '../../cli/local/access-line.js';
import { unionMs } from '../../cli/local/dynamodb-timer.js';
import { emfMetrics } from '../../cli/local/emf.js';
import { EmfAggregator, formatSummaryLine } from '../../cli/local/metrics-summary.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const plain = createMemoryReporter().color;
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html (its example document)
const DOC = {
  _aws: { Timestamp: 1574109732004, CloudWatchMetrics: [{ Namespace: 'lambda-function-metrics', Dimensions: [['functionVersion']], Metrics: [{ Name: 'time', Unit: 'Milliseconds', StorageResolution: 60 }] }] },
  functionVersion: '$LATEST',
  time: 100,
  requestId: '989ffbf8-9ace-4817-a57c-e4dd734019ee',
};
const EXPECTED = [{ namespace: 'lambda-function-metrics', name: 'time', unit: 'Milliseconds', dimensions: { functionVersion: '$LATEST' }, values: [100] }];

describe('cli/local/emf', () => {
  describe('emfMetrics', () => {
    it('reads a bare document, one after the runtime text prefix, and one inside a JSON log record', () => {
      expect(emfMetrics(JSON.stringify(DOC))).to.deep.equal(EXPECTED);
      expect(emfMetrics(`2026-12-01T00:00:00.000Z\t989ffbf8\tINFO\t${JSON.stringify(DOC)}`)).to.deep.equal(EXPECTED);
      expect(emfMetrics(JSON.stringify({ timestamp: 'x', level: 'INFO', requestId: 'r', message: DOC }))).to.deep.equal(EXPECTED);
      expect(emfMetrics(JSON.stringify({ timestamp: 'x', level: 'INFO', requestId: 'r', message: JSON.stringify(DOC) }))).to.deep.equal(EXPECTED);
    });

    it('takes arrays of values and leaves out metrics without a numeric value', () => {
      const doc = { ...DOC, _aws: { ...DOC._aws, CloudWatchMetrics: [{ Namespace: 'n', Metrics: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }] }] }, a: [1, 2, 'x'], b: 'text' };
      expect(emfMetrics(JSON.stringify(doc))).to.deep.equal([{ namespace: 'n', name: 'a', dimensions: {}, values: [1, 2] }]);
    });

    for (const [what, line] of [
      ['a plain log line', '2026-12-01T00:00:00.000Z\tr\tINFO\thello'],
      ['broken JSON that mentions CloudWatchMetrics', '{"_aws": {"CloudWatchMetrics": ['],
      ['JSON without _aws', '{"CloudWatchMetrics": []}'],
      ['an _aws that is not EMF', '{"_aws": {"CloudWatchMetrics": "no"}}'],
    ]) {
      it(`is undefined for ${what}`, () => expect(emfMetrics(line!)).to.equal(undefined));
    }
  });
});

describe('cli/local/metrics-summary', () => {
  it('sums counts and gives p50/p99/max of times per metric and dimensions, then starts a new window', () => {
    const agg = new EmfAggregator();
    const d = { Route: 'GET /items' };
    agg.add([{ namespace: 'Api', name: 'Requests', unit: 'Count', dimensions: d, values: [1, 1] }]);
    agg.add([{ namespace: 'Api', name: 'Latency', unit: 'Milliseconds', dimensions: d, values: Array.from({ length: 100 }, (_, i) => i + 1) }]);
    agg.add([{ namespace: 'Api', name: 'Requests', unit: 'Count', dimensions: { Route: 'POST /items' }, values: [1] }]);
    expect(agg.take().map(formatSummaryLine)).to.deep.equal([
      'Api Latency {Route=GET /items}: p50 50 ms, p99 99 ms, max 100 ms (100 values)',
      'Api Requests {Route=GET /items}: 2 (2 values)',
      'Api Requests {Route=POST /items}: 1 (1 value)',
    ]);
    expect(agg.take()).to.deep.equal([]);
  });
});

describe('cli/local/access-line', () => {
  const request = { method: 'GET', rawUrl: '/prod/items/1', trace: 'Root=1-5f2a0000-0123456789abcdef01234567' };
  it('shows the split and the trace id when the function ran', () => {
    expect(formatAccessLine(request, 200, 12.34, { functionMs: 10.04, dynamodb: { calls: 2, ms: 6.5 } }, plain)).to.equal(
      'GET /prod/items/1 200 12.3 ms [gateway 2.3 | function 10.0 | DynamoDB 6.5 (2 calls)] trace 1-5f2a0000-0123456789abcdef01234567',
    );
    expect(formatAccessLine(request, 200, 3, { functionMs: 2, dynamodb: { calls: 0, ms: 0 } }, plain)).to.equal('GET /prod/items/1 200 3.0 ms [gateway 1.0 | function 2.0] trace 1-5f2a0000-0123456789abcdef01234567');
  });
  it('shows only the total and the trace id when API Gateway answered alone', () => {
    expect(formatAccessLine(request, 403, 0.4, undefined, plain)).to.equal('GET /prod/items/1 403 0.4 ms trace 1-5f2a0000-0123456789abcdef01234567');
  });
});

describe('cli/local/dynamodb-timer', () => {
  describe('unionMs', () => {
    it('counts overlapping calls once, and an open call up to now', () => {
      expect(unionMs([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 20, end: 25 }], 100)).to.equal(20);
      expect(unionMs([{ start: 30 }, { start: 0, end: 1 }], 40)).to.equal(11);
      expect(unionMs([], 5)).to.equal(0);
    });
  });
});
