/**
 * cli/local/throttle.ts: the token bucket and quota counter, with explicit times (no clock).
 * API Gateway throttles with a token bucket of `burst` tokens refilled at `rate` per second
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html);
 * a usage plan's quota counts requests per DAY, WEEK or MONTH from an Offset
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html: "For example, for
 * the WEEK period, an offset of 0 means Sunday, and an offset of 1 means Monday").
 */
import { expect } from 'chai';
import { QuotaCounter, quotaPeriodStart, TokenBucket } from '../../cli/local/throttle.js';

describe('cli/local/throttle', () => {
  describe('TokenBucket', () => {
    it('allows the burst at once, then one request per 1/rate seconds', () => {
      const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, 0);
      expect([1, 2, 3, 4].map(() => bucket.take(0))).to.deep.equal([true, true, true, false]);
      expect(bucket.take(499)).to.equal(false);
      expect(bucket.take(500)).to.equal(true);
      expect(bucket.take(500)).to.equal(false);
    });

    it('refills no further than the burst', () => {
      const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 }, 0);
      bucket.take(0);
      expect([1, 2, 3].map(() => bucket.take(60_000))).to.deep.equal([true, true, false]);
    });

    it('takes a clock going backwards as no time passed', () => {
      const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 1 }, 10_000);
      expect(bucket.take(10_000)).to.equal(true);
      expect(bucket.take(5_000)).to.equal(false);
    });
  });

  describe('quotaPeriodStart', () => {
    const wed = Date.UTC(2026, 0, 7, 15, 30); // Wednesday 7 January 2026
    const cases: [string, Parameters<typeof quotaPeriodStart>[0], number][] = [
      ['DAY: midnight UTC', { period: 'DAY', offset: 0 }, Date.UTC(2026, 0, 7)],
      ['WEEK, offset 0: the Sunday before', { period: 'WEEK', offset: 0 }, Date.UTC(2026, 0, 4)],
      ['WEEK, offset 1: the Monday before', { period: 'WEEK', offset: 1 }, Date.UTC(2026, 0, 5)],
      ['WEEK, offset 3: this Wednesday', { period: 'WEEK', offset: 3 }, Date.UTC(2026, 0, 7)],
      ['MONTH, offset 0: the 1st', { period: 'MONTH', offset: 0 }, Date.UTC(2026, 0, 1)],
      ['MONTH, offset 9: the 10th of the month before', { period: 'MONTH', offset: 9 }, Date.UTC(2025, 11, 10)],
    ];
    for (const [name, quota, start] of cases) it(name, () => expect(new Date(quotaPeriodStart(quota, wed)).toISOString()).to.equal(new Date(start).toISOString()));
  });

  describe('QuotaCounter', () => {
    it('counts up to the limit per period and starts again with the next one', () => {
      const quota = new QuotaCounter({ limit: 2, period: 'DAY', offset: 0 });
      const day = Date.UTC(2026, 0, 1, 23);
      expect([quota.take(day), quota.take(day), quota.take(day)]).to.deep.equal([true, true, false]);
      expect(quota.remaining(day)).to.equal(0);
      expect(quota.take(Date.UTC(2026, 0, 2))).to.equal(true);
      expect(quota.remaining(Date.UTC(2026, 0, 2))).to.equal(1);
    });
  });
});
