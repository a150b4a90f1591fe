/**
 * What AWS said, turned into something a user can act on. The SDK's own retry already handles
 * transient failures; these helpers classify what is left.
 */
import { CliError } from '../errors.js';

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string>; body?: unknown };
  /** What the SDK could not parse (set by its JSON and XML parsers). */
  $responseBodyText?: string;
  /** Where the request went (set by keepErrorDetails). */
  $endpoint?: string;
  hostname?: string;
  address?: string;
  port?: number;
}

export function awsErrorName(err: unknown): string {
  const e = err as AwsLikeError | undefined;
  return (e && (e.name ?? e.Code)) ?? '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html (throttling codes). */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
]);

export function isThrottling(err: unknown): boolean {
  return THROTTLING.has(awsErrorName(err)) || (err as AwsLikeError)?.$metadata?.httpStatusCode === 429;
}

/** DescribeStacks on a missing stack: `ValidationError: Stack with id X does not exist`. */
export function isStackMissing(err: unknown): boolean {
  return awsErrorName(err) === 'ValidationError' && /does not exist/.test(messageOf(err));
}

/**
 * "Nothing to deploy", in both forms: a FAILED change set whose reason says so (AWS), or a
 * ValidationError from CreateChangeSet (what moto answers for an identical template).
 */
export function isNoChangesReason(reason: string | undefined): boolean {
  return reason !== undefined && /didn't contain changes|No updates are to be performed/i.test(reason);
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpired']);
const INVALID = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AuthFailure']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden']);

export interface CredentialContext {
  profile?: string;
  region?: string;
}

/**
 * Credential and permission failures as a CliError with what to do next; `undefined` for anything
 * else (the caller decides). Expired SSO sessions show up as a CredentialsProviderError or
 * TokenProviderError from the SDK's provider chain rather than an API error code.
 */
export function credentialError(err: unknown, context: CredentialContext = {}): CliError | undefined {
  const name = awsErrorName(err);
  const message = messageOf(err);
  const login = context.profile ? `aws sso login --profile ${context.profile}` : 'aws sso login';
  if (EXPIRED.has(name) || ((name === 'CredentialsProviderError' || name === 'TokenProviderError') && /expired|refresh/i.test(message))) {
    return new CliError(`AWS credentials have expired (${name}: ${message})`, {
      cause: err,
      details: [
        `For SSO profiles run \`${login}\`; otherwise refresh AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, then run the command again.`,
        'Nothing was changed by this command after the failure.',
      ],
    });
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    if (context.profile) {
      return new CliError(`No AWS credentials for profile ${context.profile} (${message})`, {
        cause: err,
        details: [
          `Check that the profile exists in ~/.aws/config or ~/.aws/credentials (aws configure list-profiles); for an SSO profile run \`${login}\`.`,
        ],
      });
    }
    return new CliError('No AWS credentials found', {
      cause: err,
      details: [
        'Set AWS_PROFILE (or pass --profile) for a profile in ~/.aws/config, run `aws configure sso`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
      ],
    });
  }
  if (INVALID.has(name)) {
    return new CliError(`AWS rejected the credentials (${name}: ${message})`, {
      cause: err,
      details: ['Check the access key, the profile (--profile / AWS_PROFILE) and that the system clock is right.'],
    });
  }
  if (DENIED.has(name)) {
    return new CliError(`Missing AWS permission: ${message}`, {
      cause: err,
      details: ['Grant the action named above to the identity shown in the banner (or use a profile that has it).'],
    });
  }
  return undefined;
}

/** Node's codes for a request that never got an answer. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);

/**
 * An AWS call's failure as the user should see it: credential and permission problems as
 * credentialError says; a request that got no answer as a network error naming the endpoint; an
 * answer the SDK could not read with its HTTP status and the message its body carries; any other
 * error from AWS (a service error code) as a one-line CliError naming it, because none is a bug
 * in the CLI. Anything else (a CliError, a bug) is returned unchanged.
 */
