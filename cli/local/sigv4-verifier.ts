/**
 * Signature Version 4 verification, as API Gateway does it for a method with
 * `AuthorizationType: AWS_IAM`: the request's signature (Authorization header, or the
 * X-Amz-* query parameters of a presigned URL) is recomputed from the request and the secret of
 * the access key it names, and compared. Pure: the clock and the known keys are arguments.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-authentication-methods.html
 *
 * Each refusal carries API Gateway's message and x-amzn-ErrorType, as listed by
 * https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden (and, for the
 * exact wording of the mismatch and expiry texts, answers of execute-api recorded in public
 * reports: see test/local/sigv4-verifier.test.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** How far a request's X-Amz-Date may be from the server's clock (API Gateway: 5 minutes). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The longest a presigned URL may live (X-Amz-Expires), as in every AWS service: 7 days. */
const MAX_EXPIRES_SECONDS = 604_800;

export interface SigV4Request {
  method: string;
  /** Path and query exactly as received (percent-encoding as the client sent it). */
  rawUrl: string;
  /** Node's rawHeaders: [name, value, name, value, ...], repeated names included. */
  rawHeaders: readonly string[];
  body: Buffer;
}

/** An access key the verifier knows, and the principal it belongs to. */
export interface KnownCredential {
  accessKeyId: string;
  secretAccessKey: string;
  principal: SigV4Principal;
}

/** What `requestContext.identity` says about an IAM caller. */
export interface SigV4Principal {
  accountId: string;
  /** The principal id: an IAM user's `AIDA...` id, or `AROA...:<session>` for an assumed role. */
  caller: string;
  user: string;
  userArn: string;
}

export interface VerifyOptions {
  region: string;
  /** `execute-api` for API Gateway. */
  service: string;
  /** Milliseconds since the epoch. */
  now: number;
  lookup(accessKeyId: string): KnownCredential | undefined;
}

export type SigV4Refusal =
  /** Not signed at all. */
  | 'missing'
  /** An Authorization header or X-Amz-* parameters that are not a whole SigV4 signature. */
  | 'incomplete'
  /** Scope, date or algorithm wrong: the signature cannot be right. */
  | 'invalid'
  | 'unknown-key'
  | 'mismatch'
  | 'expired';

export type SigV4Verdict =
  | { ok: true; accessKeyId: string; principal: SigV4Principal }
  | {
      ok: false;
      refusal: SigV4Refusal;
      /** API Gateway's `message`. */
      message: string;
      /** API Gateway's x-amzn-ErrorType. */
      errorType: string;
      /** For a mismatch: what the client should compare its own with. */
      canonicalRequest?: string;
      stringToSign?: string;
    };

interface Signature {
  form: 'header' | 'query';
  accessKeyId: string;
  date: string;
  scope: { date: string; region: string; service: string; terminator: string };
  signedHeaders: string[];
  signature: string;
  /** Presigned URLs only. */
  expiresSeconds?: number;
  securityToken?: string;
}

const refuse = (refusal: SigV4Refusal, message: string, errorType: string): SigV4Verdict => ({ ok: false, refusal, message, errorType });

/** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 wants it. */
export function uriEncode(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical URI of a service other than S3: the path as sent, with `.` and `..` segments
 * and empty segments removed, URI-encoded once more (the "double encoding" every SDK applies).
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized, true);
}

/** Parameters sorted by encoded name, then value; `X-Amz-Signature` left out. */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (name === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(name), uriEncode(decode(eq < 0 ? '' : part.slice(eq + 1)))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Lower-case name -> values joined by commas, each trimmed with inner runs of spaces collapsed. */
function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim().replace(/ +/g, ' ');
    const had = map.get(name);
    map.set(name, had === undefined ? value : `${had},${value}`);
  }
  return map;
}

function queryParameters(rawQuery: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(decode(part.slice(0, eq)), decode(part.slice(eq + 1)));
  }
  return map;
}

/** `20150830T123600Z` -> epoch ms, or NaN. */
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

