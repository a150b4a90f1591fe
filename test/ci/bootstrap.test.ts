/**
 * `cli bootstrap-ci` against a real moto server: the OIDC stack is created through a change set,
 * the deploy role trusts exactly the repository's environments, and bad input is refused before
 * any AWS call. moto's CloudFormation does not implement AWS::IAM::OIDCProvider (it skips the
 * resource with a warning), so the created-provider path is checked for the role and outputs
 * only; the existing-provider path is checked end to end with a provider made through IAM's API
 * (moto implements CreateOpenIDConnectProvider).
 */
import { CreateOpenIDConnectProviderCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { join } from 'node:path';
import type { CliError } from '../../cli/errors.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

interface PolicyDocument {
  Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: Record<string, string>; Condition?: Record<string, Record<string, string | string[]>> }[];
}

describe('cli bootstrap-ci against moto', () => {
  const suite = useMoto('bootstrap-ci-');
  let iam: IAMClient;
  before(() => {
    iam = new IAMClient({ endpoint: suite.moto.endpoint, region: suite.moto.region, credentials });
  });
  after(() => iam?.destroy());

  async function cli(args: string[]) {
    const reporter = createMemoryReporter();
    await createProgram({ reporter, root, env: suite.moto.env }).parseAsync(['node', 'cli', ...args]);
    return { stdout: reporter.stdout, stderr: reporter.stderr.join('\n') };
  }

  async function cliError(args: string[]): Promise<CliError> {
    try {
      await cli(args);
    } catch (err) {
      expect((err as CliError).exitCode, String(err)).to.be.a('number');
      return err as CliError;
    }
    throw new Error('expected the command to fail');
  }

  async function role(arn: string) {
    const name = arn.split('/').pop()!;
    const got = await iam.send(new GetRoleCommand({ RoleName: name }));
    const trust = JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)) as PolicyDocument;
    return { name, trust };
  }

  it('creates the roles, trusting only the repository environments, and prints the repository variables', async () => {
    const { stdout } = await cli(['bootstrap-ci', '--repo', 'octo-org/my-api', '--stack-name', 'api', '--yes', '--json']);
    const result = JSON.parse(stdout.join('\n')) as { stackName: string; status: string; variables: Record<string, string> };
    expect(result.stackName).to.equal('github-oidc-api');
    expect(result.status).to.equal('deployed');
    expect(result.variables).to.have.keys('AWS_DEPLOY_ROLE_ARN', 'AWS_CFN_EXECUTION_ROLE_ARN', 'AWS_REGION');
    expect(result.variables.AWS_REGION).to.equal(suite.moto.region);

    const deploy = await role(result.variables.AWS_DEPLOY_ROLE_ARN!);
    const [trust] = deploy.trust.Statement;
    expect(trust!.Action).to.equal('sts:AssumeRoleWithWebIdentity');
    // https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
    expect(trust!.Condition).to.deep.equal({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': ['repo:octo-org/my-api:environment:dev', 'repo:octo-org/my-api:environment:prod'],
      },
    });
    // The document is JSON as IAM gives it (scripts/moto-server.py fix 4: moto kept a Python repr).
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: deploy.name, PolicyName: 'deploy-api-stacks' }));
    const statements = (JSON.parse(decodeURIComponent(policy.PolicyDocument!)) as PolicyDocument).Statement;
    const pass = statements.find((s) => s.Sid === 'PassExecutionRoleToCloudFormation')!;
    expect(pass.Resource).to.equal(result.variables.AWS_CFN_EXECUTION_ROLE_ARN);
    expect(pass.Condition).to.deep.equal({ StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } });
    expect(statements.find((s) => s.Sid === 'ApiStacks')!.Resource).to.equal(`arn:aws:cloudformation:${suite.moto.region}:123456789012:stack/api*/*`);

    const execution = await role(result.variables.AWS_CFN_EXECUTION_ROLE_ARN!);
    expect(execution.trust.Statement[0]!.Principal).to.deep.equal({ Service: 'cloudformation.amazonaws.com' });
    // The bootstrap stack's own roles are outside the PREFIX* scope the deploy role can reach.
    expect(deploy.name.startsWith('api')).to.equal(false);

    // Run again with the same settings: nothing to do, said as such.
    const again = await cli(['bootstrap-ci', '--repo', 'octo-org/my-api', '--stack-name', 'api', '--yes']);
    expect(again.stderr).to.match(/No changes: stack github-oidc-api already trusts octo-org\/my-api/);
    expect(again.stdout.join('\n')).to.include(`gh variable set AWS_DEPLOY_ROLE_ARN --repo octo-org/my-api --body ${result.variables.AWS_DEPLOY_ROLE_ARN}`);
  });

  it('trusts an existing provider instead of creating one', async () => {
    const provider = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] }));
    const { stdout } = await cli(['bootstrap-ci', '--repo', 'octo-org/other', '--stack-name', 'other', '--existing-provider-arn', provider.OpenIDConnectProviderArn!, '--prod-environment', 'production', '--yes', '--json']);
    const result = JSON.parse(stdout.join('\n')) as { outputs: Record<string, string>; variables: Record<string, string> };
    expect(result.outputs.ProviderArn).to.equal(provider.OpenIDConnectProviderArn);
    const { trust } = await role(result.variables.AWS_DEPLOY_ROLE_ARN!);
    expect(trust.Statement[0]!.Principal).to.deep.equal({ Federated: provider.OpenIDConnectProviderArn });
    expect(trust.Statement[0]!.Condition!.StringEquals!['token.actions.githubusercontent.com:sub']).to.deep.equal(['repo:octo-org/other:environment:dev', 'repo:octo-org/other:environment:production']);
  });

  // Each refused before any AWS call: exit 2 and a message naming the flag.
  for (const [args, message] of [
    [['--repo', 'not-a-repo'], /--repo "not-a-repo" is not OWNER\/NAME/],
    [['--repo', 'o/' + 'n'.repeat(101)], /is not OWNER\/NAME/],
    [['--repo', 'o/n', '--existing-provider-arn', 'arn:aws:iam::123456789012:oidc-provider/accounts.google.com'], /--existing-provider-arn .* is not the ARN of a token\.actions\.githubusercontent\.com/],
    [['--repo', 'o/n', '--dev-environment', 'dev:*'], /--dev-environment "dev:\*" is not a GitHub environment name/],
    [['--repo', 'o/n'], /no terminal to confirm on and no --yes/],
  ] as const) {
    it(`refuses ${args.join(' ')} with exit 2`, async () => {
      const err = await cliError(['bootstrap-ci', '--stack-name', 'refused', ...args]);
      expect(err.exitCode).to.equal(2);
      expect(err.message).to.match(message);
    });
  }
});
