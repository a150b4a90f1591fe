/**
 * AuthMode=COGNITO_USER_POOLS deployed to a real moto server, and `cli token` signing a pool user
 * in against it with InitiateAuth (USER_PASSWORD_AUTH). moto's CloudFormation does not know the
 * Cognito types nor AWS::ApiGateway::Authorizer; scripts/moto_cognito.py adds them through moto's
 * own Cognito and API Gateway backends (and moto-server.py reads YAML `!Condition` as
 * CloudFormation does), so the pool, client, resource server and authorizer the template
 * declares exist and can be read back. moto's tokens are RS256 JWTs shaped as Cognito's (its
 * InitiateAuth answers NEW_PASSWORD_REQUIRED for a user with a temporary password, and
 * NotAuthorizedException "Incorrect username or password." for a wrong one, as Cognito does:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html).
 * moto does not serve the stage URL, so the deployed authorizer's verdicts are not exercised here
 * (test/local/cognito-stack.test.ts covers them locally).
 */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { APIGatewayClient, GetAuthorizersCommand, GetMethodCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { expect } from 'chai';
import { join } from 'node:path';
import { deploy } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { CliError, UsageError } from '../../cli/errors.js';
import { runCfnLint } from '../../cli/lint/cfn-lint.js';
import { token } from '../../cli/token/token.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { OK_HANDLER, useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = 'it-cognito';
const PASSWORD = 'Correct-Horse-9!';

const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('cli token against moto (AuthMode=COGNITO_USER_POOLS deployed)', () => {
  const suite = useMoto('token-moto-', { handler: OK_HANDLER });
  let outputs: Record<string, string>;
  let cognito: CognitoIdentityProviderClient;
  let apigateway: APIGatewayClient;
  const sdk = () => {
    const env = suite.moto.env;
    return { region: env.AWS_REGION!, endpoint: env.AWS_ENDPOINT_URL!, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! } };
  };
  const run = (options: Parameters<typeof token>[0], env: NodeJS.ProcessEnv = {}) => {
    const reporter = createMemoryReporter();
    return token({ stackName: STACK, ...options }, { reporter, root, env: { ...suite.moto.env, ...env }, terminal: false }).then((value) => ({ value, stdout: reporter.stdout }));
  };

  before(async () => {
    const aws = await suite.clients();
    const result = await deploy(
      { stackName: STACK, yes: true, skipLint: true, parameterOverrides: { AuthMode: 'COGNITO_USER_POOLS', AuthorizationScopes: 'items/write' } },
      { reporter: createMemoryReporter(), aws, build: async () => suite.artifact, lint: () => runCfnLint({ root }), loadTemplate: () => loadDeployTemplate(root), interactive: false, pollIntervalMs: 10 },
    );
    expect(result.stackStatus).to.equal('CREATE_COMPLETE');
    outputs = result.outputs;
    cognito = new CognitoIdentityProviderClient(sdk());
    apigateway = new APIGatewayClient(sdk());
  });
  after(() => {
    cognito?.destroy();
    apigateway?.destroy();
  });

  describe('deploy', () => {
    // CreateUserPool is `!And [!Condition AuthCognito, ...]`: without moto-server.py's `!Condition`
    // fix moto counts it false and the stack fails on the client's `!Select` of an empty ARN.
    it('outputs the user pool, its app client and the issuer URL', () => {
      expect(outputs.UserPoolId).to.match(/^us-east-1_\w+$/);
      expect(outputs.UserPoolClientId).to.match(/^\w+$/);
      expect(outputs.UserPoolIssuerUrl).to.equal(`https://cognito-idp.us-east-1.amazonaws.com/${outputs.UserPoolId}`);
    });

    it('creates the pool with email sign-in, admin-only sign-up and the password policy, and a public client for USER_PASSWORD_AUTH and SRP', async () => {
      const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: outputs.UserPoolId }));
      expect(pool?.Name).to.equal(`${STACK}-users`);
      expect(pool?.UsernameAttributes).to.deep.equal(['email']);
      expect(pool?.AdminCreateUserConfig?.AllowAdminCreateUserOnly).to.equal(true);
      expect(pool?.Policies?.PasswordPolicy).to.deep.include({ MinimumLength: 12, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true });
      const { UserPoolClient: client } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: outputs.UserPoolId, ClientId: outputs.UserPoolClientId }));
      expect(client?.ExplicitAuthFlows).to.deep.equal(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
      expect(client?.ClientSecret).to.equal(undefined);
      const { ResourceServer: server } = await cognito.send(new DescribeResourceServerCommand({ UserPoolId: outputs.UserPoolId, Identifier: 'items' }));
      expect(server?.Scopes?.map((s) => s.ScopeName)).to.deep.equal(['read', 'write']);
    });

    it("puts every method behind the pool's COGNITO_USER_POOLS authorizer with the AuthorizationScopes", async () => {
      const apiId = /^https:\/\/(\w+)\.execute-api/.exec(outputs.ApiEndpoint!)![1]!;
      const { items: authorizers = [] } = await apigateway.send(new GetAuthorizersCommand({ restApiId: apiId }));
      expect(authorizers).to.have.length(1);
      expect(authorizers[0]).to.deep.include({ type: 'COGNITO_USER_POOLS', identitySource: 'method.request.header.Authorization', providerARNs: [`arn:aws:cognito-idp:us-east-1:123456789012:userpool/${outputs.UserPoolId}`] });
      const { items: resources = [] } = await apigateway.send(new GetResourcesCommand({ restApiId: apiId }));
      const methods = resources.flatMap((r) => Object.keys(r.resourceMethods ?? {}).map((m) => ({ id: r.id!, m })));
      expect(methods).to.have.length(7);
      for (const { id, m } of methods) {
        const method = await apigateway.send(new GetMethodCommand({ restApiId: apiId, resourceId: id, httpMethod: m }));
        expect(method, `${m} ${id}`).to.deep.include({ authorizationType: 'COGNITO_USER_POOLS', authorizerId: authorizers[0]!.id, authorizationScopes: ['items/write'] });
      }
    });
  });

  describe('token --stack-name', () => {
    before(async () => {
      for (const user of ['ada@example.com', 'temp@example.com']) {
        await cognito.send(new AdminCreateUserCommand({ UserPoolId: outputs.UserPoolId, Username: user, TemporaryPassword: 'Temporary-Pass-1!' }));
      }
      await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: outputs.UserPoolId, Username: 'ada@example.com', Password: PASSWORD, Permanent: true }));
    });

    it("prints only the user's ID token, from the stack's app client, with the password from CLI_TOKEN_PASSWORD", async () => {
      const { value, stdout } = await run({ user: 'ada@example.com' }, { CLI_TOKEN_PASSWORD: PASSWORD });
      expect(stdout).to.deep.equal([value]);
      expect(payload(value)).to.include({ token_use: 'id', aud: outputs.UserPoolClientId, iss: outputs.UserPoolIssuerUrl, email: 'ada@example.com' });
    });

    it('prints the access token with --access', async () => {
      const { value } = await run({ user: 'ada@example.com', access: true }, { CLI_TOKEN_PASSWORD: PASSWORD });
      expect(payload(value)).to.include({ token_use: 'access', client_id: outputs.UserPoolClientId, iss: outputs.UserPoolIssuerUrl });
    });

    it('says what Cognito refused: a wrong password (exit 1)', async () => {
      const err = await run({ user: 'ada@example.com' }, { CLI_TOKEN_PASSWORD: 'wrong' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(CliError);
      expect((err as CliError).exitCode).to.equal(1);
      expect((err as CliError).message).to.equal('Cognito refused the sign-in of ada@example.com: Incorrect username or password.');
    });

    it('says how to set a password for a user that still has a temporary one (NEW_PASSWORD_REQUIRED)', async () => {
      const err = await run({ user: 'temp@example.com' }, { CLI_TOKEN_PASSWORD: 'Temporary-Pass-1!' }).catch((e: unknown) => e);
      expect((err as CliError).message).to.equal('Cognito asks temp@example.com for NEW_PASSWORD_REQUIRED before issuing tokens');
      expect((err as CliError).details[0]).to.match(/^a user created by an administrator must set a password first: aws cognito-idp admin-set-user-password .* --permanent$/);
    });

    it('refuses bad input before calling Cognito (exit 2): no password and no terminal, no --user, --scope', async () => {
      for (const [options, message] of [
        [{ user: 'ada@example.com' }, /^no password for ada@example\.com: set CLI_TOKEN_PASSWORD/],
        [{}, /^--user EMAIL is required for a deployed stack/],
        [{ user: 'ada@example.com', scope: ['items/write'] }, /^--scope works with the local stack only/],
        [{ user: 'ada@example.com', local: true }, /^--local excludes --stage and --stack-name$/],
      ] as [Parameters<typeof token>[0], RegExp][]) {
        const err = await run({ ...options }, {}).catch((e: unknown) => e);
        expect(err, JSON.stringify(options)).to.be.instanceOf(UsageError);
        expect((err as Error).message).to.match(message);
      }
    });
  });
});
