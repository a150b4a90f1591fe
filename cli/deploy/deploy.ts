/**
 * `cli deploy`, as named steps: banner -> stack state -> bucket -> build -> lint -> upload ->
 * change set -> preview -> confirm -> execute -> wait -> outputs. Each step is a function; this
 * file only strings them together. Progress goes to stderr through the reporter; the result is
 * returned as data (the command prints it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { CliError, UsageError } from '../errors.js';
import { awsFailure } from '../aws/aws-errors.js';
import type { BucketRef } from '../aws/artifact-store.js';
import { objectHttpsUrl } from '../aws/s3-url.js';
import type { AwsClients } from '../aws/clients.js';
import type { ChangeSetDescription, ChangeSetParameter, StackDescription, StackOutput, TemplateSource } from '../aws/stack-api.js';
import type { Reporter } from '../ui/reporter.js';
import type { Artifact } from '../build/artifact.js';
import { prepareTemplate } from '../template/prepare-template.js';
import { CfnLintNotInstalledError, type LintResult } from '../lint/cfn-lint.js';
import {
  ARTIFACT_EXPIRY_DAYS,
  artifactObjectKey,
  resolveArtifactBucket,
  uploadIfAbsent,
  type ArtifactBucket,
  type UploadResult,
} from './artifacts.js';
import { ChangeSetFailedError, changeSetName, createChangeSet } from './change-set.js';
import { orderOutputs, outputsRecord, formatOutputsTable } from './outputs.js';
import { changeSetParameters, stageDefaults } from './parameters.js';
import { resolveParameters, type TemplateParameters } from '../template/parameters.js';
import { dataLossRisks, formatChangeTable, formatDataLossWarnings, type DataLossRisk } from './preview.js';
import { createProgressPrinter } from './progress-printer.js';
import { waitForStackOperation, type Sleep, type WaitOutcome } from './progress-poller.js';
import { isSuccessStatus } from './progress-state.js';
import { findRootCause, formatRootCause } from './root-cause.js';
import { planForStack, type StackPlan } from './stack-state.js';
import { TEMPLATE_BODY_LIMIT, byteLength, requiredCapabilities, type DeployTemplate } from './template-source.js';

/** The part of the AWS clients a deploy uses (tests pass fakes of just these). */
export type DeployAws = Pick<AwsClients, 'region' | 'profile' | 'endpoint' | 'stacks' | 'artifacts' | 'identity'>;

export interface DeployDeps {
  reporter: Reporter;
  aws: DeployAws;
  build(): Promise<Artifact>;
  /** Throws CfnLintNotInstalledError when cfn-lint is absent. `cached`: a remembered verdict. */
  lint(): Promise<LintResult & { cached?: boolean }>;
  /** The template source (infra/cfn/template.yaml), parsed; deploy prepares it (prepareTemplate). */
  loadTemplate(): Promise<DeployTemplate>;
  readFile?(path: string): Promise<Uint8Array>;
  writeFile?(path: string, text: string): Promise<void>;
  /** Asks a yes/no question on the terminal; only called when `interactive`. */
  confirm?(question: string): Promise<boolean>;
  /** A person can answer prompts (stdin and stderr are a TTY, not CI). */
  interactive: boolean;
  /** Raw stderr for in-place redraw (TTY only). */
  terminal?: { write(s: string): unknown };
  now?(): number;
  sleep?: Sleep;
  pollIntervalMs?: number;
  /** Ctrl-C. */
  signal?: AbortSignal;
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
}

export type DeployStatus = 'deployed' | 'no-changes' | 'not-executed';

export interface DeployResult {
  status: DeployStatus;
  stackName: string;
  stackId?: string;
  stackStatus?: string;
  account: string;
  region: string;
  changeSet?: { name: string; type: 'CREATE' | 'UPDATE'; changes: ChangeSetDescription['changes'] };
  artifact: { bucket: string; key: string; uploaded: boolean; bytes: number };
  template: { inline: boolean; bytes: number };
  dataLossRisks: { logicalId: string; resourceType: string; kind: string }[];
  outputs: Record<string, string>;
  /** Outputs ordered for display (endpoint first). */
  orderedOutputs: StackOutput[];
}

const DEFAULT_POLL_MS = 2_000;

export async function deploy(options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  try {
    return await runDeploy(options, deps);
  } catch (err) {
    throw awsFailure(err, { profile: deps.aws.profile, region: deps.aws.region });
  }
}

