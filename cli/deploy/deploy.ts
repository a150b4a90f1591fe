/**
 * `cli deploy`, as named steps: parameters -> banner -> stack state -> bucket -> build -> lint ->
 * upload -> ready the stack -> change set (or none needed) -> preview -> confirm -> execute ->
 * wait -> outputs. This file only strings the steps together; each concept lives in its own
 * module (change-set.ts, template-source.ts, root-cause.ts, follow-stack.ts, deploy-result.ts).
 * Progress goes to stderr through the reporter; the result is returned as data (the command
 * prints it).
 */
import { readFile } from 'node:fs/promises';
import { unwritableFile, writeFileAtomically } from '../fs/atomic-write.js';
import { CliError, InterruptedError } from '../errors.js';
import { awsFailure, withAwsFailures } from '../aws/aws-errors.js';
import type { BucketRef } from '../aws/artifact-store.js';
import type { AwsClients } from '../aws/clients.js';
import type { ChangeSetDescription, ChangeSetParameter, RollbackConfiguration, StackDescription } from '../aws/stack-api.js';
import type { Artifact } from '../build/artifact.js';
import { CfnLintNotInstalledError, formatFinding, type LintResult } from '../lint/cfn-lint.js';
import { resolveParameters } from '../template/parameters.js';
import {
  ARTIFACT_EXPIRY_DAYS,
  artifactObjectKey,
  resolveArtifactBucket,
  uploadIfAbsent,
  type ArtifactBucket,
  type UploadResult,
} from './artifacts.js';
import {
  alreadyDeployed,
  ChangeSetFailedError,
  changeSetName,
  confirmChangeSet,
  createChangeSet,
  discardChangeSet,
  executeHint,
  type ChangeSetOutcome,
  type ChangeSetRef,
} from './change-set.js';
import { deployResult, type DeployResult } from './deploy-result.js';
import { DEFAULT_POLL_MS, defaultSleep, followStack, runStackOperation, stoppedWaiting, type StackWatch } from './follow-stack.js';
import { changeSetParameters, parameterLayers } from './parameters.js';
import { localTemplate } from './local-template.js';
import { DEFAULT_MONITORING_MINUTES, rollbackConfiguration } from './rollback-triggers.js';
import { codeTarget, functionName, lambdaCodeSha256, updateCodeAndWait } from './function-code.js';
import { dataLossRisks, formatChangeTable, formatDataLossWarnings, type DataLossRisk } from './preview.js';
import { isSuccessStatus } from './progress-state.js';
import { failureDetails, type HintContext } from './root-cause.js';
import { planForStack, type StackPlan } from './stack-state.js';
import { placeTemplate, requiredCapabilities, TEMPLATE_BODY_LIMIT, type DeployTemplate, type TemplatePlacement } from './template-source.js';

/**
 * The part of the AWS clients a deploy uses (tests pass fakes of just these). Without `functions`
 * the running code is not checked against the stack (tests of a scripted CloudFormation, which
 * has no function to ask).
 */
export type DeployAws = Pick<AwsClients, 'region' | 'profile' | 'endpoint' | 'stacks' | 'artifacts' | 'identity'> & Partial<Pick<AwsClients, 'functions'>>;

export interface DeployDeps extends StackWatch {
  aws: DeployAws;
  build(): Promise<Artifact>;
  /** Throws CfnLintNotInstalledError when cfn-lint is absent. `cached`: a remembered verdict. */
  lint(): Promise<LintResult & { cached?: boolean }>;
  /** The template source (infra/cfn/template.yaml), parsed; deploy prepares it (prepareTemplate). */
  loadTemplate(): Promise<DeployTemplate>;
  readFile?(path: string): Promise<Uint8Array>;
  /** Asks a yes/no question on the terminal; only called when `interactive`. */
  confirm?(question: string): Promise<boolean>;
}

export interface DeployOptions {
  stackName: string;
  stage?: string;
  /** From cli.config.json (top level, then the stage). */
  configParameters?: Record<string, string>;
  /** --parameter-overrides, already parsed. */
  parameterOverrides?: Record<string, string>;
  bucket?: string;
  yes?: boolean;
  /** false: --no-execute. */
  execute?: boolean;
  outputsFile?: string;
  protect?: boolean;
  skipLint?: boolean;
  continueRollback?: boolean;
  /** Flags to repeat in hints (`--stage dev --region eu-west-1`). */
  hintFlags?: string;
  /** --role-arn: the CloudFormation service role the change set runs with. */
  roleArn?: string;
  /** --rollback-monitoring: minutes CloudFormation watches the alarms after the update (default 5). */
  rollbackMonitoringMinutes?: number;
}

