/**
 * The local COGNITO_USER_POOLS authorizer as a pure function, table-driven: each row a token and
 * the decision API Gateway's Cognito authorizer takes on it. What AWS checks is documented in
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 * (signature against the JWKS by kid, RS256, exp, iss, aud / client_id, token_use) and, for ID vs
 * access tokens and scopes, https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
 * ("If the OAuth Scopes option isn't specified, API Gateway treats the supplied token as an
 * identity token ... Otherwise, ... as an access token and verifies the access scopes").
 */
import { expect } from 'chai';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { authorizeCognito, claimDate, claimsForEvent, type CognitoAuthorizerConfig } from '../../cli/local/cognito-authorizer.js';
import { cognitoClaims } from '../../cli/local/cognito-tokens.js';
import { createLocalIssuer } from '../../cli/local/cognito-issuer.js';
import { signJwt, verifyJwt, type JwtClaims } from '../../cli/local/jwt.js';

const ISSUER = 'http://127.0.0.1:3000/_local/cognito-idp/us-east-1_abc123def';
const CLIENT = 'y99caun33d9iafma19o6vfnve1';
const NOW = 1_796_160_000;
const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const KID = 'kid-1';
const keys = new Map<string, KeyObject>([[KID, createPublicKey(key)]]);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const idClaims = (over: JwtClaims = {}) => ({ ...cognitoClaims({ issuer: ISSUER, clientId: CLIENT, user: 'user@example.com', tokenUse: 'id', nowSeconds: NOW }), ...over });
const accessClaims = (scopes: string[], over: JwtClaims = {}) => ({
  ...cognitoClaims({ issuer: ISSUER, clientId: CLIENT, user: 'user@example.com', tokenUse: 'access', scopes, nowSeconds: NOW }),
  ...over,
});
const sign = (claims: JwtClaims, k = key, kid = KID) => signJwt(claims, k, kid);

