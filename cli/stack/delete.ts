/**
 * `cli delete`: delete the stack and wait; say what outlives it (the table, by its
 * DeletionPolicy) and how to remove it; `--delete-data` removes it too, after typing the stack
 * name (or --yes); remove this stack's artifacts from the managed bucket.
 */
import { CliError, UsageError } from '../errors.js';
import { withAwsFailures } from '../aws/aws-errors.js';
import type { ArtifactStore } from '../aws/artifact-store.js';
import type { TableApi } from '../aws/data-api.js';
import type { Identity } from '../aws/identity.js';
import type { StackApi } from '../aws/stack-api.js';
import { parseTemplate } from '../template/read-template.js';
import { managedBucketName } from '../deploy/artifacts.js';
import { runStackOperation, stoppedWaiting, type StackWatch } from '../deploy/follow-stack.js';
import type { Prompter } from '../deploy/prompt.js';
import { failureDetails } from '../deploy/root-cause.js';

export interface DeleteOptions {
  stackName: string;
  yes?: boolean;
  deleteData?: boolean;
  hintFlags?: string;
}

export interface DeleteDeps extends StackWatch {
  aws: { region: string; profile?: string; stacks: StackApi; artifacts: ArtifactStore; identity: Identity; tables: TableApi };
  prompt?: Prompter;
}

export interface RetainedTable {
  logicalId: string;
  tableName: string;
  deletionPolicy: string;
  deleted: boolean;
}

export interface DeleteResult {
  stackName: string;
  region: string;
  status: 'deleted' | 'absent';
  retainedTables: RetainedTable[];
  artifactsRemoved: number;
}

/** DeletionPolicy values that keep the resource when the stack goes. */
const KEEPS = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

export async function deleteStack(options: DeleteOptions, deps: DeleteDeps): Promise<DeleteResult> {
  return withAwsFailures({ profile: deps.aws.profile }, () => runDelete(options, deps));
}

async function runDelete(options: DeleteOptions, deps: DeleteDeps): Promise<DeleteResult> {
  const { reporter, aws } = deps;
  const flags = options.hintFlags ?? '';
  const me = await aws.identity.whoAmI();
  const stack = await aws.stacks.describeStack(options.stackName);
  if (!stack) {
    reporter.info(`Stack ${options.stackName} does not exist in ${aws.region} (account ${me.account}); nothing to delete.`);
    const removed = await cleanArtifacts(options.stackName, me.account, deps);
    return { stackName: options.stackName, region: aws.region, status: 'absent', retainedTables: [], artifactsRemoved: removed };
  }
  if (stack.terminationProtection) {
    throw new CliError(`Stack ${options.stackName} has termination protection on; nothing was deleted.`, {
      details: [
        `Turn it off first: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${options.stackName} --region ${aws.region}`,
      ],
    });
  }

  const tables = await retainedTables(aws.stacks, stack.stackId);
  reporter.info(`Deleting stack ${options.stackName} (${stack.status}) from account ${me.account} in ${aws.region}.`);
  for (const t of tables) {
    reporter.info(
      options.deleteData
        ? reporter.color.red(`--delete-data: table ${t.tableName} and ALL its items will be deleted too.`)
        : `Table ${t.tableName} is kept (DeletionPolicy: ${t.deletionPolicy}) with its data; add --delete-data to delete it too.`,
    );
  }
  await confirmDelete(options, deps, tables.length > 0 && options.deleteData === true);

  const outcome = await runStackOperation(aws.stacks, deps, stack, () => aws.stacks.deleteStack(stack.stackId));
  if (outcome.aborted) throw stoppedWaiting('the stack is still being deleted', flags);
  const status = outcome.state.stackStatus;
  if (status !== 'DELETE_COMPLETE') {
    throw new CliError(`Could not delete stack ${options.stackName} (${status ?? 'unknown status'})`, {
      details: failureDetails(outcome.state.events, stack.stackName, status, { region: aws.region, profile: aws.profile, flags }),
    });
  }
  reporter.info(reporter.color.green(`Deleted stack ${options.stackName}.`));

  const cliArgs = ` --region ${aws.region}` + (aws.profile ? ` --profile ${aws.profile}` : '');
  for (const t of tables) {
    const protectedTable = await aws.tables.deletionProtected(t.tableName);
    if (options.deleteData) {
      // --delete-data is the confirmed request to delete the table, so it lifts the protection
      // (TableDeletionProtection) that guards against deletes nobody meant.
      if (protectedTable) {
        reporter.info(`Table ${t.tableName} has deletion protection on; --delete-data turns it off to delete the table.`);
        await aws.tables.disableDeletionProtection(t.tableName);
      }
      t.deleted = await aws.tables.deleteTable(t.tableName);
      reporter.info(t.deleted ? `Deleted table ${t.tableName}.` : `Table ${t.tableName} was already gone.`);
    } else {
      // Once the stack is gone `cli delete --delete-data` no longer finds the table: name the AWS CLI calls.
      const unprotect = protectedTable ? `aws dynamodb update-table --table-name ${t.tableName} --no-deletion-protection-enabled${cliArgs} && ` : '';
      reporter.info(`Table ${t.tableName} was retained with its data. To delete it: ${unprotect}aws dynamodb delete-table --table-name ${t.tableName}${cliArgs}`);
    }
  }
  const removed = await cleanArtifacts(options.stackName, me.account, deps);
  return { stackName: options.stackName, region: aws.region, status: 'deleted', retainedTables: tables, artifactsRemoved: removed };
}

