/**
 * Tokens shaped as a Cognito user pool's, for the local issuer: the claims of an ID token and of
 * an access token, as Amazon Cognito documents them, signed with the local key. Used by
 * `cli token` (and `cli invoke`) for a running `cli dev`, and by tests. Its own module with no
 * emulator imports, so those commands load only node:crypto.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
import { createPrivateKey, randomUUID } from 'node:crypto';
import { signJwt, type JwtClaims } from './jwt.js';
import { uuidFrom } from './resources/names.js';

/** The scope of an access token from a sign-in through the user pool API (InitiateAuth). */
export const USER_ADMIN_SCOPE = 'aws.cognito.signin.user.admin';
/** One hour: the default validity of Cognito's ID and access tokens. */
export const TOKEN_LIFETIME_SECONDS = 3600;

export interface TokenRequest {
  issuer: string;
  clientId: string;
  /** The user's email (the pool signs users in by email). */
  user: string;
  /** `id`, or `access` with `scopes` (default: aws.cognito.signin.user.admin). */
  tokenUse: 'id' | 'access';
  scopes?: readonly string[];
  nowSeconds: number;
  lifetimeSeconds?: number;
}

/** The claims Cognito puts in an ID or access token for `user` (its `sub` is stable per user and pool). */
export function cognitoClaims(request: TokenRequest): JwtClaims {
  const now = request.nowSeconds;
  // With email as the username attribute, cognito:username (and an access token's username) is the sub.
  const sub = uuidFrom(`${request.issuer}\0${request.user}`);
  const common = {
    sub,
    iss: request.issuer,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    auth_time: now,
    exp: now + (request.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS),
    iat: now,
    jti: randomUUID(),
  };
  if (request.tokenUse === 'id') {
    return { ...common, email_verified: true, 'cognito:username': sub, aud: request.clientId, token_use: 'id', email: request.user };
  }
  const scopes = request.scopes && request.scopes.length > 0 ? request.scopes : [USER_ADMIN_SCOPE];
  return { ...common, client_id: request.clientId, token_use: 'access', scope: scopes.join(' '), username: sub };
}

/** A signed token for `request`, with the issuer's private key (PKCS#8 PEM) and its kid. */
export function mintToken(request: TokenRequest, key: { privateKeyPem: string; kid: string }): string {
  return signJwt(cognitoClaims(request), createPrivateKey(key.privateKeyPem), key.kid);
}
