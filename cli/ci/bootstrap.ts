/**
 * `cli bootstrap-ci`: deploys infra/cfn/github-oidc.yaml (GitHub's OIDC provider, the deploy role
 * GitHub Actions assumes and the CloudFormation execution role) through a change set, as `cli
 * deploy` does for the API, and says which repository variables the workflows read.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { CliError, UsageError } from '../errors.js';
import type { AwsClients } from '../aws/clients.js';
import type { StackDescription } from '../aws/stack-api.js';
import { changeSetName, confirmChangeSet, createChangeSet, executeHint, type ChangeSetRef } from '../deploy/change-set.js';
import { DEFAULT_POLL_MS, defaultSleep, followStack, stoppedWaiting, type StackWatch } from '../deploy/follow-stack.js';
import { formatChangeTable } from '../deploy/preview.js';
import { isSuccessStatus } from '../deploy/progress-state.js';
import { failureDetails } from '../deploy/root-cause.js';
import { planForStack } from '../deploy/stack-state.js';
import { DEFAULT_STACK_NAME } from '../template/project.js';

/** Relative to the project root. */
export const OIDC_TEMPLATE_PATH = join('infra', 'cfn', 'github-oidc.yaml');

export const DEFAULT_BOOTSTRAP_STACK_NAME = `${DEFAULT_STACK_NAME}-github-oidc`;

export interface BootstrapOptions {
  /** OWNER/NAME. */
  repo: string;
  stackName: string;
  /** The API stacks' name prefix (the deploy role reaches PREFIX* only). */
  apiStackName: string;
  existingProviderArn?: string;
  devEnvironment?: string;
  prodEnvironment?: string;
  yes?: boolean;
  /** Flags to repeat in hints. */
  hintFlags?: string;
}

export interface BootstrapDeps extends StackWatch {
  aws: Pick<AwsClients, 'region' | 'profile' | 'stacks' | 'identity'>;
  root: string;
  confirm?(question: string): Promise<boolean>;
}

export interface BootstrapResult {
  stackName: string;
  status: 'deployed' | 'no-changes';
  outputs: Record<string, string>;
  /** Repository variables the workflows in .github/workflows read. */
  variables: Record<string, string>;
}

// GitHub: owner 1-39 characters of letters, digits and inner hyphens; repository name up to 100
// of letters, digits, '.', '_' and '-'. The template's AllowedPattern says the same.
const REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const ENVIRONMENT = /^[^:*?,\s][^:*?,]{0,254}$/;

/** The command line's values, checked before any AWS call (the template's constraints, said here first). */
export function checkBootstrapOptions(options: BootstrapOptions): void {
  const shown = (v: string) => JSON.stringify(v.length > 120 ? v.slice(0, 120) + '...' : v);
  if (!REPO.test(options.repo)) {
    throw new UsageError(`--repo ${shown(options.repo)} is not OWNER/NAME of a GitHub repository`, { details: ['e.g. --repo octo-org/my-api'] });
  }
  if (options.existingProviderArn !== undefined && !PROVIDER_ARN.test(options.existingProviderArn)) {
    throw new UsageError(`--existing-provider-arn ${shown(options.existingProviderArn)} is not the ARN of a token.actions.githubusercontent.com OIDC provider`, {
      details: ['List them with: aws iam list-open-id-connect-providers'],
    });
  }
  for (const [flag, value] of [['--dev-environment', options.devEnvironment], ['--prod-environment', options.prodEnvironment]] as const) {
    if (value !== undefined && !ENVIRONMENT.test(value)) {
      throw new UsageError(`${flag} ${shown(value)} is not a GitHub environment name this role can trust (no ':', '*', '?' or ',')`);
    }
  }
}