/** The stack's tables whose DeletionPolicy keeps them, with their physical names. */
async function retainedTables(stacks: StackApi, stackId: string): Promise<RetainedTable[]> {
  const resources = (await stacks.listResources(stackId)).filter((r) => r.resourceType === 'AWS::DynamoDB::Table' && r.physicalId);
  if (resources.length === 0) return [];
  const template = parseTemplate(await stacks.getTemplate(stackId), { file: 'deployed template' });
  return resources
    .map((r) => ({ r, policy: String(template.Resources[r.logicalId]?.DeletionPolicy ?? 'Delete') }))
    .filter(({ policy }) => KEEPS.has(policy))
    .map(({ r, policy }) => ({ logicalId: r.logicalId, tableName: r.physicalId!, deletionPolicy: policy, deleted: false }));
}

async function confirmDelete(options: DeleteOptions, deps: DeleteDeps, dataToo: boolean): Promise<void> {
  if (options.yes) return;
  if (!deps.interactive || !deps.prompt) {
    throw new UsageError(`Not deleting ${options.stackName}: no terminal to confirm on. Pass --yes to delete without asking.`);
  }
  if (dataToo) {
    const typed = await deps.prompt.ask(`Type the stack name (${options.stackName}) to delete it AND its table data: `);
    if (typed === undefined) throw new CliError('Not deleted: no name typed (end of input).');
    if (typed !== options.stackName) throw new CliError('Not deleted: the name typed did not match.');
    return;
  }
  if (!(await deps.prompt.confirm(`Delete stack ${options.stackName}? [y/N] `))) throw new CliError('Not deleted.');
}

/** Removes `<stack>/` from the managed bucket (the user's own --bucket is left alone). */
async function cleanArtifacts(stackName: string, account: string, deps: DeleteDeps): Promise<number> {
  const { artifacts, region } = deps.aws;
  const bucket = { name: managedBucketName(account, region), expectedOwner: account };
  if ((await artifacts.bucketRegion(bucket)) === undefined) return 0;
  const keys = await artifacts.list(bucket, `${stackName}/`);
  if (keys.length > 0) {
    await artifacts.deleteObjects(bucket, keys);
    deps.reporter.info(`Removed ${keys.length} artifact${keys.length > 1 ? 's' : ''} of ${stackName} from s3://${bucket.name}/${stackName}/`);
  }
  return keys.length;
}
