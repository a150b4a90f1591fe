/**
 * What AWS said, turned into something a user can act on. The SDK's own retry already handles
 * transient failures; these helpers classify what is left.
 */
import { CliError } from '../errors.js';

interface AwsLikeError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
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

/**
 * An AWS call's failure as the user should see it: credential and permission problems as
 * credentialError says; any other error that came back from AWS (a service error code, or a
 * response the SDK could not read) as a one-line CliError naming it, because it is not a bug in
 * the CLI. Anything else (a CliError, a bug) is returned unchanged.
 */
export function awsFailure(err: unknown, context: CredentialContext = {}): unknown {
  const credential = credentialError(err, context);
  if (credential) return credential;
  if (typeof err !== 'object' || err === null || !('$metadata' in err || '$response' in err)) return err;
  const status = (err as AwsLikeError).$metadata?.httpStatusCode;
  const [first, ...rest] = messageOf(err).split('\n');
  if (rest.some((line) => /Deserialization error/.test(line))) {
    return new CliError(`AWS sent a response the SDK could not read${status ? ` (HTTP ${status})` : ''}: ${first}`, {
      cause: err,
      details: ['If AWS_ENDPOINT_URL points at an emulator, it failed on this request (see its log).'],
    });
  }
  return new CliError(`AWS refused the request: ${awsErrorName(err) || 'error'}${status ? ` (HTTP ${status})` : ''}: ${first}`, { cause: err });
}