export async function deploy(options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  return withAwsFailures({ profile: deps.aws.profile, region: deps.aws.region }, () => runDeploy(options, deps));
}

interface Context {
  options: DeployOptions;
  deps: DeployDeps;
  reporter: DeployDeps['reporter'];
  now: () => number;
  flags: string;
  hints: HintContext;
}

/** Everything a result says before the change set: where, and what was uploaded and sent. */
type ResultBase = Pick<DeployResult, 'stackName' | 'account' | 'region' | 'artifact' | 'template'>;
/** The change set step's answer: one ready to run, or why none is needed. */
type ChangeSetStep = Extract<ChangeSetOutcome, { kind: 'ready' }> | { kind: 'none'; why: string };

async function runDeploy(options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  const flags = options.hintFlags ?? '';
  const ctx: Context = {
    options,
    deps,
    reporter: deps.reporter,
    now: deps.now ?? Date.now,
    flags,
    hints: { region: deps.aws.region, profile: deps.aws.profile, flags },
  };
  const { aws } = deps;

  const template = await deps.loadTemplate();
  const declared = template.template.Parameters ?? {};
  // A name the template lacks or a value its constraints refuse fails before any AWS call.
  resolveParameters(declared, parameterLayers(options, declared));

  const account = await banner(ctx);
  const existing = await aws.stacks.describeStack(options.stackName);
  const plan = await stackPlan(ctx, existing);
  // A parameter without any value (none given, no Default, none kept from the running stack)
  // fails here, before a dead stack is deleted, a bucket created or a zip uploaded (the
  // artifact's real key is not known yet; a valid stand-in takes its place).
  changeSetParameters({
    declared,
    layers: parameterLayers(options, declared),
    previous: plan.action === 'update' || plan.action === 'continue-rollback' ? existing?.parameters : undefined,
  });
  const bucket = await resolveArtifactBucket({ artifacts: aws.artifacts, region: aws.region, account, bucket: options.bucket });
  checkAborted(ctx);

  const artifact = await buildStep(ctx);
  await lintStep(ctx);
  checkAborted(ctx);
  const upload = await uploadStep(ctx, bucket, artifact);

  const current = await readyStackStep(ctx, plan, existing);
  checkAborted(ctx);

  const { parameters, text, placed } = await templateStep(ctx, template, bucket.ref, upload.key, current);
  const base: ResultBase = {
    stackName: options.stackName,
    account,
    region: aws.region,
    artifact: { bucket: bucket.ref.name, key: upload.key, uploaded: upload.uploaded, bytes: upload.bytes },
    template: { inline: 'body' in placed.source, bytes: placed.bytes },
  };
  const outputOrder = Object.keys(template.template.Outputs ?? {});
  const cs: ChangeSetRef = { stackName: options.stackName, name: changeSetName(ctx.now()), type: current ? 'UPDATE' : 'CREATE', region: aws.region, flags };

  const reconcile = (after: StackDescription | undefined) => reconcileStep(ctx, template, current, after, artifact, { bucket: bucket.ref.name, key: upload.key });
  const step = await changeSetStep(ctx, cs, current, {
    text,
    placed,
    parameters,
    capabilities: requiredCapabilities(template.template),
    artifactKey: upload.key,
  });
  if (step.kind === 'none') return noChangesStep(ctx, base, current, step.why, outputOrder, reconcile);

  const risks = previewStep(ctx, step.changeSet, cs.type);
  const planned: Pick<DeployResult, 'changeSet' | 'dataLossRisks'> = {
    changeSet: { name: cs.name, type: cs.type, changes: step.changeSet.changes },
    dataLossRisks: risks.map((r) => ({ logicalId: r.change.logicalId, resourceType: r.change.resourceType, kind: r.kind })),
  };
  if (options.execute === false) {
    ctx.reporter.info(`--no-execute: change set ${cs.name} is left on stack ${options.stackName} for review; nothing was deployed.`);
    ctx.reporter.info(executeHint(cs));
    return deployResult({ ...base, ...planned, status: 'not-executed', stackId: step.stackId, stackStatus: current?.status ?? 'REVIEW_IN_PROGRESS' }, current, outputOrder);
  }

  await confirmChangeSet(aws.stacks, ctx.reporter, cs, {
    yes: options.yes,
    interactive: deps.interactive,
    confirm: deps.confirm,
    dataLoss: risks.length > 0,
    signal: deps.signal,
  });
  await executeStep(ctx, cs);
  const final = await waitStep(ctx, step.stackId, step.changeSet);
  const reconciled = await reconcile(final);
  await protectStep(ctx, final);
  return outputsStep(ctx, deployResult({ ...base, ...planned, status: 'deployed', stackId: step.stackId, stackStatus: final?.status, reconciled }, final, outputOrder));
}