interface Context {
  options: DeployOptions;
  deps: DeployDeps;
  reporter: Reporter;
  now: () => number;
  sleep: Sleep;
  intervalMs: number;
  flags: string;
}

async function runDeploy(options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  const ctx: Context = {
    options,
    deps,
    reporter: deps.reporter,
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })),
    intervalMs: deps.pollIntervalMs ?? DEFAULT_POLL_MS,
    flags: options.hintFlags ?? '',
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

  let current = existing;
  if (plan.action === 'recreate') current = await deleteDeadStack(ctx, existing!, plan.reason);
  if (plan.action === 'continue-rollback') current = await continueRollback(ctx, existing!);
  checkAborted(ctx);

  const type: 'CREATE' | 'UPDATE' = current ? 'UPDATE' : 'CREATE';
  const name = changeSetName(ctx.now());
  const parameters = changeSetParameters({
    declared,
    layers: parameterLayers(options, declared, { bucket: bucket.ref.name, key: upload.key }),
    previous: current?.parameters,
  });
  const prepared = prepareTemplate(template.text, { parameters: effectiveValues(parameters, current?.parameters) });
  const templateSource = await templateStep(ctx, bucket.ref, prepared.text);
  const base = {
    stackName: options.stackName,
    account,
    region: aws.region,
    artifact: { bucket: bucket.ref.name, key: upload.key, uploaded: upload.uploaded, bytes: upload.bytes },
    template: { inline: 'body' in templateSource, bytes: byteLength(prepared.text) },
  };
  const templateOutputOrder = Object.keys(template.template.Outputs ?? {});

  if (current && plan.action === 'update' && (await alreadyDeployed(ctx, current, prepared.text, parameters))) {
    ctx.reporter.info(ctx.reporter.color.green(`No changes: stack ${options.stackName} already runs this template, code and parameters.`));
    const result = finish(ctx, { ...base, status: 'no-changes', stackId: current.stackId, stackStatus: current.status, dataLossRisks: [] }, current, templateOutputOrder);
    await protectStep(ctx, current);
    await outputsFileStep(ctx, result);
    return result;
  }

  ctx.reporter.info(`Creating ${type} change set ${name}...`);
  const outcome = await createChangeSet(
    aws.stacks,
    {
      stackName: options.stackName,
      changeSetName: name,
      type,
      template: templateSource,
      parameters,
      capabilities: requiredCapabilities(template.template),
      description: `npx cli deploy ${upload.key}`,
    },
    { sleep: ctx.sleep, intervalMs: Math.min(ctx.intervalMs, 1_000), signal: deps.signal },
  ).catch(async (err: unknown) => {
    if (err instanceof ChangeSetFailedError || deps.signal?.aborted) await discardChangeSet(ctx, name, type);
    throw err;
  });

  if (outcome.kind === 'empty') {
    if (outcome.created) await aws.stacks.deleteChangeSet(options.stackName, name);
    ctx.reporter.info(ctx.reporter.color.green(`No changes: stack ${options.stackName} already runs this template, code and parameters.`));
    const stack = current ?? (await aws.stacks.describeStack(options.stackName));
    const result = finish(ctx, { ...base, status: 'no-changes', stackId: stack?.stackId, stackStatus: stack?.status, dataLossRisks: [] }, stack, templateOutputOrder);
    await protectStep(ctx, stack);
    await outputsFileStep(ctx, result);
    return result;
  }

  const changeSet = outcome.changeSet;
  const risks = previewStep(ctx, changeSet, type);
  const riskData = risks.map((r) => ({ logicalId: r.change.logicalId, resourceType: r.change.resourceType, kind: r.kind }));
  const changeSetInfo = { name, type, changes: changeSet.changes };

  if (options.execute === false) {
    ctx.reporter.info(`--no-execute: change set ${name} is left on stack ${options.stackName} for review; nothing was deployed.`);
    ctx.reporter.info(executeHint(ctx, name));
    const result = finish(ctx, { ...base, status: 'not-executed', stackId: outcome.stackId, stackStatus: current?.status ?? 'REVIEW_IN_PROGRESS', changeSet: changeSetInfo, dataLossRisks: riskData }, current, templateOutputOrder);
    return result;
  }

  await confirmStep(ctx, name, type, risks);
  if (deps.signal?.aborted) {
    await discardChangeSet(ctx, name, type);
    throw new CliError('Interrupted before executing; nothing was deployed.', { exitCode: 130 });
  }

  const final = await executeStep(ctx, name, outcome.stackId, changeSet);
  await protectStep(ctx, final);
  const result = finish(
    ctx,
    { ...base, status: 'deployed', stackId: outcome.stackId, stackStatus: final?.status, changeSet: changeSetInfo, dataLossRisks: riskData },
    final,
    templateOutputOrder,
  );
  await outputsFileStep(ctx, result);
  return result;
}

