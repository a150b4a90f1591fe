/**
 * What every cloud command shares: the stack options, their precedence (flag > environment >
 * config file > default), the AWS clients for the resolved target, and Ctrl-C as an AbortSignal.
 */
import { Command, Option } from 'commander';
import type { AwsClients } from '../aws/clients.js';
import { regionDescription, regionNameProblem } from '../aws/region.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STACK_NAME } from '../template/project.js';
import { CONFIG_FILE, loadConfig, resolveStackTarget, targetFlagsHint, type CliConfig, type StackTarget } from '../stack/config.js';
import { createTerminalPrompter, type Prompter } from '../deploy/prompt.js';
import type { ProgramDeps } from './deps.js';

export interface StackCommandOptions {
  stackName?: string;
  stage?: string;
  region?: string;
  profile?: string;
  json?: boolean;
}

export const PRECEDENCE_HELP = `
Target (flag > environment > ${CONFIG_FILE} > default):
  stack name  --stack-name, CLI_STACK_NAME, stages.<stage>.stackName, stackName[-<stage>],
              else ${DEFAULT_STACK_NAME}[-<stage>]
  stage       --stage, CLI_STAGE (one of stages.* when ${CONFIG_FILE} lists stages)
  region      --region, AWS_REGION / AWS_DEFAULT_REGION, stages.<stage>.region, region, the profile's region
  profile     --profile, AWS_PROFILE, stages.<stage>.profile, profile
Credentials come from the AWS SDK chain (environment, SSO, ~/.aws profiles). AWS_ENDPOINT_URL
sends every call to that endpoint (e.g. a local emulator).`;

/** Commander's accumulator for a repeatable option (`--parameter-overrides A=1 --parameter-overrides B=2`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function withStackOptions(command: Command): Command {
  return command
    .option('--stack-name <name>', 'CloudFormation stack name')
    .option('--stage <stage>', 'stage: picks stages.<stage> in cli.config.json and suffixes the default stack name')
    .option('--region <region>', 'AWS region')
    .option('--profile <profile>', 'AWS profile (~/.aws/config)')
    .addOption(new Option('--json', 'machine-readable result on stdout').default(false))
    .addHelpText('after', PRECEDENCE_HELP);
}

export interface OpenStack {
  config: CliConfig;
  target: StackTarget;
  aws: AwsClients;
  /** The target flags the user gave, to repeat in hints (` --stage dev --region eu-west-1`). */
  hintFlags: string;
}

/**
 * The shell of every cloud command: resolve the target, open its AWS clients, run `run` with
 * them, and destroy the clients however `run` ends.
 */
export async function withStack<T>(flags: StackCommandOptions, deps: ProgramDeps, run: (stack: OpenStack) => Promise<T>): Promise<T> {
  const stack = await openStack(flags, deps);
  try {
    return await run(stack);
  } finally {
    stack.aws.destroy();
  }
}

async function openStack(options: StackCommandOptions, deps: ProgramDeps): Promise<OpenStack> {
  const config = await loadConfig(deps.root);
  const target = resolveStackTarget(options, deps.env, config);
  if (target.region !== undefined) checkRegionName(target.region, options.region !== undefined ? '--region' : 'the region (AWS_REGION, AWS_DEFAULT_REGION or cli.config.json)');
  // Loaded on demand: the SDK clients cost ~200 ms to import, which `cli dev` and `--help` skip.
  const { awsTargetFromEnv, createAwsClients } = await import('../aws/clients.js');
  const aws = await createAwsClients(awsTargetFromEnv(deps.env, target));
  try {
    if (target.region === undefined) checkRegionName(aws.region, `the region of the AWS profile${aws.profile ? ` ${aws.profile}` : ''}`);
    // An emulator (AWS_ENDPOINT_URL) takes any region name; only AWS has a list.
    if (aws.endpoint === undefined && (await regionDescription(aws.region)) === undefined) {
      deps.reporter.warn(
        `region ${aws.region} is not in the region list of this CLI's AWS SDK: if it is a typo, pass --region with one from https://docs.aws.amazon.com/general/latest/gr/rande.html; going on, in case it is newer than the SDK.`,
      );
    }
  } catch (err) {
    aws.destroy();
    throw err;
  }
  return { config, target, aws, hintFlags: targetFlagsHint(options) };
}

function checkRegionName(region: string, source: string): void {
  const problem = regionNameProblem(region);
  if (problem !== undefined) throw new UsageError(`${source} ${problem}: pass --region with a region such as us-east-1 or eu-west-1`);
}

/** Ctrl-C as an AbortSignal for the duration of `run`; a second Ctrl-C exits at once. */
export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    if (!controller.signal.aborted) return controller.abort();
    // A second Ctrl-C: the default SIGINT behaviour (exit at once).
    process.off('SIGINT', onSigint);
    process.kill(process.pid, 'SIGINT');
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export interface TerminalIo {
  interactive: boolean;
  prompt?: Prompter;
  terminal?: { write(s: string): unknown };
}

/** Prompts and in-place redraw only when a person is at a terminal (stdin and stderr TTYs, not CI). */
export function terminalIo(deps: ProgramDeps, signal?: AbortSignal): TerminalIo {
  const interactive = deps.reporter.interactive && process.stdin.isTTY === true;
  return interactive ? { interactive, prompt: createTerminalPrompter(process.stdin, process.stderr, signal), terminal: process.stderr } : { interactive };
}