function checkAborted(ctx: Context): void {
  if (ctx.deps.signal?.aborted) throw new InterruptedError('Interrupted before anything was deployed.');
}

async function banner(ctx: Context): Promise<string> {
  const { aws } = ctx.deps;
  const me = await aws.identity.whoAmI();
  const { bold } = ctx.reporter.color;
  ctx.reporter.info(
    `Deploying ${bold(ctx.options.stackName)} to account ${bold(me.account)} in ${bold(aws.region)} as ${me.arn}` +
      (aws.profile ? ` (profile ${aws.profile})` : '') +
      (aws.endpoint ? ` via ${aws.endpoint}` : ''),
  );
  return me.account;
}

async function stackPlan(ctx: Context, existing: StackDescription | undefined): Promise<StackPlan> {
  const resourceCount = existing?.status === 'CREATE_FAILED' ? (await ctx.deps.aws.stacks.listResources(existing.stackId)).length : undefined;
  const plan = planForStack(existing, { continueRollback: ctx.options.continueRollback === true, resourceCount, stackFlags: ctx.flags });
  if (plan.action === 'blocked') throw new CliError(plan.message, { details: plan.details });
  if (ctx.options.continueRollback && plan.action !== 'continue-rollback') {
    ctx.reporter.warn(`--continue-rollback: stack ${ctx.options.stackName} is ${existing?.status ?? 'absent'}, not UPDATE_ROLLBACK_FAILED; nothing to continue.`);
  }
  return plan;
}

async function buildStep(ctx: Context): Promise<Artifact> {
  const artifact = await ctx.deps.build();
  ctx.reporter.info(`Built ${artifact.key} (${formatBytes(artifact.size)})`);
  return artifact;
}

async function lintStep(ctx: Context): Promise<void> {
  if (ctx.options.skipLint) {
    ctx.reporter.warn('--skip-lint: the template was not linted.');
    return;
  }
  let result: LintResult & { cached?: boolean };
  try {
    result = await ctx.deps.lint();
  } catch (err) {
    if (err instanceof CfnLintNotInstalledError) {
      ctx.reporter.warn(`lint skipped: ${(err as Error).message}`);
      return;
    }
    throw err;
  }
  if (result.cached) ctx.reporter.info('Lint: template unchanged since its last cfn-lint run (cached verdict).');
  for (const f of result.findings) {
    if (f.level === 'error') ctx.reporter.error(formatFinding(f));
    else if (f.level === 'warning') ctx.reporter.warn(formatFinding(f));
  }
  if (result.errors > 0) {
    throw new CliError(`cfn-lint found ${result.errors} error${result.errors > 1 ? 's' : ''} in the template; nothing was deployed.`, {
      details: ['Fix them (see `npx cli lint`), or deploy anyway with --skip-lint.'],
    });
  }
}

async function uploadStep(ctx: Context, bucket: ArtifactBucket, artifact: Artifact): Promise<UploadResult> {
  const { artifacts, region, endpoint } = ctx.deps.aws;
  if (bucket.missing) {
    const tlsOnly = !endpoint?.startsWith('http:');
    ctx.reporter.info(
      `Creating artifact bucket ${bucket.ref.name} (private, encrypted, ${tlsOnly ? 'TLS only' : 'no TLS-only policy: the endpoint is plain http'}, artifacts expire after ${ARTIFACT_EXPIRY_DAYS} days)`,
    );
    await artifacts.createManagedBucket(bucket.ref, region, { expireAfterDays: ARTIFACT_EXPIRY_DAYS, tlsOnly });
  }
  const read = ctx.deps.readFile ?? ((path: string) => readFile(path));
  const result = await uploadIfAbsent({
    artifacts,
    bucket: bucket.ref,
    key: artifactObjectKey(ctx.options.stackName, artifact.key),
    body: () => read(artifact.zipPath),
    contentType: 'application/zip',
    now: ctx.now(),
  });
  ctx.reporter.info(
    result.uploaded
      ? `Uploaded s3://${bucket.ref.name}/${result.key} (${formatBytes(result.bytes)})`
      : `Code unchanged: s3://${bucket.ref.name}/${result.key} is already there (0 bytes uploaded)`,
  );
  return result;
}