export function formatAmzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseCredential(value: string): Pick<Signature, 'accessKeyId' | 'scope'> | undefined {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[0] === '') return undefined;
  return { accessKeyId: parts[0]!, scope: { date: parts[1]!, region: parts[2]!, service: parts[3]!, terminator: parts[4]! } };
}

/**
 * The signature the request carries, or API Gateway's answer when it carries none or half of one.
 * AWS lists every missing part of an Authorization header in one message, ending with the header.
 */
function readSignature(headers: Map<string, string>, query: Map<string, string>): Signature | SigV4Verdict {
  const authorization = headers.get('authorization');
  if (authorization !== undefined) {
    const algorithm = authorization.split(' ', 1)[0]!;
    const fields = new Map<string, string>();
    for (const part of authorization.slice(algorithm.length).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const date = headers.get('x-amz-date') ?? headers.get('date');
    const problems = [
      ...(fields.has('Credential') ? [] : ["Authorization header requires 'Credential' parameter."]),
      ...(fields.has('Signature') ? [] : ["Authorization header requires 'Signature' parameter."]),
      ...(fields.has('SignedHeaders') ? [] : ["Authorization header requires 'SignedHeaders' parameter."]),
      ...(date !== undefined ? [] : ["Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."]),
    ];
    if (problems.length > 0 || algorithm !== SIGV4_ALGORITHM) {
      return refuse('incomplete', `${problems.join(' ')}${problems.length > 0 ? ' ' : ''}Authorization=${authorization}`, 'IncompleteSignatureException');
    }
    const credential = parseCredential(fields.get('Credential')!);
    if (!credential) return refuse('incomplete', `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${fields.get('Credential')}'`, 'IncompleteSignatureException');
    const token = headers.get('x-amz-security-token');
    return {
      form: 'header',
      ...credential,
      date: date!,
      signedHeaders: fields.get('SignedHeaders')!.split(';'),
      signature: fields.get('Signature')!,
      ...(token !== undefined ? { securityToken: token } : {}),
    };
  }
  if (query.has('X-Amz-Algorithm') || query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) {
    const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
    const absent = required.filter((name) => !query.has(name));
    if (absent.length > 0 || query.get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) {
      return refuse('incomplete', `AWS query-string parameters must include ${required.map((n) => `'${n}'`).join(', ')}. Re-examine the query-string parameters.`, 'IncompleteSignatureException');
    }
    const credential = parseCredential(query.get('X-Amz-Credential')!);
    if (!credential) return refuse('incomplete', `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${query.get('X-Amz-Credential')}'`, 'IncompleteSignatureException');
    const expires = query.has('X-Amz-Expires') ? Number(query.get('X-Amz-Expires')) : MAX_EXPIRES_SECONDS;
    const token = query.get('X-Amz-Security-Token');
    return {
      form: 'query',
      ...credential,
      date: query.get('X-Amz-Date')!,
      signedHeaders: query.get('X-Amz-SignedHeaders')!.split(';'),
      signature: query.get('X-Amz-Signature')!,
      expiresSeconds: expires,
      ...(token !== undefined ? { securityToken: token } : {}),
    };
  }
  return refuse('missing', 'Missing Authentication Token', 'MissingAuthenticationTokenException');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The signing key for a date, region and service (the four-step HMAC chain). */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** The canonical request of `request` for the headers it signed (the payload hashed as received). */
export function canonicalRequest(request: SigV4Request, signedHeaders: readonly string[], headers = headerMap(request.rawHeaders)): string {
  const q = request.rawUrl.indexOf('?');
  const rawPath = q < 0 ? request.rawUrl : request.rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : request.rawUrl.slice(q + 1);
  const headerLines = signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join('');
  return [request.method, canonicalUri(rawPath), canonicalQuery(rawQuery), headerLines, signedHeaders.join(';'), sha256Hex(request.body)].join('\n');
}

export function stringToSign(date: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${date}\n${scope}\n${sha256Hex(canonical)}`;
}

/** API Gateway's answer to a signature that does not match, with the two strings it computed. */
export function mismatchMessage(canonical: string, toSign: string): string {
  return (
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
    `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`
  );
}

/** Whether `request` is signed by a known key for `options.region`/`options.service`, and by whom. */
export function verifySigV4(request: SigV4Request, options: VerifyOptions): SigV4Verdict {
  const q = request.rawUrl.indexOf('?');
  const headers = headerMap(request.rawHeaders);
  const query = queryParameters(q < 0 ? '' : request.rawUrl.slice(q + 1));
  const signature = readSignature(headers, query);
  if ('ok' in signature) return signature;

  const { scope } = signature;
  if (scope.terminator !== 'aws4_request') return refuse('invalid', `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `, 'InvalidSignatureException');
  if (scope.region !== options.region) return refuse('invalid', `Credential should be scoped to a valid region, not '${scope.region}'. `, 'InvalidSignatureException');
  if (scope.service !== options.service) return refuse('invalid', `Credential should be scoped to correct service: '${options.service}'. `, 'InvalidSignatureException');

  const signedAt = parseAmzDate(signature.date);
  if (Number.isNaN(signedAt)) {
    return refuse('incomplete', `Date must be in ISO-8601 'basic format'. Got '${signature.date}'. See http://en.wikipedia.org/wiki/ISO_8601`, 'IncompleteSignatureException');
  }
  if (signature.date.slice(0, 8) !== scope.date) {
    return refuse('invalid', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${signature.date.slice(0, 8)}', from '${signature.date}'.`, 'InvalidSignatureException');
  }
  // The clock check: "Signature expired: <signed> is now earlier than <now - 5 min> (<now> - 5 min.)".
  const now = Math.floor(options.now / 1000) * 1000;
  const lifetime = signature.form === 'query' ? Math.max(MAX_CLOCK_SKEW_MS, (signature.expiresSeconds ?? 0) * 1000) : MAX_CLOCK_SKEW_MS;
  if (signature.form === 'query' && !(Number.isInteger(signature.expiresSeconds) && signature.expiresSeconds! >= 1 && signature.expiresSeconds! <= MAX_EXPIRES_SECONDS)) {
    return refuse('incomplete', `X-Amz-Expires must be an integer from 1 to ${MAX_EXPIRES_SECONDS} (7 days), got '${query.get('X-Amz-Expires')}'`, 'IncompleteSignatureException');
  }
  if (signedAt < now - lifetime) {
    return refuse('expired', `Signature expired: ${signature.date} is now earlier than ${formatAmzDate(now - lifetime)} (${formatAmzDate(now)} - ${lifetime / 60_000} min.)`, 'InvalidSignatureException');
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    return refuse('expired', `Signature not yet current: ${signature.date} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`, 'InvalidSignatureException');
  }

  const known = options.lookup(signature.accessKeyId);
  // Temporary credentials come with a session token; the local keys are long-term ones, so a
  // token (the caller signing with someone else's session) is as unknown as an unknown key.
  if (!known || signature.securityToken !== undefined) {
    return refuse('unknown-key', 'The security token included in the request is invalid.', 'AccessDeniedException');
  }
  if (!signature.signedHeaders.includes('host')) {
    return refuse('incomplete', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", 'IncompleteSignatureException');
  }
  const canonical = canonicalRequest(request, signature.signedHeaders, headers);
  const scopeText = `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
  const toSign = stringToSign(signature.date, scopeText, canonical);
  const expected = hmac(signingKey(known.secretAccessKey, scope.date, scope.region, scope.service), toSign);
  const given = /^[0-9a-f]{64}$/.test(signature.signature) ? Buffer.from(signature.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, refusal: 'mismatch', message: mismatchMessage(canonical, toSign), errorType: 'InvalidSignatureException', canonicalRequest: canonical, stringToSign: toSign };
  }
  return { ok: true, accessKeyId: known.accessKeyId, principal: known.principal };
}
