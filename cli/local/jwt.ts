/**
 * RS256 JSON Web Tokens with node:crypto only, as Cognito issues them (a JWS in compact form,
 * header {kid, alg: RS256}) and as API Gateway's Cognito authorizer verifies them: against the
 * issuer's JWKS, RS256 only. No JWT library: signing and checking one algorithm is a few lines,
 * and refusing every other `alg` (`none`, HS256 with the public key as secret) is the point.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
import { createPublicKey, createSign, createVerify, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  kid?: unknown;
  alg?: unknown;
  [name: string]: unknown;
}

export type JwtClaims = Record<string, unknown>;

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `header.payload.signature`, signed with `key` (an RSA private key) as RS256. */
export function signJwt(claims: JwtClaims, key: KeyObject, kid: string): string {
  const input = `${encode({ kid, alg: 'RS256' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

/** The public half of `key` as a JWKS entry (what `/.well-known/jwks.json` lists). */
export function publicJwk(key: KeyObject, kid: string): JsonWebKey {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return { alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export type JwtCheck =
  | { ok: true; header: JwtHeader; claims: JwtClaims }
  | { ok: false; problem: string };

/**
 * The token's header and claims when it is a JWS signed as RS256 by the key of its `kid` in
 * `keys`; otherwise why not. Claims (exp, iss, ...) are the caller's to check. Linear in the
 * token's length.
 */
export function verifyJwt(token: string, keys: ReadonlyMap<string, KeyObject>): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: `not a JWT (${parts.length} dot-separated parts, a JWT has 3)` };
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h);
  if (!header) return { ok: false, problem: 'the JWT header is not base64url-encoded JSON' };
  if (header.alg !== 'RS256') return { ok: false, problem: `alg ${JSON.stringify(header.alg)}: only RS256 is accepted` };
  const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
  if (!key) return { ok: false, problem: `kid ${JSON.stringify(header.kid)} is not a key of the issuer's JWKS` };
  if (!BASE64URL.test(s)) return { ok: false, problem: 'the signature is not base64url' };
  const valid = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'));
  if (!valid) return { ok: false, problem: 'the signature does not verify against the key of its kid' };
  const claims = decodePart(p);
  if (!claims) return { ok: false, problem: 'the JWT payload is not base64url-encoded JSON' };
  return { ok: true, header, claims };
}
