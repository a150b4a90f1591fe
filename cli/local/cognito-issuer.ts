/**
 * The local Cognito issuer: one RSA signing key (kept in the data directory with --data-dir, so
 * tokens survive a restart; else new per start) and, for each user pool the API's authorizers
 * name, an issuer URL on the emulator's own origin, `http://HOST:PORT/_local/cognito-idp/<pool
 * id>`, with the two documents a verifier fetches there, as Cognito serves them at
 * https://cognito-idp.<region>.amazonaws.com/<pool id>: `/.well-known/jwks.json` and
 * `/.well-known/openid-configuration`.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../fs/atomic-write.js';
import { authorizeCognito, type CognitoDecision } from './cognito-authorizer.js';
import { publicJwk } from './jwt.js';
import type { LocalCognitoAuth, LocalUserPool } from './resources/cognito.js';
import type { StackModel } from './stack-model.js';

/**
 * Where issuers live on the emulator's origin. Their two documents are answered before routing
 * (`_local` is a valid stage name, but a stage would have to serve exactly these paths to collide).
 */
export const ISSUER_PREFIX = '/_local/cognito-idp/';
export const SIGNING_KEY_FILE = 'cognito-signing-key.pem';

export interface SigningKey {
  privateKey: KeyObject;
  privateKeyPem: string;
  /** base64 of the SHA-256 of the public key (Cognito's kids are 44 base64 characters too). */
  kid: string;
}

export function localIssuerUrl(origin: string, poolId: string): string {
  return `${origin}${ISSUER_PREFIX}${poolId}`;
}

function signingKey(privateKeyPem: string): SigningKey {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the signing key is not an RSA key');
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, privateKeyPem, kid: createHash('sha256').update(spki).digest('base64') };
}

/** A new 2048-bit RSA key, or (with a data directory) the one kept there, made on first use. */
export async function loadSigningKey(dataDir?: string): Promise<SigningKey> {
  const file = dataDir === undefined ? undefined : join(dataDir, SIGNING_KEY_FILE);
  if (file) {
    const existing = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (existing !== undefined) return signingKey(existing);
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // The private key signs tokens the local API accepts: readable by this user only.
  if (file) await writeFileAtomically(file, pem, { mode: 0o600 });
  return signingKey(pem);
}

export interface IssuerDocument {
  statusCode: number;
  body: string;
}

export interface LocalIssuer {
  key: SigningKey;
  pools: readonly LocalUserPool[];
  issuerOf(poolId: string): string;
  /** The JWKS or OpenID configuration a GET of `path` asks for, when it is one of an issuer's. */
  document(method: string, path: string): IssuerDocument | undefined;
  /** The decision of a method's Cognito authorizer on the Authorization header. */
  authorize(auth: LocalCognitoAuth, header: string | undefined, nowSeconds: number): CognitoDecision;
}

export function createLocalIssuer(origin: string, pools: readonly LocalUserPool[], key: SigningKey): LocalIssuer {
  const keys = new Map([[key.kid, createPublicKey(key.privateKey)]]);
  const byId = new Map(pools.map((p) => [p.id, p]));
  const issuerOf = (poolId: string) => localIssuerUrl(origin, poolId);
  return {
    key,
    pools,
    issuerOf,
    document(method, path) {
      if (method !== 'GET' || !path.startsWith(ISSUER_PREFIX)) return undefined;
      const [poolId, ...rest] = path.slice(ISSUER_PREFIX.length).split('/');
      const pool = byId.get(poolId ?? '');
      if (!pool) return undefined;
      const issuer = issuerOf(pool.id);
      switch (rest.join('/')) {
        case '.well-known/jwks.json':
          return { statusCode: 200, body: JSON.stringify({ keys: [publicJwk(key.privateKey, key.kid)] }) };
        case '.well-known/openid-configuration':
          return {
            statusCode: 200,
            body: JSON.stringify({
              issuer,
              jwks_uri: `${issuer}/.well-known/jwks.json`,
              id_token_signing_alg_values_supported: ['RS256'],
              subject_types_supported: ['public'],
              response_types_supported: ['code', 'token'],
              scopes_supported: ['openid', 'email', 'phone', 'profile'],
              claims_supported: ['aud', 'auth_time', 'cognito:username', 'email', 'email_verified', 'exp', 'iat', 'iss', 'sub', 'token_use'],
            }),
          };
        default:
          return undefined;
      }
    },
    authorize(auth, header, nowSeconds) {
      // A token of any of the authorizer's pools passes (ProviderARNs may list several); refused by
      // all, the answer is the one of a pool that found it valid but short of a scope (403), if any.
      const decisions = auth.userPoolIds.flatMap((poolId) => {
        const pool = byId.get(poolId);
        return pool ? [authorizeCognito(header, { issuer: issuerOf(poolId), keys, clientIds: pool.clientIds, scopes: auth.scopes }, nowSeconds)] : [];
      });
      return (
        decisions.find((d) => d.ok) ??
        decisions.find((d) => !d.ok && d.status === 403) ??
        decisions[0] ?? { ok: false, status: 401, reason: 'the authorizer names no user pool of this template' }
      );
    },
  };
}

/**
 * What `cli token` and `cli invoke` need to mint a token the running stack accepts (kept in the
 * state file of `cli dev`, readable by this user only): the first pool and its first app client,
 * the scopes the methods ask for, and the signing key.
 */
export interface CognitoState {
  issuer: string;
  userPoolId: string;
  clientId: string;
  /** Every AuthorizationScope of the API's methods (empty: they want ID tokens). */
  scopes: string[];
  kid: string;
  privateKeyPem: string;
}

export function cognitoState(issuer: LocalIssuer, model: Pick<StackModel, 'api'>): CognitoState | undefined {
  const pool = issuer.pools.find((p) => p.clientIds.length > 0);
  if (!pool) return undefined;
  const scopes = [...new Set(model.api.routes.flatMap((r) => r.cognito?.scopes ?? []))];
  return { issuer: issuer.issuerOf(pool.id), userPoolId: pool.id, clientId: pool.clientIds[0]!, scopes, kid: issuer.key.kid, privateKeyPem: issuer.key.privateKeyPem };
}

/** The outputs with each pool's Cognito issuer URL (UserPoolIssuerUrl) replaced by the local one. */
export function localizeIssuerOutputs(outputs: Record<string, string>, model: Pick<StackModel, 'pseudo'>, issuer: LocalIssuer | undefined): Record<string, string> {
  if (!issuer) return outputs;
  const replaced = Object.entries(outputs).map(([k, v]) => {
    for (const pool of issuer.pools) v = v.split(`https://cognito-idp.${model.pseudo.region}.amazonaws.com/${pool.id}`).join(issuer.issuerOf(pool.id));
    return [k, v] as const;
  });
  return Object.fromEntries(replaced);
}