export function awsFailure(err: unknown, context: CredentialContext = {}): unknown {
  const credential = credentialError(err, context);
  if (credential) return credential;
  if (typeof err !== 'object' || err === null || !('$metadata' in err || '$response' in err)) return err;
  const e = err as AwsLikeError;
  const [first, ...rest] = messageOf(err).split('\n');
  if (e.code !== undefined && NETWORK.has(e.code) && e.$response === undefined) {
    const endpoint = e.$endpoint ?? (e.hostname ? e.hostname : e.address ? `${e.address}:${e.port}` : 'the AWS endpoint');
    return new CliError(`Network error: no answer from ${endpoint} (${first})`, {
      cause: err,
      details: [
        e.$endpoint !== undefined && !/amazonaws\.com/.test(e.$endpoint)
          ? 'AWS_ENDPOINT_URL (or the endpoint setting) points there: is that server running?'
          : 'Check the network connection, the proxy (HTTPS_PROXY) and the region (--region); then run the command again.',
      ],
    });
  }
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const from = `HTTP ${status ?? '?'}${e.$endpoint ? ` from ${e.$endpoint}` : ''}`;
  const unreadable = rest.some((line) => /Deserialization error/.test(line)) || (awsErrorName(err) === 'Unknown' && first === 'Unknown');
  if (unreadable) {
    const said = bodyMessage(e);
    return new CliError(`AWS sent a response the SDK could not read (${from}): ${said ?? first}`, {
      cause: err,
      details: [...(said !== undefined ? [`The SDK said: ${first}`] : []), 'If AWS_ENDPOINT_URL points at an emulator, it failed on this request (see its log).'],
    });
  }
  return new CliError(`AWS refused the request: ${awsErrorName(err) || 'error'}${status ? ` (HTTP ${status})` : ''}: ${first}`, { cause: err });
}

/** Runs a command's AWS work and throws its failure as awsFailure words it. */
export async function withAwsFailures<T>(context: CredentialContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw awsFailure(err, context);
  }
}

const MESSAGE_CHARS = 300;

/**
 * The reason an unreadable answer gives, from its body (kept by the SDK as `$responseBodyText`,
 * or by keepErrorDetails): a JSON `message`, an XML `<Message>`, else its text without markup,
 * shortened. Reads at most 8 KB of it, so the work is bounded whatever the body.
 */
export function bodyMessage(err: AwsLikeError): string | undefined {
  const body = err.$responseBodyText ?? err.$response?.body;
  const raw = typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : undefined;
  if (raw === undefined) return undefined;
  const text = raw.slice(0, 8_192);
  let said: string | undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const value = json.message ?? json.Message ?? json.errorMessage ?? json.__type;
    if (typeof value === 'string') said = value;
  } catch {
    said = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.replace(/<[^>]*>/g, ' ');
  }
  said = said?.replace(/\s+/g, ' ').trim();
  if (!said) return undefined;
  return said.length > MESSAGE_CHARS ? said.slice(0, MESSAGE_CHARS) + '...' : said;
}

/** The slice of a smithy client keepErrorDetails needs (every SDK v3 client has it). */
interface WithMiddleware {
  middlewareStack: {
    add(middleware: (next: (args: any) => Promise<any>) => (args: any) => Promise<any>, options: { step: 'deserialize'; name: string; priority: 'high' | 'low' }): void;
  };
}

/** An error body larger than this is cut (an emulator's HTML traceback; AWS's are far smaller). */
const ERROR_BODY_BYTES = 64 * 1024;

/**
 * What awsFailure needs and the SDK does not always keep: the endpoint a failed request went to
 * (`$endpoint` on the error; a network error names only an address), and an error answer's
 * body, read once here so it is still there after the SDK's parser consumed the stream.
 */
export function keepErrorDetails(client: WithMiddleware): void {
  client.middlewareStack.add(
    (next) => async (args: { request?: { protocol?: string; hostname?: string; port?: number } }) => {
      try {
        return await next(args);
      } catch (err) {
        const r = args.request;
        if (r?.hostname && typeof err === 'object' && err !== null && !('$endpoint' in err)) {
          Object.defineProperty(err, '$endpoint', { value: `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}`, enumerable: false });
        }
        throw err;
      }
    },
    { step: 'deserialize', name: 'cliErrorEndpoint', priority: 'high' },
  );
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = (await next(args)) as { response?: { statusCode?: number; body?: unknown } };
      const response = out.response;
      const body = response?.body as AsyncIterable<Uint8Array> | undefined;
      if (response && (response.statusCode ?? 200) >= 300 && body && typeof body[Symbol.asyncIterator] === 'function') {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of body) {
          if (size < ERROR_BODY_BYTES) chunks.push(Buffer.from(chunk));
          size += chunk.length;
        }
        response.body = new Uint8Array(Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES));
      }
      return out;
    },
    { step: 'deserialize', name: 'cliErrorBody', priority: 'low' },
  );
}