export async function bootstrapCi(options: BootstrapOptions, deps: BootstrapDeps): Promise<BootstrapResult> {
  checkBootstrapOptions(options);
  const { aws, reporter } = deps;
  const flags = options.hintFlags ?? '';
  const text = await readFile(join(deps.root, OIDC_TEMPLATE_PATH), 'utf8');
  const me = await aws.identity.whoAmI();
  reporter.info(`Bootstrapping CI for ${options.repo}: stack ${options.stackName} in account ${me.account}, ${aws.region} as ${me.arn}`);

  const existing = await aws.stacks.describeStack(options.stackName);
  const plan = planForStack(existing, { continueRollback: false, resourceCount: undefined, stackFlags: flags });
  if (plan.action === 'blocked' || plan.action === 'continue-rollback' || plan.action === 'recreate') {
    throw new CliError(`Stack ${options.stackName} is ${existing?.status}: bootstrap-ci only creates or updates a stack that is settled.`, {
      details: [`Delete it (aws cloudformation delete-stack --stack-name ${options.stackName} --region ${aws.region}) and run bootstrap-ci again.`],
    });
  }
  if (!options.yes && (!deps.interactive || !deps.confirm)) {
    // Said before a change set exists, so nothing is left behind.
    throw new UsageError('Not bootstrapping: no terminal to confirm on and no --yes.', { details: [`Run it on a terminal, or: npx cli bootstrap-ci --repo ${options.repo} --yes${flags}`] });
  }

  const parameters = [
    { key: 'Repository', value: options.repo },
    { key: 'StackNamePrefix', value: options.apiStackName },
    { key: 'ExistingProviderArn', value: options.existingProviderArn ?? '' },
    ...(options.devEnvironment !== undefined ? [{ key: 'DevEnvironment', value: options.devEnvironment }] : []),
    ...(options.prodEnvironment !== undefined ? [{ key: 'ProdEnvironment', value: options.prodEnvironment }] : []),
  ];
  const cs: ChangeSetRef = { stackName: options.stackName, name: changeSetName((deps.now ?? Date.now)()), type: existing ? 'UPDATE' : 'CREATE', region: aws.region, flags };
  const outcome = await createChangeSet(
    aws.stacks,
    { stackName: cs.stackName, changeSetName: cs.name, type: cs.type, template: { body: text }, parameters, capabilities: ['CAPABILITY_IAM'], description: `npx cli bootstrap-ci --repo ${options.repo}` },
    { sleep: deps.sleep ?? defaultSleep, intervalMs: Math.min(deps.pollIntervalMs ?? DEFAULT_POLL_MS, 1_000), signal: deps.signal },
  );
  if (outcome.kind === 'empty') {
    if (outcome.created) await aws.stacks.deleteChangeSet(cs.stackName, cs.name);
    reporter.info(reporter.color.green(`No changes: stack ${options.stackName} already trusts ${options.repo} with these settings.`));
    return result(options, 'no-changes', existing ?? (await aws.stacks.describeStack(options.stackName)));
  }
  reporter.info(`${cs.type === 'CREATE' ? 'Creating' : 'Updating'} stack ${options.stackName}: ${outcome.changeSet.changes.length} resource changes`);
  for (const line of formatChangeTable(outcome.changeSet.changes, reporter.color)) reporter.info(line);
  await confirmChangeSet(aws.stacks, reporter, cs, { yes: options.yes, interactive: deps.interactive, confirm: deps.confirm, dataLoss: false, signal: deps.signal });
  reporter.info(`Executing change set ${cs.name}...`);
  await aws.stacks.executeChangeSet(cs.stackName, cs.name);
  const followed = await followStack(aws.stacks, deps, { stackName: cs.stackName, stackId: outcome.stackId }, { since: outcome.changeSet.creationTime });
  if (followed.aborted) throw stoppedWaiting('the bootstrap goes on in CloudFormation', flags);
  const final = await aws.stacks.describeStack(outcome.stackId);
  if (!final || !isSuccessStatus(final.status)) {
    throw new CliError(`Bootstrap of ${options.stackName} failed: the stack is ${final?.status ?? 'in an unknown state'}`, {
      details: [...failureDetails(followed.state.events, options.stackName, final?.status, { region: aws.region, profile: aws.profile, flags }), executeHint(cs)],
    });
  }
  reporter.info(reporter.color.green(`Stack ${options.stackName} is ${final.status}.`));
  return result(options, 'deployed', final);
}

function result(options: BootstrapOptions, status: BootstrapResult['status'], stack: StackDescription | undefined): BootstrapResult {
  const outputs = Object.fromEntries((stack?.outputs ?? []).map((o) => [o.key, o.value]));
  const variables: Record<string, string> = {};
  if (outputs.DeployRoleArn) variables.AWS_DEPLOY_ROLE_ARN = outputs.DeployRoleArn;
  if (outputs.ExecutionRoleArn) variables.AWS_CFN_EXECUTION_ROLE_ARN = outputs.ExecutionRoleArn;
  const region = stack?.stackId.split(':')[3];
  if (region) variables.AWS_REGION = region;
  return { stackName: options.stackName, status, outputs, variables };
}
