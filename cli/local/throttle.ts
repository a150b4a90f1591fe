/**
 * API Gateway's abuse limits, locally: token buckets (a stage's ThrottlingRateLimit and
 * ThrottlingBurstLimit, a usage plan's Throttle per API key) and usage-plan quotas (requests per
 * DAY, WEEK or MONTH per key). Pure: the clock is an argument.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
 */

export interface ThrottleSettings {
  /** Requests per second refilled. */
  rateLimit: number;
  /** Bucket capacity: requests allowed at once. */
  burstLimit: number;
}

export interface QuotaSettings {
  limit: number;
  period: 'DAY' | 'WEEK' | 'MONTH';
  /** Days into the period at which it starts (WEEK: 0 is Sunday; MONTH: 0 is the 1st). */
  offset: number;
}

/**
 * A bucket of `burstLimit` tokens, full at the start, refilled at `rateLimit` per second; a
 * request takes one, or is throttled when none is left ("token bucket algorithm", per the
 * throttling page above).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly settings: ThrottleSettings,
    now: number,
  ) {
    this.tokens = settings.burstLimit;
    this.last = now;
  }

  take(now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.settings.burstLimit, this.tokens + ((now - this.last) / 1000) * this.settings.rateLimit);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const DAY_MS = 86_400_000;

/** Start (epoch ms, UTC) of the quota period `now` falls in. */
export function quotaPeriodStart(quota: Pick<QuotaSettings, 'period' | 'offset'>, now: number): number {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  switch (quota.period) {
    case 'DAY':
      return midnight;
    case 'WEEK': {
      const back = (d.getUTCDay() - quota.offset + 7) % 7;
      return midnight - back * DAY_MS;
    }
    case 'MONTH': {
      const thisMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1 + quota.offset);
      return thisMonth <= now ? thisMonth : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1 + quota.offset);
    }
  }
}

/** Requests counted against a quota within its current period. */
export class QuotaCounter {
  private periodStart = -Infinity;
  private used = 0;

  constructor(readonly settings: QuotaSettings) {}

  /** Counts one request, or answers false when the period's quota is spent. */
  take(now: number): boolean {
    const start = quotaPeriodStart(this.settings, now);
    if (start !== this.periodStart) {
      this.periodStart = start;
      this.used = 0;
    }
    if (this.used >= this.settings.limit) return false;
    this.used++;
    return true;
  }

  remaining(now: number): number {
    return quotaPeriodStart(this.settings, now) === this.periodStart ? this.settings.limit - this.used : this.settings.limit;
  }
}