/**
 * The fast "nothing to do": the deployed template text (GetTemplate, Original) is the one we
 * would send and every parameter keeps its value, so a change set could only come back empty.
 * One cheap call instead of creating, polling and deleting a change set (seconds on AWS).
 * Anything else (or any doubt) goes through a real change set.
 */
async function alreadyDeployed(ctx: Context, stack: StackDescription, text: string, parameters: ChangeSetParameter[]): Promise<boolean> {
  if (!/_COMPLETE$/.test(stack.status) || stack.status.includes('ROLLBACK')) return false;
  const declared = new Set(parameters.map((p) => p.key));
  if (Object.keys(stack.parameters).some((k) => !declared.has(k))) return false;
  const same = parameters.every((p) => p.usePreviousValue || stack.parameters[p.key] === p.value);
  if (!same) return false;
  return (await ctx.deps.aws.stacks.getTemplate(stack.stackId)) === text;
}

/**
 * Parameter values by source, lowest precedence first. Before the upload the artifact's values
 * are valid stand-ins (its real key is not known yet).
 */
function parameterLayers(options: DeployOptions, declared: TemplateParameters, artifact = { bucket: 'placeholder-bucket', key: 'placeholder.zip' }) {
  return [
    { name: 'stage defaults', values: stageDefaults(options.stage, declared) },
    { name: 'cli.config.json parameters', values: options.configParameters ?? {} },
    { name: '--parameter-overrides', values: options.parameterOverrides ?? {} },
    { name: 'artifact', values: { ArtifactBucket: artifact.bucket, ArtifactKey: artifact.key } },
  ];
}

/** The values the stack will run with, for the Deployment hash: new ones, else the kept ones. */
function effectiveValues(parameters: ChangeSetParameter[], previous: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parameters) {
    const value = p.usePreviousValue ? previous?.[p.key] : p.value;
    if (value !== undefined) out[p.key] = value;
  }
  return out;
}

