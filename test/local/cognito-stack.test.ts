/**
 * AuthMode=COGNITO_USER_POOLS on the local stack, over HTTP: the local issuer's documents, the
 * methods' Cognito authorizer (401/403 and the claims in the event), `cli token` and `cli invoke`
 * against a running `cli dev`. The fixture project (its handler echoes the event) gets a user
 * pool, an app client and an authorizer on its catch-all route and on a route with
 * AuthorizationScopes; the project's own template runs with AuthMode=COGNITO_USER_POOLS.
 * AWS behaviour: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 * (a missing or invalid token: 401 Unauthorized), https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
 * (no scopes: an ID token; scopes: an access token holding one), the claims in
 * `requestContext.authorizer.claims` (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html),
 * Cognito's JWKS and claims (amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html).
 */
import { expect } from 'chai';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dev } from '../../cli/commands/dev.js';
import { UsageError } from '../../cli/errors.js';
import { invoke } from '../../cli/invoke/invoke.js';
import { SIGNING_KEY_FILE } from '../../cli/local/cognito-issuer.js';
import { cognitoClaims } from '../../cli/local/cognito-tokens.js';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { signJwt } from '../../cli/local/jwt.js';
import { localToken, token } from '../../cli/token/token.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useTempDir } from '../support/temp-dir.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/project', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLES = join(ROOT, 'samples');

const COGNITO_RESOURCES = `
  UserPool:
    Type: AWS::Cognito::UserPool
    Properties:
      UsernameAttributes: [email]
  UserPoolClient:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref UserPool
      ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH]
  Authorizer:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Name: cognito
      Type: COGNITO_USER_POOLS
      IdentitySource: method.request.header.Authorization
      ProviderARNs: [!GetAtt UserPool.Arn]
  ScopedResource:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: scoped
  ScopedGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref ScopedResource
      HttpMethod: GET
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Authorizer
      AuthorizationScopes: [items/write, items/admin]
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub 'arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations'
`;

/** The fixture with its catch-all route behind the Cognito authorizer, and a /scoped route with AuthorizationScopes. */
async function cognitoFixture(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cognito-stack-'));
  await cp(FIXTURE, dir, { recursive: true });
  const file = join(dir, 'infra', 'cfn', 'template.yaml');
  const text = await readFile(file, 'utf8');
  const proxy = /( {2}ProxyAny:\n(?: {4}.*\n)*? {6}AuthorizationType: )NONE\n/;
  expect(text).to.match(proxy);
  await writeFile(file, text.replace(proxy, '$1COGNITO_USER_POOLS\n      AuthorizerId: !Ref Authorizer\n').replace('\n  Deployment:\n', `${COGNITO_RESOURCES}  Deployment:\n`));
  return dir;
}