/** A stack that cannot take a change set as it stands is deleted first, or its rollback finished. */
async function readyStackStep(ctx: Context, plan: StackPlan, existing: StackDescription | undefined): Promise<StackDescription | undefined> {
  if (plan.action === 'recreate') return deleteDeadStack(ctx, existing!, plan.reason);
  if (plan.action === 'continue-rollback') return continueRollback(ctx, existing!);
  return existing;
}

async function deleteDeadStack(ctx: Context, stack: StackDescription, reason: string): Promise<undefined> {
  ctx.reporter.warn(reason);
  const { stacks } = ctx.deps.aws;
  const outcome = await runStackOperation(stacks, ctx.deps, stack, () => stacks.deleteStack(stack.stackId));
  if (outcome.aborted) throw stoppedWaiting('the stack is still being deleted', ctx.flags);
  const status = outcome.state.stackStatus;
  if (status !== 'DELETE_COMPLETE') {
    throw new CliError(`Could not delete stack ${stack.stackName} (${status ?? 'unknown status'})`, { details: failureDetails(outcome.state.events, ctx.options.stackName, status, ctx.hints) });
  }
  ctx.reporter.info(`Deleted stack ${stack.stackName}.`);
  return undefined;
}

async function continueRollback(ctx: Context, stack: StackDescription): Promise<StackDescription | undefined> {
  ctx.reporter.info(`Continuing the rollback of ${stack.stackName} (ContinueUpdateRollback)...`);
  const { stacks } = ctx.deps.aws;
  const outcome = await runStackOperation(stacks, ctx.deps, stack, () => stacks.continueUpdateRollback(stack.stackId));
  if (outcome.aborted) throw stoppedWaiting('the rollback goes on', ctx.flags);
  const status = outcome.state.stackStatus;
  if (status !== 'UPDATE_ROLLBACK_COMPLETE') {
    throw new CliError(`The rollback of ${stack.stackName} did not complete (${status ?? 'unknown status'})`, {
      details: failureDetails(outcome.state.events, ctx.options.stackName, status, ctx.hints),
    });
  }
  ctx.reporter.info(`Rollback complete; deploying.`);
  return stacks.describeStack(stack.stackId);
}

/**
 * The template as sent: the parameters with the uploaded artifact's key (a declared parameter
 * given no new value keeps the stack's), the text prepared with them, and where CloudFormation
 * reads it from.
 */
async function templateStep(
  ctx: Context,
  template: DeployTemplate,
  bucket: BucketRef,
  artifactKey: string,
  current: StackDescription | undefined,
): Promise<{ parameters: ChangeSetParameter[]; text: string; placed: TemplatePlacement }> {
  const { parameters, text } = localTemplate(template, ctx.options, { bucket: bucket.name, key: artifactKey }, current?.parameters);
  const { artifacts, region } = ctx.deps.aws;
  const placed = await placeTemplate({ artifacts, bucket, region, stackName: ctx.options.stackName, text, now: ctx.now() });
  if (placed.key !== undefined) {
    ctx.reporter.info(`Template is ${formatBytes(placed.bytes)}, over the ${TEMPLATE_BODY_LIMIT}-byte inline limit: passing it via s3://${bucket.name}/${placed.key}`);
  }
  return { parameters, text, placed };
}

/**
 * A change set ready to run, or why none is needed: the deployed stack already runs this
 * template and these parameters (no change set is made), or CloudFormation found no change (the
 * empty change set is deleted). A change set CloudFormation refused, or one Ctrl-C interrupted,
 * is discarded.
 */
