/**
 * The local COGNITO_USER_POOLS authorizer: what API Gateway checks before a method with a Cognito
 * authorizer invokes its integration, as a pure function of the Authorization header. The token
 * must be a JWT signed (RS256) by a key of the pool's JWKS, issued by the pool (`iss`), not
 * expired (`exp`), and issued to an app client of the pool (`aud` of an ID token, `client_id` of an
 * access token). Without AuthorizationScopes on the method the token is treated as an ID token;
 * with them it must be an access token whose `scope` holds one of them.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
import type { KeyObject } from 'node:crypto';
import { verifyJwt, type JwtClaims } from './jwt.js';

export interface CognitoAuthorizerConfig {
  /** The pool's issuer URL: the `iss` its tokens carry. */
  issuer: string;
  /** The pool's signing keys by `kid` (its JWKS). */
  keys: ReadonlyMap<string, KeyObject>;
  /** App clients of the pool: an ID token's `aud` or an access token's `client_id` must be one. */
  clientIds: readonly string[];
  /** The method's AuthorizationScopes (empty: an ID token is wanted). */
  scopes: readonly string[];
}

export type CognitoDecision =
  | { ok: true; claims: Record<string, string> }
  /** 401: no token, or not one of the pool's valid tokens. 403: a valid access token without a scope of the method. */
  | { ok: false; status: 401 | 403; reason: string };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Wed Dec 02 00:10:00 UTC 2026`: how API Gateway renders a token's `exp` and `iat` in the claims (java.util.Date). */
export function claimDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `requestContext.authorizer.claims`: every claim as a string, as API Gateway passes them. */
export function claimsForEvent(claims: JwtClaims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') out[name] = claimDate(value);
    else out[name] = typeof value === 'string' ? value : Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value);
  }
  return out;
}

const deny = (reason: string): CognitoDecision => ({ ok: false, status: 401, reason });

export function authorizeCognito(header: string | undefined, config: CognitoAuthorizerConfig, nowSeconds: number): CognitoDecision {
  if (header === undefined || header.trim() === '') return deny('the request has no Authorization header');
  const token = header.trim();
  if (/^bearer\s/i.test(token)) {
    return deny('the Authorization header starts with "Bearer ": send the token alone as its value (API Gateway reads the header\'s whole value as the token)');
  }
  const checked = verifyJwt(token, config.keys);
  if (!checked.ok) return deny(checked.problem);
  const c = checked.claims;
  if (c.iss !== config.issuer) return deny(`iss ${JSON.stringify(c.iss)} is not the user pool's issuer ${config.issuer}`);
  if (typeof c.exp !== 'number' || !(c.exp > nowSeconds)) {
    return deny(typeof c.exp === 'number' ? `the token expired at ${new Date(c.exp * 1000).toISOString()}` : 'the token has no numeric exp');
  }
  if (config.scopes.length === 0) {
    if (c.token_use !== 'id') {
      return deny(`token_use ${JSON.stringify(c.token_use)}: the method has no AuthorizationScopes, so API Gateway wants an ID token (token_use "id")`);
    }
    if (typeof c.aud !== 'string' || !config.clientIds.includes(c.aud)) return deny(`aud ${JSON.stringify(c.aud)} is no app client of the user pool (${config.clientIds.join(', ') || 'none'})`);
    return { ok: true, claims: claimsForEvent(c) };
  }
  if (c.token_use !== 'access') {
    return deny(`token_use ${JSON.stringify(c.token_use)}: the method has AuthorizationScopes (${config.scopes.join(', ')}), so API Gateway wants an access token (token_use "access")`);
  }
  if (typeof c.client_id !== 'string' || !config.clientIds.includes(c.client_id)) {
    return deny(`client_id ${JSON.stringify(c.client_id)} is no app client of the user pool (${config.clientIds.join(', ') || 'none'})`);
  }
  const granted = typeof c.scope === 'string' ? c.scope.split(' ').filter((s) => s !== '') : [];
  if (!config.scopes.some((s) => granted.includes(s))) {
    return { ok: false, status: 403, reason: `the access token's scopes (${granted.join(' ') || 'none'}) include none of the method's AuthorizationScopes (${config.scopes.join(', ')})` };
  }
  return { ok: true, claims: claimsForEvent(c) };
}