/** A token of the stack's local issuer, as `cli token` mints it. */
const tokenOf = (stack: LocalStack) => localToken(stack.cognito!, {}, Math.floor(Date.now() / 1000));

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('cli/local Cognito authorizer (AuthMode=COGNITO_USER_POOLS)', () => {
  describe('the fixture project with a user pool, an app client and an authorizer', () => {
    let dir: string;
    let stack: LocalStack;
    const reporter = createMemoryReporter();
    const get = (path: string, authorization?: string) => fetch(`${stack.endpoint}${path}`, authorization === undefined ? {} : { headers: { Authorization: authorization } });
    const tokenFor = (over: Record<string, unknown> = {}, use: 'id' | 'access' = 'id', scopes: string[] = []) => {
      const c = stack.cognito!;
      return signJwt({ ...cognitoClaims({ issuer: c.issuer, clientId: c.clientId, user: 'ada@example.com', tokenUse: use, scopes, nowSeconds: now() }), ...over }, createPrivateKey(c.privateKeyPem), c.kid);
    };

    before(async () => {
      dir = await cognitoFixture();
      stack = await startLocalStack({ root: dir, port: 0, reporter, concurrency: 1, parameterOverrides: { Protect: 'false' } });
    });
    after(async () => {
      await stack?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('serves the JWKS and the OpenID configuration under the local issuer URL, on the emulator origin', async () => {
      const c = stack.cognito!;
      expect(c.issuer).to.equal(`${stack.origin}/_local/cognito-idp/${c.userPoolId}`);
      expect(c.userPoolId).to.match(/^us-east-1_[a-z0-9]{9}$/);
      expect(c.clientId).to.match(/^[a-z0-9]{26}$/);
      const config = (await (await fetch(`${c.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(config).to.deep.include({ issuer: c.issuer, jwks_uri: `${c.issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] });
      const jwks = (await (await fetch(`${c.issuer}/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] };
      expect(jwks.keys).to.have.length(1);
      expect(jwks.keys[0]).to.deep.include({ kid: c.kid, alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB' });
      // The published key is the one tokens are signed with.
      const published = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
      expect(published.export({ format: 'pem', type: 'spki' })).to.equal(createPublicKey(c.privateKeyPem).export({ format: 'pem', type: 'spki' }));
      const unknown = await fetch(`${stack.origin}/_local/cognito-idp/us-east-1_nosuchpool/.well-known/jwks.json`);
      expect(unknown.status).to.equal(403);
    });

    it('answers 401 {"message":"Unauthorized"} without a token, and does not invoke the function', async () => {
      const res = await get('/echo');
      expect(res.status).to.equal(401);
      expect(await res.text()).to.equal('{"message":"Unauthorized"}');
      expect(res.headers.get('x-amzn-errortype')).to.equal('UnauthorizedException');
      expect(reporter.stderr.join('\n')).to.contain('the method\'s Cognito authorizer refused the token: the request has no Authorization header');
      const counter = (await (await get('/counter', tokenFor())).json()) as { invocations: number };
      expect(counter.invocations).to.equal(1);
    });

    it('passes a valid ID token and puts its claims, as strings, in requestContext.authorizer.claims', async () => {
      const res = await get('/echo', tokenFor());
      expect(res.status).to.equal(200);
      const { event } = (await res.json()) as { event: { requestContext: { authorizer: { claims: Record<string, string> } }; headers: Record<string, string> } };
      const claims = event.requestContext.authorizer.claims;
      expect(claims).to.include({ email: 'ada@example.com', token_use: 'id', aud: stack.cognito!.clientId, iss: stack.cognito!.issuer, email_verified: 'true' });
      expect(claims.exp).to.match(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
      expect(claims.auth_time).to.match(/^\d+$/);
      expect(event.headers.Authorization).to.be.a('string');
    });

    const refused: [string, () => string][] = [
      ['a wrong signature', () => signJwt(cognitoClaims({ issuer: stack.cognito!.issuer, clientId: stack.cognito!.clientId, user: 'x@example.com', tokenUse: 'id', nowSeconds: now() }), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, stack.cognito!.kid)],
      ['a wrong kid', () => signJwt(cognitoClaims({ issuer: stack.cognito!.issuer, clientId: stack.cognito!.clientId, user: 'x@example.com', tokenUse: 'id', nowSeconds: now() }), createPrivateKey(stack.cognito!.privateKeyPem), 'not-the-kid')],
      ['alg none', () => `${b64({ alg: 'none', kid: stack.cognito!.kid })}.${tokenFor().split('.')[1]}.`],
      ['an expired token', () => tokenFor({ exp: now() - 5 })],
      ['a wrong iss', () => tokenFor({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other' })],
      ['a wrong aud', () => tokenFor({ aud: 'another-client' })],
      ['an access token (no scopes: an ID token is wanted)', () => tokenFor({}, 'access')],
      ['"Bearer <token>"', () => `Bearer ${tokenFor()}`],
    ];
    for (const [name, make] of refused) {
      it(`answers 401 Unauthorized for ${name}`, async () => {
        const res = await get('/echo', make());
        expect(res.status).to.equal(401);
        expect(await res.text()).to.equal('{"message":"Unauthorized"}');
      });
    }

    it('wants an access token with one of the AuthorizationScopes on a method that has them: 200, 403 without the scope, 401 for an ID token', async () => {
      const ok = await get('/scoped', tokenFor({}, 'access', ['items/admin']));
      expect(ok.status).to.equal(200);
      const { event } = (await ok.json()) as { event: { requestContext: { authorizer: { claims: Record<string, string> } } } };
      expect(event.requestContext.authorizer.claims).to.include({ token_use: 'access', scope: 'items/admin', client_id: stack.cognito!.clientId });
      const noScope = await get('/scoped', tokenFor({}, 'access', ['items/read']));
      expect(noScope.status).to.equal(403);
      expect(await noScope.text()).to.equal('{"message":"Unauthorized"}');
      expect(noScope.headers.get('x-amzn-errortype')).to.equal('AccessDeniedException');
      expect((await get('/scoped', tokenFor())).status).to.equal(401);
      expect(stack.cognito!.scopes).to.deep.equal(['items/write', 'items/admin']);
    });

    it('leaves the methods without an authorizer open', async () => {
      const res = await get('/items/abc');
      expect(res.status).to.equal(200);
    });
  });

  describe('the project template (AuthMode=COGNITO_USER_POOLS), cli dev, cli token and cli invoke', () => {
    const scratch = useTempDir('cognito-project-');

    async function withDev<T>(overrides: string[], body: (stateDir: string) => Promise<T>, dataDir?: string): Promise<{ value: T; stderr: string }> {
      const reporter = createMemoryReporter();
      const stateDir = join(scratch.path, `state-${Math.random().toString(36).slice(2)}`);
      let value: T | undefined;
      await dev(
        { port: 0, host: '127.0.0.1', region: 'us-east-1', stackName: 'cognito-test', parameterOverrides: overrides, watch: false, ...(dataDir ? { dataDir } : {}) },
        {
          reporter,
          root: ROOT,
          env: {},
          devStateDir: stateDir,
          untilStopped: async () => {
            value = await body(stateDir);
            return 'SIGTERM';
          },
        },
      );
      return { value: value as T, stderr: reporter.stderr.join('\n') };
    }

    it('cli token prints only a token the running stack accepts; cli invoke sends one by itself', async () => {
      const { value, stderr } = await withDev(['AuthMode=COGNITO_USER_POOLS'], async (stateDir) => {
        const reporter = createMemoryReporter();
        const printed = await token({ devStateDir: stateDir, user: 'grace@example.com' }, { reporter, root: ROOT, env: {} });
        const state = JSON.parse(await readFile(join(stateDir, `${process.pid}.json`), 'utf8')) as { outputs: Record<string, string> };
        const items = state.outputs.ItemsUrl!;
        const anonymous = await fetch(items);
        const signed = await fetch(items, { headers: { Authorization: printed } });
        const results = await invoke({ files: [join(SAMPLES, 'create.json'), join(SAMPLES, 'read.json')], devStateDir: stateDir }, { reporter: createMemoryReporter(), root: ROOT, env: {} });
        const wrong = await invoke({ files: [join(SAMPLES, 'ping.json')], devStateDir: stateDir, token: 'not-a-token' }, { reporter: createMemoryReporter(), root: ROOT, env: {} }).catch((e: unknown) => e);
        return { stdout: reporter.stdout, anonymous: anonymous.status, signed: signed.status, results: results.map((r) => r.status), wrong, outputs: state.outputs, mode: (await stat(join(stateDir, `${process.pid}.json`))).mode & 0o777 };
      });
      expect(value.stdout).to.have.length(1);
      expect(value.stdout[0]).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = JSON.parse(Buffer.from(value.stdout[0]!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      expect(claims).to.include({ token_use: 'id', email: 'grace@example.com', iss: value.outputs.UserPoolIssuerUrl, aud: value.outputs.UserPoolClientId });
      expect(value.anonymous).to.equal(401);
      expect(value.signed).to.equal(200);
      expect(value.results).to.deep.equal([200, 200]);
      expect((value.wrong as Error).message).to.equal('1 of 1 request did not get the expected response');
      expect(value.outputs.UserPoolIssuerUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/_local\/cognito-idp\/us-east-1_[a-z0-9]{9}$/);
      // The state file holds the signing key: this user's only.
      expect(value.mode).to.equal(0o600);
      expect(stderr).to.match(/Cognito +local issuer http:\/\/127\.0\.0\.1:\d+\/_local\/cognito-idp\/us-east-1_\w+, client \w+/);
    });

    it('with AuthorizationScopes: the ID token is refused, --scope mints an access token, invoke sends one with the scopes', async () => {
      const { value } = await withDev(['AuthMode=COGNITO_USER_POOLS', 'AuthorizationScopes=items/write'], async (stateDir) => {
        const deps = { reporter: createMemoryReporter(), root: ROOT, env: {} };
        const state = JSON.parse(await readFile(join(stateDir, `${process.pid}.json`), 'utf8')) as { outputs: Record<string, string> };
        const status = async (t: string) => (await fetch(state.outputs.ItemsUrl!, { headers: { Authorization: t } })).status;
        return {
          id: await status(await token({ devStateDir: stateDir }, deps)),
          scoped: await status(await token({ devStateDir: stateDir, scope: ['items/write'] }, deps)),
          other: await status(await token({ devStateDir: stateDir, scope: ['items/read'] }, deps)),
          admin: await status(await token({ devStateDir: stateDir, access: true }, deps)),
          invoked: (await invoke({ files: [join(SAMPLES, 'ping.json')], devStateDir: stateDir }, deps)).map((r) => r.status),
        };
      });
      expect(value).to.deep.equal({ id: 401, scoped: 200, other: 403, admin: 403, invoked: [200] });
    });

    it('keeps the signing key in --data-dir, so a token outlives a restart', async () => {
      const dataDir = join(scratch.path, 'data');
      const first = await withDev(['AuthMode=COGNITO_USER_POOLS'], (stateDir) => token({ devStateDir: stateDir }, { reporter: createMemoryReporter(), root: ROOT, env: {} }), dataDir);
      expect((await stat(join(dataDir, SIGNING_KEY_FILE))).mode & 0o777).to.equal(0o600);
      const again = await withDev(['AuthMode=COGNITO_USER_POOLS'], async (stateDir) => {
        const state = JSON.parse(await readFile(join(stateDir, `${process.pid}.json`), 'utf8')) as { outputs: Record<string, string>; cognito: { kid: string } };
        const header = JSON.parse(Buffer.from(first.value.split('.')[0]!, 'base64url').toString()) as { kid: string };
        // The port (0: a free one) may differ between the runs, and with it the issuer; the key does not.
        return { sameKey: header.kid === state.cognito.kid, outputs: state.outputs };
      }, dataDir);
      expect(again.value.sameKey).to.equal(true);
    });

    it("with UserPoolArn, issues for that pool (the stack's client is added to it) and creates none", async () => {
      const arn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Existing1';
      const stack = await startLocalStack({ root: ROOT, port: 0, concurrency: 1, parameterOverrides: { AuthMode: 'COGNITO_USER_POOLS', UserPoolArn: arn } });
      try {
        expect(stack.cognito?.userPoolId).to.equal('us-east-1_Existing1');
        expect(stack.outputs.UserPoolId).to.equal('us-east-1_Existing1');
        expect(stack.outputs.UserPoolIssuerUrl).to.equal(`${stack.origin}/_local/cognito-idp/us-east-1_Existing1`);
        expect(stack.model.api.userPools).to.deep.equal([{ id: 'us-east-1_Existing1', clientIds: [stack.outputs.UserPoolClientId] }]);
        const res = await fetch(stack.outputs.ItemsUrl!, { headers: { Authorization: tokenOf(stack) } });
        expect(res.status).to.equal(200);
      } finally {
        await stack.stop();
      }
    });

    it('cli token says what to do when no cli dev runs, or it has no Cognito authorizer', async () => {
      const none = await token({ devStateDir: join(scratch.path, 'empty') }, { reporter: createMemoryReporter(), root: ROOT, env: {} }).catch((e: unknown) => e);
      expect(none).to.be.instanceOf(UsageError);
      expect((none as Error).message).to.match(/^no running cli dev found .*AuthMode=COGNITO_USER_POOLS/);
      const { value } = await withDev(['AuthMode=NONE'], (stateDir) => token({ devStateDir: stateDir }, { reporter: createMemoryReporter(), root: ROOT, env: {} }).catch((e: unknown) => e));
      expect(value).to.be.instanceOf(UsageError);
      expect((value as Error).message).to.match(/has no Cognito authorizer: start it with --parameter-overrides AuthMode=COGNITO_USER_POOLS$/);
    });
  });
});