function checkAborted(ctx: Context): void {
  if (ctx.deps.signal?.aborted) throw new CliError('Interrupted before anything was deployed.', { exitCode: 130 });
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
    const line = `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`;
    if (f.level === 'error') ctx.reporter.error(line);
    else if (f.level === 'warning') ctx.reporter.warn(line);
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

async function templateStep(ctx: Context, bucket: BucketRef, text: string): Promise<TemplateSource> {
  const bytes = byteLength(text);
  if (bytes <= TEMPLATE_BODY_LIMIT) return { body: text };
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const key = `${ctx.options.stackName}/template-${hash}.yaml`;
  await uploadIfAbsent({
    artifacts: ctx.deps.aws.artifacts,
    bucket,
    key,
    body: async () => text,
    contentType: 'application/x-yaml',
    now: ctx.now(),
  });
  ctx.reporter.info(`Template is ${formatBytes(bytes)}, over the ${TEMPLATE_BODY_LIMIT}-byte inline limit: passing it via s3://${bucket.name}/${key}`);
  return { url: objectHttpsUrl(bucket.name, key, ctx.deps.aws.region) };
}

async function deleteDeadStack(ctx: Context, stack: StackDescription, reason: string): Promise<undefined> {
  ctx.reporter.warn(reason);
  const outcome = await runStackOperation(ctx, stack, () => ctx.deps.aws.stacks.deleteStack(stack.stackId));
  if (outcome.aborted) throw interrupted(ctx, 'the stack is still being deleted');
  if (outcome.state.stackStatus !== 'DELETE_COMPLETE') {
    throw failure(ctx, outcome, `Could not delete stack ${stack.stackName} (${outcome.state.stackStatus ?? 'unknown status'})`);
  }
  ctx.reporter.info(`Deleted stack ${stack.stackName}.`);
  return undefined;
}

async function continueRollback(ctx: Context, stack: StackDescription): Promise<StackDescription | undefined> {
  ctx.reporter.info(`Continuing the rollback of ${stack.stackName} (ContinueUpdateRollback)...`);
  const outcome = await runStackOperation(ctx, stack, () => ctx.deps.aws.stacks.continueUpdateRollback(stack.stackId));
  if (outcome.aborted) throw interrupted(ctx, 'the rollback goes on');
  if (outcome.state.stackStatus !== 'UPDATE_ROLLBACK_COMPLETE') {
    throw failure(ctx, outcome, `The rollback of ${stack.stackName} did not complete (${outcome.state.stackStatus ?? 'unknown status'})`);
  }
  ctx.reporter.info(`Rollback complete; deploying.`);
  return ctx.deps.aws.stacks.describeStack(stack.stackId);
}

/** Starts an operation on an existing stack and follows its events (after the newest one now). */
async function runStackOperation(ctx: Context, stack: StackDescription, start: () => Promise<void>): Promise<WaitOutcome> {
  const [newest] = await ctx.deps.aws.stacks.describeEvents(stack.stackId, { limit: 1 });
  await start();
  return follow(ctx, stack.stackName, stack.stackId, { afterEventId: newest?.eventId });
}

async function follow(ctx: Context, stackName: string, stackId: string, from: { since?: Date; afterEventId?: string }): Promise<WaitOutcome> {
  const printer = createProgressPrinter(ctx.reporter, ctx.deps.interactive ? ctx.deps.terminal : undefined);
  try {
    return await waitForStackOperation({
      stacks: ctx.deps.aws.stacks,
      stackName,
      stackId,
      ...from,
      now: ctx.now,
      sleep: ctx.sleep,
      intervalMs: ctx.intervalMs,
      signal: ctx.deps.signal,
      onEvents: (events, state) => printer.events(events, state, ctx.now()),
      onThrottled: (ms) => ctx.reporter.info(ctx.reporter.color.dim(`  (throttled by CloudFormation; polling again in ${Math.round(ms / 1000)}s)`)),
    });
  } finally {
    printer.finish();
  }
}

function previewStep(ctx: Context, changeSet: ChangeSetDescription, type: 'CREATE' | 'UPDATE'): DataLossRisk[] {
  const { reporter } = ctx;
  reporter.info(`${type === 'CREATE' ? 'Creating' : 'Updating'} stack ${ctx.options.stackName}: ${changeSet.changes.length} resource change${changeSet.changes.length === 1 ? '' : 's'}`);
  for (const line of formatChangeTable(changeSet.changes, reporter.color)) reporter.info(line);
  const risks = dataLossRisks(changeSet.changes);
  for (const line of formatDataLossWarnings(risks, reporter.color)) reporter.warn(line);
  return risks;
}

async function confirmStep(ctx: Context, name: string, type: 'CREATE' | 'UPDATE', risks: DataLossRisk[]): Promise<void> {
  if (ctx.options.yes) return;
  const { deps } = ctx;
  if (!deps.interactive || !deps.confirm) {
    // Exit 2 (bad input), as `cli delete` does: the command line must change (add --yes, or run
    // it on a terminal); 1 is for a deployment that failed or a person who answered no.
    throw new UsageError(`Not deploying: no terminal to confirm on and no --yes. Change set ${name} is left on stack ${ctx.options.stackName} for review.`, {
      details: [executeHint(ctx, name), `Or deploy without asking: npx cli deploy --yes${ctx.flags}`],
    });
  }
  let answer: boolean;
  try {
    answer = await deps.confirm(`${risks.length > 0 ? 'DATA LOSS RISK above. ' : ''}Deploy these changes to ${ctx.options.stackName}? [y/N] `);
  } catch (err) {
    await discardChangeSet(ctx, name, type);
    throw err;
  }
  if (!answer) {
    await discardChangeSet(ctx, name, type);
    throw new CliError('Deployment cancelled; nothing was changed.');
  }
}

/** Deletes a change set that will not run, and says so (a CREATE's empty stack goes too). */
async function discardChangeSet(ctx: Context, name: string, type: 'CREATE' | 'UPDATE'): Promise<void> {
  const { stacks } = ctx.deps.aws;
  try {
    if (type === 'CREATE') {
      await stacks.deleteStack(ctx.options.stackName);
      ctx.reporter.info(`Deleted change set ${name} and the empty stack (REVIEW_IN_PROGRESS) it had created.`);
    } else {
      await stacks.deleteChangeSet(ctx.options.stackName, name);
      ctx.reporter.info(`Deleted change set ${name}.`);
    }
  } catch (err) {
    ctx.reporter.warn(`Could not delete change set ${name} (${(err as Error).message}); delete it in the console or with \`aws cloudformation delete-change-set --stack-name ${ctx.options.stackName} --change-set-name ${name}\`.`);
  }
}

async function executeStep(ctx: Context, name: string, stackId: string, changeSet: ChangeSetDescription): Promise<StackDescription | undefined> {
  const { stacks } = ctx.deps.aws;
  ctx.reporter.info(`Executing change set ${name}...`);
  try {
    await stacks.executeChangeSet(ctx.options.stackName, name);
  } catch (err) {
    const failure = awsFailure(err, { profile: ctx.deps.aws.profile, region: ctx.deps.aws.region });
    if (!(failure instanceof CliError)) throw err;
    throw new CliError(`Could not execute change set ${name}: ${failure.message}`, {
      cause: err,
      exitCode: failure.exitCode,
      details: [...failure.details, `Change set ${name} is left on stack ${ctx.options.stackName}. ${executeHint(ctx, name)}`],
    });
  }
  const outcome = await follow(ctx, ctx.options.stackName, stackId, { since: changeSet.creationTime });
  if (outcome.aborted) throw interrupted(ctx, 'the deployment goes on in CloudFormation');
  const final = await stacks.describeStack(stackId);
  const status = final?.status ?? outcome.state.stackStatus;
  if (!isSuccessStatus(status)) {
    throw failure(ctx, outcome, `Deployment of ${ctx.options.stackName} failed: the stack is ${status ?? 'in an unknown state'}`, status);
  }
  ctx.reporter.info(ctx.reporter.color.green(`Stack ${ctx.options.stackName} is ${status}.`));
  return final;
}

function failure(ctx: Context, outcome: WaitOutcome, message: string, status = outcome.state.stackStatus): CliError {
  const cause = findRootCause(outcome.state.events, ctx.options.stackName, { region: ctx.deps.aws.region, profile: ctx.deps.aws.profile, flags: ctx.flags });
  const details = formatRootCause(cause);
  if (status === 'ROLLBACK_COMPLETE') {
    details.push(`The stack is in ROLLBACK_COMPLETE and holds no resources; the next \`npx cli deploy${ctx.flags}\` deletes it and creates it again.`);
  } else if (status === 'UPDATE_ROLLBACK_FAILED') {
    details.push(`The rollback failed too: fix the cause, then \`npx cli deploy --continue-rollback${ctx.flags}\`.`);
  } else if (status === 'UPDATE_ROLLBACK_COMPLETE') {
    details.push('The stack was rolled back and runs what it ran before this deploy.');
  }
  return new CliError(message, { details });
}

function interrupted(ctx: Context, what: string): CliError {
  return new CliError(`Stopped waiting (interrupted); ${what}.`, {
    exitCode: 130,
    details: [`Follow it with: npx cli status${ctx.flags}`],
  });
}

async function protectStep(ctx: Context, stack: StackDescription | undefined): Promise<void> {
  if (!ctx.options.protect || !stack || stack.terminationProtection) return;
  await ctx.deps.aws.stacks.setTerminationProtection(stack.stackId, true);
  ctx.reporter.info(`Termination protection is on for ${ctx.options.stackName}.`);
}

function finish(
  ctx: Context,
  partial: Omit<DeployResult, 'outputs' | 'orderedOutputs'>,
  stack: StackDescription | undefined,
  templateOrder: string[],
): DeployResult {
  void ctx;
  const ordered = orderOutputs(stack?.outputs ?? [], templateOrder);
  return { ...partial, outputs: outputsRecord(ordered), orderedOutputs: ordered };
}

async function outputsFileStep(ctx: Context, result: DeployResult): Promise<void> {
  if (!ctx.options.outputsFile) return;
  const write = ctx.deps.writeFile ?? ((path: string, text: string) => writeFile(path, text));
  await write(ctx.options.outputsFile, JSON.stringify(result.outputs, null, 2) + '\n');
  ctx.reporter.info(`Wrote outputs to ${ctx.options.outputsFile}`);
}

function executeHint(ctx: Context, name: string): string {
  return `To run it: aws cloudformation execute-change-set --stack-name ${ctx.options.stackName} --change-set-name ${name} --region ${ctx.deps.aws.region}, then npx cli status${ctx.flags}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export { formatOutputsTable };