async function changeSetStep(
  ctx: Context,
  cs: ChangeSetRef,
  current: StackDescription | undefined,
  input: { text: string; placed: TemplatePlacement; parameters: ChangeSetParameter[]; capabilities: ReturnType<typeof requiredCapabilities>; artifactKey: string },
): Promise<ChangeSetStep> {
  const { stacks } = ctx.deps.aws;
  const skip = await alreadyDeployed(stacks, current, input.text, input.parameters);
  if (skip.skip) return { kind: 'none', why: skip.reason };
  ctx.reporter.info(`Creating ${cs.type} change set ${cs.name} (${skip.reason})...`);
  const rollback = await rollbackStep(ctx, current);
  const outcome = await createChangeSet(
    stacks,
    {
      stackName: cs.stackName,
      changeSetName: cs.name,
      type: cs.type,
      template: input.placed.source,
      parameters: input.parameters,
      capabilities: input.capabilities,
      description: `npx cli deploy ${input.artifactKey}`,
      roleArn: ctx.options.roleArn,
      rollbackConfiguration: rollback,
    },
    { sleep: ctx.deps.sleep ?? defaultSleep, intervalMs: Math.min(ctx.deps.pollIntervalMs ?? DEFAULT_POLL_MS, 1_000), signal: ctx.deps.signal },
  ).catch(async (err: unknown) => {
    if (err instanceof ChangeSetFailedError || ctx.deps.signal?.aborted) await discardChangeSet(stacks, ctx.reporter, cs);
    throw err;
  });
  if (outcome.kind === 'ready') return outcome;
  if (outcome.created) await stacks.deleteChangeSet(cs.stackName, cs.name);
  return { kind: 'none', why: 'CloudFormation found no change to make' };
}

/** The stack's alarms as rollback triggers (none on a first deploy: they do not exist yet). */
async function rollbackStep(ctx: Context, current: StackDescription | undefined): Promise<RollbackConfiguration | undefined> {
  if (!current) return undefined;
  const minutes = ctx.options.rollbackMonitoringMinutes ?? DEFAULT_MONITORING_MINUTES;
  const config = rollbackConfiguration(current.stackId, await ctx.deps.aws.stacks.listResources(current.stackId), minutes);
  if (config) {
    ctx.reporter.info(`Rollback triggers: ${config.triggers.map((t) => t.arn.split(':').pop()).join(', ')}; CloudFormation rolls back if one goes into ALARM during the update or the ${minutes} minutes after.`);
  }
  return config;
}

/** "Nothing to do" is a success: the stack's Outputs, as after a deploy. */
async function noChangesStep(
  ctx: Context,
  base: ResultBase,
  current: StackDescription | undefined,
  why: string,
  outputOrder: string[],
  reconcile: (stack: StackDescription | undefined) => Promise<DeployResult['reconciled']>,
): Promise<DeployResult> {
  const { stackName } = ctx.options;
  ctx.reporter.info(ctx.reporter.color.green(`No changes: stack ${stackName} already runs this template, code and parameters (${why}).`));
  const stack = current ?? (await ctx.deps.aws.stacks.describeStack(stackName));
  const reconciled = await reconcile(stack);
  await protectStep(ctx, stack);
  return outputsStep(ctx, deployResult({ ...base, status: 'no-changes', stackId: stack?.stackId, stackStatus: stack?.status, dataLossRisks: [], reconciled }, stack, outputOrder));
}

/**
 * The drift a hotswap leaves, undone: when this deploy kept the stack's ArtifactKey (so
 * CloudFormation did not touch the code) but the function runs other code (an earlier
 * `--hotswap`), the function gets the stack's artifact back from S3 and the `live` alias goes
 * back to the stack's Version resource. One GetFunctionConfiguration when there is nothing to do.
 */
async function reconcileStep(
  ctx: Context,
  template: DeployTemplate,
  before: StackDescription | undefined,
  after: StackDescription | undefined,
  artifact: Artifact,
  s3: { bucket: string; key: string },
): Promise<DeployResult['reconciled']> {
  const { functions, stacks } = ctx.deps.aws;
  const target = codeTarget(template.template);
  if (!functions || !target || !before || !after || before.parameters.ArtifactKey !== s3.key) return undefined;
  const name = await functionName(stacks, after, template.template, target.logicalId);
  const state = await functions.getState(name);
  if (state.codeSha256 === lambdaCodeSha256(artifact.sha256)) return undefined;
  ctx.reporter.warn(`drift: ${name} runs other code than the stack's ArtifactKey ${s3.key} (an earlier --hotswap); putting the stack's code back (UpdateFunctionCode from s3://${s3.bucket}/${s3.key}).`);
  await updateCodeAndWait(functions, name, { s3Bucket: s3.bucket, s3Key: s3.key }, { publish: false }, {
    sleep: ctx.deps.sleep ?? defaultSleep,
    intervalMs: Math.min(ctx.deps.pollIntervalMs ?? DEFAULT_POLL_MS, 1_000),
    signal: ctx.deps.signal,
  });
  let alias: { name: string; version: string } | undefined;
  if (target.alias && target.versionLogicalId) {
    // Deployed under its prepared name, FunctionVersion<hash> (prepareTemplate).
    const version = (await stacks.listResources(after.stackId)).find((r) => r.resourceType === 'AWS::Lambda::Version' && r.logicalId.startsWith(target.versionLogicalId!))?.physicalId;
    const number = version?.split(':').pop();
    if (number && /^\d+$/.test(number)) {
      await functions.moveAlias(name, target.alias.name, number);
      alias = { name: target.alias.name, version: number };
    }
  }
  ctx.reporter.info(`Reconciled ${name} with the stack${alias ? ` (alias ${alias.name} -> version ${alias.version})` : ''}.`);
  return { functionName: name, alias };
}

