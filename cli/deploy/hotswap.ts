/**
 * `cli deploy --hotswap`, as named steps: template and parameters -> stack -> stage check ->
 * build -> what changed -> UpdateFunctionCode (the zip itself, not via S3) -> wait -> publish
 * and move the `live` alias -> the drift this leaves. When anything but the function's code
 * changed, the answer says what, and the caller runs a normal deploy instead.
 *
 * Why it is fast: no change set, no S3, no STS. DescribeStacks, GetTemplate, UpdateFunctionCode
 * (with Publish when there is an alias) and UpdateAlias: 3 or 4 calls on a function Lambda
 * updates at once; one GetFunctionConfiguration per poll while it reports InProgress.
 * What it leaves: the stack's ArtifactKey parameter (and, with the alias, its Version resource)
 * still name the previous code. The next `cli deploy` without --hotswap deploys the new key as
 * usual, and puts the code back in line when the key did not change (deploy.ts, reconcileStep).
 * Like `cdk deploy --hotswap` ("for development use only"), it refuses a prod stage unless forced:
 * https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html
 */
import { readFile } from 'node:fs/promises';
import { CliError, UsageError } from '../errors.js';
import { withAwsFailures } from '../aws/aws-errors.js';
import type { AwsClients } from '../aws/clients.js';
import type { StackDescription } from '../aws/stack-api.js';
import type { Artifact } from '../build/artifact.js';
import { diffTemplates, isEmptyDiff, type TemplateDiff } from '../diff/template-diff.js';
import { parseTemplate } from '../template/read-template.js';
import { resolveParameters } from '../template/parameters.js';
import type { Reporter } from '../ui/reporter.js';
import { codeTarget, functionName, lambdaCodeSha256, updateCodeAndWait, type CodeTarget } from './function-code.js';
import { DEFAULT_POLL_MS, defaultSleep } from './follow-stack.js';
import { localTemplate } from './local-template.js';
import { parameterLayers, type ParameterInputs } from './parameters.js';
import type { Sleep } from './progress-poller.js';
import type { DeployTemplate } from './template-source.js';

/**
 * Lambda takes a zip in the UpdateFunctionCode request itself up to 50 MB; larger ones go through
 * S3, which a normal deploy does. https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024;

export type HotswapAws = Pick<AwsClients, 'region' | 'profile' | 'endpoint' | 'stacks' | 'functions'>;

export interface HotswapDeps {
  aws: HotswapAws;
  reporter: Reporter;
  build(): Promise<Artifact>;
  loadTemplate(): Promise<DeployTemplate>;
  readFile?(path: string): Promise<Uint8Array>;
  sleep?: Sleep;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export interface HotswapOptions extends ParameterInputs {
  stackName: string;
  /** --force: hotswap a prod stage too. */
  force?: boolean;
}

export type HotswapOutcome =
  | {
      status: 'hotswapped';
      stackName: string;
      functionName: string;
      artifact: { key: string; sha256: string; bytes: number };
      /** With the `live` alias: the version published and the alias moved to it. */
      alias?: { name: string; version: string };
      /** The values CloudFormation's view still has: the stack's ArtifactKey. */
      drift: { parameter: 'ArtifactKey'; stackValue: string; runningKey: string };
    }
  | { status: 'unchanged'; stackName: string; artifactKey: string }
  /** Not hotswappable; `reasons` say what changed besides the code. */
  | { status: 'fallback'; stackName: string; reasons: string[] };

export async function hotswap(options: HotswapOptions, deps: HotswapDeps): Promise<HotswapOutcome> {
  return withAwsFailures({ profile: deps.aws.profile, region: deps.aws.region }, () => runHotswap(options, deps));
}

async function runHotswap(options: HotswapOptions, deps: HotswapDeps): Promise<HotswapOutcome> {
  const { aws, reporter } = deps;
  const { stackName } = options;
  const template = await deps.loadTemplate();
  const declared = template.template.Parameters ?? {};
  resolveParameters(declared, parameterLayers(options, declared));
  const target = codeTarget(template.template);
  if (!target) return fallback(stackName, ['the template has no AWS::Lambda::Function whose Code.S3Key is !Ref ArtifactKey']);

  const stack = await aws.stacks.describeStack(stackName);
  if (!stack) return fallback(stackName, [`stack ${stackName} does not exist yet`]);
  if (!/_COMPLETE$/.test(stack.status) || /ROLLBACK|DELETE/.test(stack.status)) return fallback(stackName, [`the stack is ${stack.status}`]);
  refuseProd(options, stack);

  const artifact = await deps.build();
  reporter.info(`Built ${artifact.key}`);
  const deployedKey = stack.parameters.ArtifactKey ?? '';
  const runningKey = `${stackName}/${artifact.key}`;
  const reasons = await changesBesidesCode(deps, options, template, stack);
  if (reasons.length > 0) return fallback(stackName, reasons);
  if (artifact.size > DIRECT_UPLOAD_LIMIT) return fallback(stackName, [`the zip is over Lambda's ${DIRECT_UPLOAD_LIMIT / 1024 / 1024} MB direct upload limit`]);

  const name = await functionName(aws.stacks, stack, template.template, target.logicalId);
  // Same key as the stack: unchanged, unless an earlier hotswap put other code there.
  if (deployedKey === runningKey && (await aws.functions.getState(name)).codeSha256 === lambdaCodeSha256(artifact.sha256)) {
    return { status: 'unchanged', stackName, artifactKey: deployedKey };
  }
  const zipFile = await (deps.readFile ?? ((p: string) => readFile(p)))(artifact.zipPath);
  reporter.info(`Hotswapping the code of ${name} (UpdateFunctionCode${target.alias ? ', then publish and move alias ' + target.alias.name : ''})...`);
  const state = await updateCodeAndWait(aws.functions, name, { zipFile }, { publish: target.alias !== undefined }, {
    sleep: deps.sleep ?? defaultSleep,
    intervalMs: Math.min(deps.pollIntervalMs ?? DEFAULT_POLL_MS, 1_000),
    signal: deps.signal,
  });
  const alias = await moveAlias(deps, target, name, state.version);
  const preference = stack.parameters.DeploymentPreference;
  if (alias && preference !== undefined && preference !== 'AllAtOnce') {
    reporter.warn(`alias ${alias.name} moved at once: a hotswap bypasses the stack's CodeDeploy ${preference} shift (and its automatic rollback).`);
  }
  reporter.info(reporter.color.green(`Hotswapped ${name}${alias ? ` (alias ${alias.name} -> version ${alias.version})` : ''}: the new code is live.`));
  reportDrift(reporter, stackName, deployedKey, runningKey, target);
  return {
    status: 'hotswapped',
    stackName,
    functionName: name,
    artifact: { key: runningKey, sha256: artifact.sha256, bytes: zipFile.byteLength },
    alias,
    drift: { parameter: 'ArtifactKey', stackValue: deployedKey, runningKey },
  };
}

