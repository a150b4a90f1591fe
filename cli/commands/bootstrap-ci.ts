/** `cli bootstrap-ci`: commander wiring for cli/ci/bootstrap.ts. */
import { Command } from 'commander';
import { bootstrapCi, type BootstrapResult } from '../ci/bootstrap.js';
import type { ProgramDeps } from './deps.js';
import { terminalIo, withInterrupt, withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface BootstrapFlags extends StackCommandOptions {
  repo: string;
  bootstrapStackName?: string;
  existingProviderArn?: string;
  devEnvironment?: string;
  prodEnvironment?: string;
  yes: boolean;
}

export async function bootstrapFromFlags(flags: BootstrapFlags, deps: ProgramDeps): Promise<BootstrapResult> {
  // The API stacks' names are the target's (stack-name flag, config, default) without a stage:
  // the deploy role reaches NAME and NAME-<stage>.
  return withStack({ ...flags, stage: undefined }, deps, ({ target, aws, hintFlags }) =>
    withInterrupt(async (signal) => {
      const io = terminalIo(deps, signal);
      const result = await bootstrapCi(
        {
          repo: flags.repo,
          // Not PREFIX-...: the deploy role may run CloudFormation on PREFIX* stacks, and must not
          // be able to update the stack that defines its own rights.
          stackName: flags.bootstrapStackName ?? `github-oidc-${target.stackName}`.slice(0, 128),
          apiStackName: target.stackName,
          existingProviderArn: flags.existingProviderArn,
          devEnvironment: flags.devEnvironment,
          prodEnvironment: flags.prodEnvironment,
          yes: flags.yes,
          hintFlags,
        },
        { reporter: deps.reporter, aws, root: deps.root, interactive: io.interactive, confirm: io.prompt?.confirm, terminal: io.terminal, signal },
      );
      if (flags.json) {
        deps.reporter.result(JSON.stringify(result, null, 2));
        return result;
      }
      deps.reporter.result('Set these repository variables (Settings > Secrets and variables > Actions > Variables), or with the GitHub CLI:');
      for (const [name, value] of Object.entries(result.variables)) deps.reporter.result(`  gh variable set ${name} --repo ${flags.repo} --body ${value}`);
      return result;
    }),
  );
}

export function bootstrapCiCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('bootstrap-ci')
      .description("Let GitHub Actions of one repository deploy this stack without long-lived keys: GitHub's OIDC provider and a least-privilege deploy role (infra/cfn/github-oidc.yaml).")
      .requiredOption('--repo <owner/name>', 'the GitHub repository whose workflows may deploy')
      .option('--bootstrap-stack-name <name>', 'stack of the roles (default github-oidc-<stack name>)')
      .option('--existing-provider-arn <arn>', "reuse the account's token.actions.githubusercontent.com provider (an account has at most one)")
      .option('--dev-environment <name>', 'GitHub environment of the push-to-main deploy job (default dev)')
      .option('--prod-environment <name>', 'GitHub environment of the tag deploy job (default prod)')
      .option('-y, --yes', 'execute without asking (required when there is no terminal)', false),
  )
    .addHelpText('after', `
The deploy role trusts only tokens for repo:OWNER/NAME:environment:<dev|prod>, can only run
CloudFormation on the stack name (and NAME-<stage>), write the artifact bucket, and pass one role:
the CloudFormation execution role, which creates the API's resources. .github/workflows/deploy.yml
reads the role ARNs from the repository variables this command prints.

Examples:
  $ npx cli bootstrap-ci --repo octo-org/my-api
  $ npx cli bootstrap-ci --repo octo-org/my-api --existing-provider-arn arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com --yes`)
    .action(async (flags: BootstrapFlags) => {
      await bootstrapFromFlags(flags, deps);
    });
}