function previewStep(ctx: Context, changeSet: ChangeSetDescription, type: 'CREATE' | 'UPDATE'): DataLossRisk[] {
  const { reporter } = ctx;
  reporter.info(`${type === 'CREATE' ? 'Creating' : 'Updating'} stack ${ctx.options.stackName}: ${changeSet.changes.length} resource change${changeSet.changes.length === 1 ? '' : 's'}`);
  for (const line of formatChangeTable(changeSet.changes, reporter.color)) reporter.info(line);
  const risks = dataLossRisks(changeSet.changes);
  for (const line of formatDataLossWarnings(risks, reporter.color)) reporter.warn(line);
  return risks;
}

async function executeStep(ctx: Context, cs: ChangeSetRef): Promise<void> {
  const { aws } = ctx.deps;
  ctx.reporter.info(`Executing change set ${cs.name}...`);
  try {
    await aws.stacks.executeChangeSet(cs.stackName, cs.name);
  } catch (err) {
    const failure = awsFailure(err, { profile: aws.profile, region: aws.region });
    if (!(failure instanceof CliError)) throw err;
    throw new CliError(`Could not execute change set ${cs.name}: ${failure.message}`, {
      cause: err,
      exitCode: failure.exitCode,
      details: [...failure.details, `Change set ${cs.name} is left on stack ${cs.stackName}. ${executeHint(cs)}`],
    });
  }
}

/** Follows the executing change set to its end; a stack that did not end in success is the error. */
async function waitStep(ctx: Context, stackId: string, changeSet: ChangeSetDescription): Promise<StackDescription | undefined> {
  const { stacks } = ctx.deps.aws;
  const { stackName } = ctx.options;
  const outcome = await followStack(stacks, ctx.deps, { stackName, stackId }, { since: changeSet.creationTime });
  if (outcome.aborted) throw stoppedWaiting('the deployment goes on in CloudFormation', ctx.flags);
  const final = await stacks.describeStack(stackId);
  const status = final?.status ?? outcome.state.stackStatus;
  if (!isSuccessStatus(status)) {
    throw new CliError(`Deployment of ${stackName} failed: the stack is ${status ?? 'in an unknown state'}`, {
      details: failureDetails(outcome.state.events, stackName, status, ctx.hints),
    });
  }
  ctx.reporter.info(ctx.reporter.color.green(`Stack ${stackName} is ${status}.`));
  return final;
}

async function protectStep(ctx: Context, stack: StackDescription | undefined): Promise<void> {
  if (!ctx.options.protect || !stack || stack.terminationProtection) return;
  await ctx.deps.aws.stacks.setTerminationProtection(stack.stackId, true);
  ctx.reporter.info(`Termination protection is on for ${ctx.options.stackName}.`);
}

/** --outputs-file: the Outputs as JSON; the result is returned either way. */
async function outputsStep(ctx: Context, result: DeployResult): Promise<DeployResult> {
  if (!ctx.options.outputsFile) return result;
  const file = ctx.options.outputsFile;
  // The stack is deployed by now: an unwritable file is the user's path, not a failed deploy.
  await writeFileAtomically(file, JSON.stringify(result.outputs, null, 2) + '\n').catch((err: unknown) => {
    throw unwritableFile('--outputs-file', file, err);
  });
  ctx.reporter.info(`Wrote outputs to ${ctx.options.outputsFile}`);
  return result;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