function fallback(stackName: string, reasons: string[]): HotswapOutcome {
  return { status: 'fallback', stackName, reasons };
}

function refuseProd(options: HotswapOptions, stack: StackDescription): void {
  const stage = options.stage ?? stack.parameters.StageName;
  if (stage !== 'prod' || options.force) return;
  throw new UsageError(`Refusing to hotswap stack ${stack.stackName}: its stage is prod.`, {
    details: [
      "A hotswap changes the function behind CloudFormation's back (the stack's ArtifactKey no longer matches the code it runs), skips the change set, its preview and any rollback; like `cdk deploy --hotswap`, it is for development stacks.",
      'Deploy without --hotswap, or pass --force if you mean it.',
    ],
  });
}

/**
 * What differs between the deployed stack and this deploy, apart from the code: the local
 * template prepared with the stack's own ArtifactBucket/ArtifactKey (so a logical id named
 * after the artifact keeps its deployed name) against GetTemplate, parameters included.
 */
async function changesBesidesCode(deps: HotswapDeps, inputs: ParameterInputs, template: DeployTemplate, stack: StackDescription): Promise<string[]> {
  const deployedArtifact = { bucket: stack.parameters.ArtifactBucket ?? '', key: stack.parameters.ArtifactKey ?? '' };
  if (deployedArtifact.bucket === '' || deployedArtifact.key === '') return ['the stack has no ArtifactBucket/ArtifactKey parameters'];
  const local = localTemplate(template, inputs, deployedArtifact, stack.parameters);
  const deployedText = await deps.aws.stacks.getTemplate(stack.stackId);
  const sameValues = Object.keys({ ...stack.parameters, ...local.values }).every((k) => stack.parameters[k] === local.values[k]);
  if (deployedText === local.text && sameValues) return [];
  const diff = diffTemplates({ template: parseTemplate(deployedText), parameters: stack.parameters }, { template: parseTemplate(local.text), parameters: local.values });
  return isEmptyDiff(diff) ? [] : describeDiff(diff);
}

/** One short line per change, for "not hotswappable because...". */
export function describeDiff(diff: TemplateDiff): string[] {
  return [
    ...diff.parameters.map((p) => `parameter ${p.name} changes (${p.before ?? '(none)'} -> ${p.after ?? '(none)'})`),
    ...diff.resources.map((r) =>
      r.action === 'Modify' ? `${r.logicalId} (${r.resourceType}) changes: ${r.changes.map((c) => c.path).join(', ')}` : `${r.logicalId} (${r.resourceType}) is ${r.action === 'Add' ? 'added' : 'removed'}`,
    ),
    ...diff.outputs.map((o) => `output ${o.name} is ${o.action === 'Add' ? 'added' : o.action === 'Remove' ? 'removed' : 'changed'}`),
    ...diff.sections.map((s) => `the template's ${s} section changes`),
  ];
}

async function moveAlias(deps: HotswapDeps, target: CodeTarget, name: string, version: string): Promise<{ name: string; version: string } | undefined> {
  if (!target.alias) return undefined;
  if (version === '$LATEST') throw new CliError(`Lambda published no version of ${name}; alias ${target.alias.name} was not moved.`);
  await deps.aws.functions.moveAlias(name, target.alias.name, version);
  return { name: target.alias.name, version };
}

function reportDrift(reporter: Reporter, stackName: string, stackValue: string, runningKey: string, target: CodeTarget): void {
  reporter.warn(
    `drift: stack ${stackName}'s ArtifactKey parameter is still ${stackValue}; the function runs ${runningKey}` +
      (target.alias ? `, and alias ${target.alias.name} points at a version the stack's ${target.versionLogicalId ?? 'Version'} resource does not know` : '') +
      '.',
  );
  reporter.warn('The next `npx cli deploy` (without --hotswap) deploys this code through CloudFormation and puts its view back in line.');
}
