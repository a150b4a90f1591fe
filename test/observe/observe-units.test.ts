/** The pure parts of cli metrics / traces / status: period choice, --since, trace trees, alarm order, sparklines. */
import { expect } from 'chai';
import { UsageError } from '../../cli/errors.js';
import { orderAlarms } from '../../cli/observe/alarms.js';
import { choosePeriod, metricsWindow } from '../../cli/observe/metrics.js';
import { dashboardUrl } from '../../cli/observe/monitored-stack.js';
import { checkTraceId, pickTraces, traceView } from '../../cli/observe/traces.js';
import { sparkline } from '../../cli/ui/sparkline.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

describe('cli/observe', () => {
  describe('choosePeriod', () => {
    // GetMetricData: 1-minute points for 15 days, 5-minute for 63, then hourly
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
    const cases: [string, number, number, number][] = [
      ['15 minutes', 15 * MIN, 15 * MIN, 60],
      ['1 hour', 60 * MIN, 60 * MIN, 60],
      ['2 hours', 120 * MIN, 120 * MIN, 300],
      ['1 day', DAY, DAY, 3_600],
      ['7 days', 7 * DAY, 7 * DAY, 21_600],
      ['20 days (older than 15 days: at least 5 minutes)', 10 * MIN, 20 * DAY, 300],
      ['100 days ago (older than 63 days: at least an hour)', 10 * MIN, 100 * DAY, 3_600],
      ['a year', 365 * DAY, 365 * DAY, 86_400],
    ];
    for (const [name, span, age, period] of cases) it(`picks ${period} s for ${name}`, () => expect(choosePeriod(span, age)).to.equal(period));
  });

  describe('metricsWindow', () => {
    it('takes a duration or a date in the past', () => {
      expect(metricsWindow('1h', NOW)).to.deep.equal({ start: NOW - 60 * MIN, end: NOW });
      expect(metricsWindow('2026-11-30T00:00:00Z', NOW).start).to.equal(Date.parse('2026-11-30T00:00:00Z'));
    });
    for (const [since, message] of [
      ['soon', 'expected a duration like 30s, 10m, 2h, 1d, or an ISO date'],
      ['2027-01-01T00:00:00Z', 'is not in the past'],
      ['0s', 'is not in the past'],
      ['456d', 'older than CloudWatch keeps metrics (455 days)'],
      ['99999999999999999999d', 'older than CloudWatch keeps metrics'],
    ]) {
      it(`refuses ${since}`, () => {
        expect(() => metricsWindow(since!, NOW)).to.throw(UsageError, message!);
      });
    }
  });

  describe('checkTraceId', () => {
    it('accepts an X-Ray trace id (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids)', () => {
      expect(checkTraceId(' 1-58406520-a006649127e371903a2de979 ')).to.equal('1-58406520-a006649127e371903a2de979');
    });
    for (const bad of ['', 'Root=1-58406520-a006649127e371903a2de979', '1-5840652-a006649127e371903a2de979', '2-58406520-a006649127e371903a2de979', 'x'.repeat(10_000)]) {
      it(`refuses ${JSON.stringify(bad.slice(0, 40))}`, () => expect(() => checkTraceId(bad)).to.throw(UsageError, 'is not an X-Ray trace id'));
    }
  });

  describe('pickTraces', () => {
    const s = (id: string, durationSeconds: number, flags: { hasFault?: boolean; hasError?: boolean; hasThrottle?: boolean } = {}) => ({ id, durationSeconds, hasError: false, hasFault: false, hasThrottle: false, ...flags });
    it('takes the slowest, and the newest failed (fault, error or throttle), each up to the limit, once per id', () => {
      const all = [s('1-00000001-a', 0.1), s('1-00000002-b', 0.9), s('1-00000003-c', 0.5, { hasFault: true }), s('1-00000004-d', 0.2, { hasThrottle: true }), s('1-00000005-e', 0.3, { hasError: true }), s('1-00000002-b', 0.9)];
      const { slowest, failed } = pickTraces(all, 2);
      expect(slowest.map((t) => t.id)).to.deep.equal(['1-00000002-b', '1-00000003-c']);
      expect(failed.map((t) => t.id)).to.deep.equal(['1-00000005-e', '1-00000004-d']);
    });
  });

  describe('traceView', () => {
    it('nests segments under the subsegment that called them, siblings by start, offsets from the trace start', () => {
      const view = traceView({
        id: 't',
        segments: [
          { id: 'fn', name: 'fn', parent_id: 'call', start_time: 100.01, end_time: 100.09, origin: 'AWS::Lambda::Function', subsegments: [{ id: 'q2', name: 'DynamoDB', start_time: 100.05, end_time: 100.06, namespace: 'aws', aws: { operation: 'PutItem' }, error: true }, { id: 'q1', name: 'DynamoDB', start_time: 100.02, end_time: 100.04, namespace: 'aws', aws: { operation: 'GetItem' } }] },
          { id: 'api', name: 'api/prod', start_time: 100, end_time: 100.1, http: { request: { method: 'PUT', url: 'https://x/prod/items/1' }, response: { status: 400 } }, subsegments: [{ id: 'call', name: 'Lambda', start_time: 100.005, end_time: 100.095 }] },
          'not a document',
          { name: 'no id' },
        ],
      });
      expect(view).to.deep.include({ id: 't', durationMs: 100, method: 'PUT', url: 'https://x/prod/items/1', status: 400, failure: 'error' });
      expect(view.spans.map((s) => [s.depth, s.name, s.kind ?? '', s.offsetMs, s.durationMs])).to.deep.equal([
        [0, 'api/prod', '', 0, 100],
        [1, 'Lambda', '', 5, 90],
        [2, 'fn', 'AWS::Lambda::Function', 10, 80],
        [3, 'DynamoDB', 'aws GetItem', 20, 20],
        [3, 'DynamoDB', 'aws PutItem', 50, 10],
      ]);
    });

    it('survives a parent cycle and a trace without documents', () => {
      const view = traceView({ id: 'c', segments: [{ id: 'a', name: 'a', parent_id: 'b', start_time: 1, end_time: 2 }, { id: 'b', name: 'b', parent_id: 'a', start_time: 1.5, end_time: 2 }] });
      expect(view.spans).to.deep.equal([]);
      expect(traceView({ id: 'e', segments: [] })).to.deep.equal({ id: 'e', spans: [] });
    });
  });

  describe('orderAlarms', () => {
    it('puts ALARM first, then INSUFFICIENT_DATA, then OK, by name', () => {
      const a = (name: string, state: string) => ({ name, state, type: 'MetricAlarm' as const });
      expect(orderAlarms([a('b', 'OK'), a('z', 'ALARM'), a('c', 'INSUFFICIENT_DATA'), a('a', 'OK'), a('y', 'ALARM')]).map((x) => x.name)).to.deep.equal(['y', 'z', 'c', 'a', 'b']);
    });
  });

  describe('dashboardUrl', () => {
    it('is the console page of the dashboard in its region and partition', () => {
      expect(dashboardUrl('eu-west-1', 'my stack')).to.equal('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/my%20stack');
      expect(dashboardUrl('cn-north-1', 'd')).to.equal('https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards/dashboard/d');
    });
  });
});

describe('cli/ui/sparkline', () => {
  it('scales from zero to the largest value; a gap is a space', () => {
    expect(sparkline([0, 1, 2, 4, 8, null, 8])).to.equal('▁▁▂▄█ █');
    expect(sparkline([0, 0, null])).to.equal('▁▁ ');
    expect(sparkline([])).to.equal('');
  });

  it("with floor 'min', scales from the smallest value, so a latency's movement shows", () => {
    expect(sparkline([40, 41, 42, 48, null], { floor: 'min' })).to.equal('▁▁▂█ ');
    expect(sparkline([40, 40], { floor: 'min' })).to.equal('▁▁');
  });
});
