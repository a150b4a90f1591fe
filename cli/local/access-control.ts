/**
 * Who may call, and how often: the checks API Gateway makes on a routed request before it
 * invokes the integration, in its order. IAM authentication (SigV4, for `AWS_IAM` methods), the
 * API key, then the limits, applied "in the following order: per-client or per-method limits of
 * a usage plan, per-method limits of the stage, account-level, Regional"
 * (https://repost.aws/knowledge-center/api-gateway-429-limit): the key's usage-plan throttle and
 * quota, then the stage's token bucket. The account and Regional limits (10,000 requests per
 * second) are not emulated. The clock is injected, so tests drive the buckets without timing.
 */
import type { Refusal } from './explanations.js';
import { LOCAL_CALLER, LOCAL_USER_ID, localUserArn } from './local-caller.js';
import { verifySigV4, type SigV4Principal, type SigV4Request } from './sigv4-verifier.js';
import type { LocalApi, LocalRoute, LocalStage } from './stack-model.js';
import { QuotaCounter, TokenBucket } from './throttle.js';

export interface AccessControlOptions {
  api: LocalApi;
  region: string;
  partition: string;
  accountId: string;
  /** Emulate stage and usage-plan throttling (default true; `cli dev --no-throttle` turns it off). */
  throttle?: boolean;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

/** What the proxy event's `requestContext.identity` says about a request let through. */
export interface CallerIdentity {
  iam?: SigV4Principal & { accessKey: string };
  apiKey?: { value: string; id: string };
}

export type AccessDecision = { kind: 'allowed'; identity: CallerIdentity } | Refusal;

export interface AccessControl {
  check(route: LocalRoute, stage: LocalStage, request: SigV4Request, apiKeyHeader: string | string[] | undefined): AccessDecision;
}

export function createAccessControl(options: AccessControlOptions): AccessControl {
  const { api } = options;
  const now = options.now ?? Date.now;
  const throttling = options.throttle ?? true;
  const keys = new Map(api.apiKeys.map((k) => [k.value, k]));
  const principal: SigV4Principal = {
    accountId: options.accountId,
    caller: LOCAL_USER_ID,
    user: LOCAL_USER_ID,
    userArn: localUserArn(options.partition, options.accountId),
  };
  const lookup = (accessKeyId: string) => (accessKeyId === LOCAL_CALLER.accessKeyId ? { ...LOCAL_CALLER, principal } : undefined);
  const started = now();
  const stageBuckets = new Map<string, TokenBucket>();
  for (const stage of api.stages) if (stage.throttle) stageBuckets.set(stage.name, new TokenBucket(stage.throttle, started));
  /** Per (plan, stage, key): a key's limits apply to each stage of its plan separately, as AWS counts them. */
  const keyLimits = new Map<string, { bucket?: TokenBucket; quota?: QuotaCounter; plan: string }[]>();
  for (const plan of api.usagePlans) {
    for (const keyId of plan.keyIds) {
      for (const stage of plan.stages) {
        const at = `${keyId}\0${stage}`;
        const list = keyLimits.get(at) ?? [];
        list.push({
          plan: plan.logicalId,
          ...(plan.throttle ? { bucket: new TokenBucket(plan.throttle, started) } : {}),
          ...(plan.quota ? { quota: new QuotaCounter(plan.quota) } : {}),
        });
        keyLimits.set(at, list);
      }
    }
  }

  return {
    check(route, stage, request, apiKeyHeader) {
      const identity: CallerIdentity = {};
      const t = now();
      if (route.authorizationType === 'AWS_IAM') {
        const verdict = verifySigV4(request, { region: options.region, service: 'execute-api', now: t, lookup });
        if (!verdict.ok) return { kind: 'iam-refused', verdict, region: options.region };
        identity.iam = { ...verdict.principal, accessKey: verdict.accessKeyId };
      }
      if (route.apiKeyRequired) {
        const key = typeof apiKeyHeader === 'string' ? keys.get(apiKeyHeader) : undefined;
        if (!key) return { kind: 'no-api-key', header: apiKeyHeader === undefined ? 'missing' : 'unknown', keyToSend: api.apiKeys[0]?.value };
        identity.apiKey = { value: key.value, id: key.id };
        for (const limit of keyLimits.get(`${key.id}\0${stage.name}`) ?? []) {
          if (throttling && limit.bucket && !limit.bucket.take(t)) return { kind: 'throttled', scope: `usage plan ${limit.plan} (API key ${key.id})`, settings: limit.bucket.settings };
          // A quota counts every request the key makes, throttling or not: it is a billing limit.
          if (limit.quota && !limit.quota.take(t)) return { kind: 'quota-exceeded', plan: limit.plan, keyId: key.id, settings: limit.quota.settings };
        }
      }
      const bucket = throttling ? stageBuckets.get(stage.name) : undefined;
      if (bucket && !bucket.take(t)) return { kind: 'throttled', scope: `stage ${stage.name}`, settings: bucket.settings };
      return { kind: 'allowed', identity };
    },
  };
}