describe('cli/local/cognito-authorizer', () => {
  describe('authorizeCognito', () => {
    const noScopes: CognitoAuthorizerConfig = { issuer: ISSUER, keys, clientIds: [CLIENT], scopes: [] };
    const scoped = { ...noScopes, scopes: ['items/write', 'items/admin'] };
    const goodClaims = idClaims();
    const good = sign(goodClaims);
    const [h, p] = good.split('.') as [string, string];
    const rows: { name: string; header: string | undefined; config?: CognitoAuthorizerConfig; status: 200 | 401 | 403; reason?: RegExp }[] = [
      { name: 'a valid ID token of an app client of the pool', header: good, status: 200 },
      { name: 'surrounding spaces (API Gateway trims the header)', header: ` ${good} `, status: 200 },
      { name: 'no Authorization header', header: undefined, status: 401, reason: /no Authorization header/ },
      { name: 'an empty header', header: '', status: 401, reason: /no Authorization header/ },
      { name: '"Bearer <token>"', header: `Bearer ${good}`, status: 401, reason: /starts with "Bearer "/ },
      { name: 'not a JWT', header: 'abc', status: 401, reason: /not a JWT \(1 dot-separated parts/ },
      { name: 'a header that is not JSON', header: `bm90IGpzb24.${p}.sig`, status: 401, reason: /header is not base64url-encoded JSON/ },
      { name: 'a wrong signature (another key, same kid)', header: sign(idClaims(), other), status: 401, reason: /signature does not verify/ },
      { name: 'a changed payload (the signature no longer matches)', header: `${h}.${b64(idClaims({ email: 'admin@example.com' }))}.${good.split('.')[2]}`, status: 401, reason: /signature does not verify/ },
      { name: 'a kid not in the JWKS', header: sign(idClaims(), key, 'other-kid'), status: 401, reason: /kid "other-kid" is not a key/ },
      { name: 'alg none', header: `${b64({ kid: KID, alg: 'none' })}.${p}.`, status: 401, reason: /alg "none": only RS256/ },
      { name: 'alg HS256', header: `${b64({ kid: KID, alg: 'HS256' })}.${p}.c2ln`, status: 401, reason: /alg "HS256": only RS256/ },
      { name: 'an expired token', header: sign(idClaims({ exp: NOW - 1 })), status: 401, reason: /expired at/ },
      { name: 'a token expiring now (exp must be after now)', header: sign(idClaims({ exp: NOW })), status: 401, reason: /expired at/ },
      { name: 'no exp', header: sign(idClaims({ exp: undefined })), status: 401, reason: /no numeric exp/ },
      { name: 'another issuer', header: sign(idClaims({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other' })), status: 401, reason: /is not the user pool's issuer/ },
      { name: 'an aud that is no client of the pool', header: sign(idClaims({ aud: 'someoneelse' })), status: 401, reason: /aud "someoneelse" is no app client/ },
      { name: 'an access token where an ID token is wanted', header: sign(accessClaims([])), status: 401, reason: /wants an ID token/ },
      { name: 'an access token with one of the scopes', header: sign(accessClaims(['items/admin'])), config: scoped, status: 200 },
      { name: 'an access token with none of the scopes', header: sign(accessClaims(['items/read'])), config: scoped, status: 403, reason: /scopes \(items\/read\) include none of the method's AuthorizationScopes \(items\/write, items\/admin\)/ },
      { name: 'an ID token where scopes want an access token', header: good, config: scoped, status: 401, reason: /wants an access token/ },
      { name: 'an access token of another client', header: sign(accessClaims(['items/write'], { client_id: 'x' })), config: scoped, status: 401, reason: /client_id "x" is no app client/ },
      { name: 'an expired access token with the scope (expiry first: 401)', header: sign(accessClaims(['items/write'], { exp: NOW - 60 })), config: scoped, status: 401, reason: /expired/ },
    ];
    for (const row of rows) {
      it(`${row.status === 200 ? 'allows' : `refuses with ${row.status}`} ${row.name}`, () => {
        const decision = authorizeCognito(row.header, row.config ?? noScopes, NOW);
        if (row.status === 200) {
          expect(decision.ok, JSON.stringify(decision)).to.equal(true);
        } else {
          expect(decision).to.deep.include({ ok: false, status: row.status });
          expect((decision as { reason: string }).reason).to.match(row.reason!);
        }
      });
    }

    it('passes the claims on as strings, exp and iat as API Gateway renders dates', () => {
      const decision = authorizeCognito(good, noScopes, NOW);
      if (!decision.ok) throw new Error(decision.reason);
      const c = goodClaims;
      expect(decision.claims).to.deep.equal({
        sub: c.sub,
        iss: ISSUER,
        origin_jti: c.origin_jti,
        event_id: c.event_id,
        auth_time: String(NOW),
        exp: claimDate(NOW + 3600),
        iat: claimDate(NOW),
        jti: c.jti,
        email_verified: 'true',
        'cognito:username': c.sub,
        aud: CLIENT,
        token_use: 'id',
        email: 'user@example.com',
      });
    });
  });

  describe('claimDate', () => {
    it('renders epoch seconds as java.util.Date prints them in UTC', () => {
      expect(claimDate(1_552_586_283)).to.equal('Thu Mar 14 17:58:03 UTC 2019');
      expect(claimDate(0)).to.equal('Thu Jan 01 00:00:00 UTC 1970');
    });
  });

  describe('claimsForEvent', () => {
    it('keeps strings, prints numbers and booleans, and lists as [a, b]', () => {
      expect(claimsForEvent({ a: 'x', n: 5, b: false, 'cognito:groups': ['admin', 'ops'] })).to.deep.equal({ a: 'x', n: '5', b: 'false', 'cognito:groups': '[admin, ops]' });
    });
  });
});

describe('cli/local/jwt', () => {
  describe('verifyJwt', () => {
    it('returns the header and claims of a token it signed', () => {
      const checked = verifyJwt(signJwt({ a: 1 }, key, KID), keys);
      expect(checked).to.deep.equal({ ok: true, header: { kid: KID, alg: 'RS256' }, claims: { a: 1 } });
    });

    it('refuses a payload that is not JSON even when signed', () => {
      const input = `${b64({ kid: KID, alg: 'RS256' })}.${Buffer.from('[1,').toString('base64url')}`;
      const token = `${input}.${signJwt({}, key, KID).split('.')[2]}`;
      expect(verifyJwt(token, keys)).to.deep.include({ ok: false });
    });
  });
});

describe('cli/local/cognito-issuer', () => {
  describe('createLocalIssuer', () => {
    const origin = 'http://127.0.0.1:3000';
    const pools = [
      { id: 'us-east-1_first0000', clientIds: ['c1'] },
      { id: 'us-east-1_second000', clientIds: ['c2'] },
    ];
    const signing = { privateKey: key, privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(), kid: KID };
    const issuer = createLocalIssuer(origin, pools, signing);
    const of = (pool: string, client: string, use: 'id' | 'access', scopes: string[] = []) =>
      signJwt(cognitoClaims({ issuer: issuer.issuerOf(pool), clientId: client, user: 'u@example.com', tokenUse: use, scopes, nowSeconds: NOW }), key, KID);

    it("passes a token of any pool the authorizer names (ProviderARNs may list several)", () => {
      const auth = { userPoolIds: pools.map((p) => p.id), scopes: [] };
      expect(issuer.authorize(auth, of('us-east-1_second000', 'c2', 'id'), NOW).ok).to.equal(true);
      expect(issuer.authorize({ ...auth, userPoolIds: ['us-east-1_first0000'] }, of('us-east-1_second000', 'c2', 'id'), NOW)).to.deep.include({ ok: false, status: 401 });
    });

    it('answers 403 when a pool finds the access token valid but short of a scope, 401 when none knows it', () => {
      const auth = { userPoolIds: pools.map((p) => p.id), scopes: ['items/write'] };
      expect(issuer.authorize(auth, of('us-east-1_second000', 'c2', 'access', ['items/read']), NOW)).to.deep.include({ ok: false, status: 403 });
      expect(issuer.authorize({ userPoolIds: ['us-east-1_unknown00'], scopes: [] }, of('us-east-1_first0000', 'c1', 'id'), NOW)).to.deep.equal({
        ok: false,
        status: 401,
        reason: 'the authorizer names no user pool of this template',
      });
    });

    it('serves its documents for GET only, for its pools only', () => {
      expect(issuer.document('GET', '/_local/cognito-idp/us-east-1_first0000/.well-known/jwks.json')?.statusCode).to.equal(200);
      expect(issuer.document('POST', '/_local/cognito-idp/us-east-1_first0000/.well-known/jwks.json')).to.equal(undefined);
      expect(issuer.document('GET', '/_local/cognito-idp/us-east-1_other0000/.well-known/jwks.json')).to.equal(undefined);
      expect(issuer.document('GET', '/_local/cognito-idp/us-east-1_first0000/oauth2/token')).to.equal(undefined);
    });
  });
});
