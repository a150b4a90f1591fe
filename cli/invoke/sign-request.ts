/**
 * SigV4 signing of `cli invoke`'s requests for service `execute-api`, so methods with
 * `AuthorizationType: AWS_IAM` accept them: with the local credentials for a local stack, with
 * the caller's AWS credentials (the SDK's default chain, `--profile`) for a deployed one.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
import { Sha256 } from '../aws/sha256.js';
import { CliError } from '../errors.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestSigner {
  region: string;
  /** For messages: `the local credentials`, `AWS profile dev`. */
  source: string;
  /** Undefined: send unsigned (a --url whose API may not need IAM, with no credentials around). */
  credentials(): Promise<SigningCredentials | undefined>;
}

/**
 * The caller's credentials from the SDK's default chain (environment, SSO, profile, instance
 * role), resolved once. With `optional`, no credentials means unsigned requests and one warning.
 */
export function chainSigner(region: string, profile: string | undefined, optional?: { warn(text: string): void }): RequestSigner {
  let resolved: Promise<SigningCredentials | undefined> | undefined;
  return {
    region,
    source: profile ? `AWS profile ${profile}` : 'your AWS credentials',
    credentials() {
      resolved ??= (async () => {
        const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
        try {
          const c = await defaultProvider(profile ? { profile } : {})();
          return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
        } catch (err) {
          if (optional) {
            optional.warn(`sending unsigned requests: no AWS credentials to sign with (${(err as Error).message}); a method with AuthorizationType AWS_IAM answers 403 Missing Authentication Token`);
            return undefined;
          }
          throw new CliError(`cannot sign the request (the API may require AWS_IAM): no AWS credentials: ${(err as Error).message}`, {
            cause: err,
            details: ['Set AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; `aws sso login` for SSO profiles.'],
          });
        }
      })();
      return resolved;
    },
  };
}

/** The region of an `https://<id>.execute-api.<region>.amazonaws.com[.cn]/...` URL, if it is one. */
export function executeApiRegion(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(new URL(url).hostname)?.[1];
}

/** `headers` plus Host, X-Amz-Date, Authorization (and X-Amz-Security-Token for temporary credentials). */
export async function signRequest(
  request: { url: string; method: string; headers: Record<string, string>; body?: string },
  signer: RequestSigner,
  signingDate = new Date(),
): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const had = query[k];
    query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  const credentials = await signer.credentials();
  if (!credentials) return request.headers;
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const sigv4 = new SignatureV4({ credentials, region: signer.region, service: 'execute-api', sha256: Sha256, applyChecksum: false });
  const signed = await sigv4.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    { signingDate },
  );
  // fetch sets Host itself, from the URL: the same value.
  const { host: _host, ...headers } = signed.headers;
  return headers;
}
