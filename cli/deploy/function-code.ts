/**
 * The deployed function's code outside CloudFormation: which function (and `live` alias) the
 * stack runs, updating its code and waiting for Lambda to finish, and moving the alias. Shared
 * by hotswap (which changes the code behind CloudFormation's back) and deploy (which puts it
 * back in line with the stack afterwards).
 */
import { CliError } from '../errors.js';
import type { FunctionApi, FunctionCode, FunctionState } from '../aws/function-api.js';
import type { StackApi, StackDescription } from '../aws/stack-api.js';
import type { CfnTemplate, TemplateValue } from '../template/cfn-template.js';
import type { Sleep } from './progress-poller.js';

/** The function whose code is the artifact (its Code.S3Key is `!Ref ArtifactKey`), and its alias. */
export interface CodeTarget {
  logicalId: string;
  /** The alias (AWS::Lambda::Alias on that function) the API invokes, if the template has one. */
  alias?: { logicalId: string; name: string };
  /** The AWS::Lambda::Version of that function, if any. */
  versionLogicalId?: string;
}

export function codeTarget(template: CfnTemplate): CodeTarget | undefined {
  const entries = Object.entries(template.Resources ?? {});
  const fn = entries.find(([, r]) => r.Type === 'AWS::Lambda::Function' && refName(objectAt(r.Properties?.Code)?.S3Key) === 'ArtifactKey');
  if (!fn) return undefined;
  const [logicalId] = fn;
  const refsFunction = (value: TemplateValue | undefined) => refName(value) === logicalId;
  const alias = entries.find(([, r]) => r.Type === 'AWS::Lambda::Alias' && refsFunction(r.Properties?.FunctionName));
  const version = entries.find(([, r]) => r.Type === 'AWS::Lambda::Version' && refsFunction(r.Properties?.FunctionName));
  const aliasName = alias?.[1].Properties?.Name;
  return {
    logicalId,
    alias: alias && typeof aliasName === 'string' ? { logicalId: alias[0], name: aliasName } : undefined,
    versionLogicalId: version?.[0],
  };
}

/**
 * The function's physical name: from an Output that is `!Ref <function>` (no extra call; the
 * template has one), else ListStackResources.
 */
export async function functionName(
  stacks: Pick<StackApi, 'listResources'>,
  stack: StackDescription,
  template: CfnTemplate,
  logicalId: string,
): Promise<string> {
  const output = Object.entries(template.Outputs ?? {}).find(([, o]) => refName(o.Value) === logicalId);
  const value = output && stack.outputs.find((o) => o.key === output[0])?.value;
  if (value) return value;
  const resource = (await stacks.listResources(stack.stackId)).find((r) => r.logicalId === logicalId);
  if (!resource?.physicalId) throw new CliError(`Stack ${stack.stackName} has no resource ${logicalId} (the template's function); deploy it first with \`npx cli deploy\`.`);
  return resource.physicalId;
}

export interface CodeWait {
  sleep: Sleep;
  intervalMs: number;
  signal?: AbortSignal;
}

/**
 * UpdateFunctionCode, then waits until LastUpdateStatus leaves InProgress. A Failed update is the
 * error, with Lambda's reason; the function then keeps running its previous code.
 * https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
 */
export async function updateCodeAndWait(
  functions: FunctionApi,
  name: string,
  code: FunctionCode,
  options: { publish: boolean },
  wait: CodeWait,
): Promise<FunctionState> {
  let state = await functions.updateCode(name, code, options);
  while (state.lastUpdateStatus === 'InProgress') {
    wait.signal?.throwIfAborted();
    await wait.sleep(wait.intervalMs, wait.signal);
    state = await functions.getState(name, options.publish ? state.version : undefined);
  }
  if (state.lastUpdateStatus === 'Failed') {
    throw new CliError(`Lambda could not update the code of ${name}: ${state.lastUpdateStatusReason ?? 'no reason given'}`, {
      details: ['The function keeps running its previous code. Fix the cause and deploy again.'],
    });
  }
  return state;
}

/** Lambda's CodeSha256 of a zip whose SHA-256 is `hex` (the build's artifact.sha256): base64 of the digest. */
export function lambdaCodeSha256(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function objectAt(value: TemplateValue | undefined): Record<string, TemplateValue> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function refName(value: TemplateValue | undefined): string | undefined {
  const ref = objectAt(value)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
}
