/** `cli deploy`: commander wiring for cli/deploy/deploy.ts. */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { buildArtifact } from '../build/artifact.js';
import { runCfnLint } from '../lint/cfn-lint.js';
import { deploy } from '../deploy/deploy.js';
import { hotswap, type HotswapOutcome } from '../deploy/hotswap.js';
import type { Artifact } from '../build/artifact.js';
import { UsageError } from '../errors.js';
import { DEFAULT_MONITORING_MINUTES, parseMonitoringMinutes } from '../deploy/rollback-triggers.js';
import type { DeployResult } from '../deploy/deploy-result.js';
import { cachedLint } from '../deploy/lint-cache.js';
import { formatOutputsTable } from '../stack/outputs.js';
import { parseParameterOverrides } from '../template/parameters.js';
import { loadDeployTemplate } from '../deploy/template-source.js';
import type { ProgramDeps } from './deps.js';
import { collect, terminalIo, withInterrupt, withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface DeployFlags extends StackCommandOptions {
  parameterOverrides?: string[];
  bucket?: string;
  yes: boolean;
  execute: boolean;
  outputsFile?: string;
  protect: boolean;
  skipLint: boolean;
  continueRollback: boolean;
  roleArn?: string;
  hotswap: boolean;
  force: boolean;
  rollbackMonitoring?: string;
}

export async function deployFromFlags(flags: DeployFlags, deps: ProgramDeps): Promise<DeployResult | HotswapOutcome> {
  const parameterOverrides = parseParameterOverrides(flags.parameterOverrides ?? []);
  const roleArn = flags.roleArn ?? (deps.env.CLI_CFN_ROLE_ARN || undefined);
  if (roleArn !== undefined) checkRoleArn(roleArn, flags.roleArn !== undefined ? '--role-arn' : 'CLI_CFN_ROLE_ARN');
  const rollbackMonitoringMinutes = parseMonitoringMinutes(flags.rollbackMonitoring);
  if (flags.force && !flags.hotswap) throw new UsageError('--force only goes with --hotswap (it allows hotswapping a prod stage)');
  return withStack(flags, deps, ({ target, aws, hintFlags }) =>
    withInterrupt(async (signal) => {
      const io = terminalIo(deps, signal);
      // One build per command: a hotswap that falls back hands its zip to the deploy.
      let built: Promise<Artifact> | undefined;
      const build = () => (built ??= buildArtifact({ root: deps.root }));
      if (flags.hotswap) {
        const outcome = await hotswap(
          { stackName: target.stackName, stage: target.stage, configParameters: target.parameters, parameterOverrides, force: flags.force },
          { aws, reporter: deps.reporter, build, loadTemplate: () => loadDeployTemplate(deps.root), signal },
        );
        if (outcome.status !== 'fallback') {
          printHotswapOutcome(outcome, flags.json === true, deps);
          return outcome;
        }
        deps.reporter.warn(`Not hotswappable, deploying through CloudFormation instead: ${outcome.reasons.join('; ')}.`);
      }
      const result = await deploy(
        {
          stackName: target.stackName,
          stage: target.stage,
          configParameters: target.parameters,
          parameterOverrides,
          bucket: flags.bucket ?? target.bucket,
          yes: flags.yes,
          execute: flags.execute,
          outputsFile: flags.outputsFile === undefined ? undefined : resolve(flags.outputsFile),
          protect: flags.protect,
          skipLint: flags.skipLint,
          continueRollback: flags.continueRollback,
          hintFlags,
          roleArn,
          rollbackMonitoringMinutes,
        },
        {
          reporter: deps.reporter,
          aws,
          build,
          lint: () => cachedLint(deps.root, () => runCfnLint({ root: deps.root, env: deps.env })),
          loadTemplate: () => loadDeployTemplate(deps.root),
          interactive: io.interactive,
          confirm: io.prompt?.confirm,
          terminal: io.terminal,
          signal,
        },
      );
      printDeployResult(result, flags.json === true, deps);
      return result;
    }),
  );
}

export function printDeployResult(result: DeployResult, json: boolean, deps: Pick<ProgramDeps, 'reporter'>): void {
  if (json) {
    const { orderedOutputs: _ordered, ...rest } = result;
    void _ordered;
    deps.reporter.result(JSON.stringify(rest, null, 2));
    return;
  }
  if (result.status === 'not-executed') return;
  for (const line of formatOutputsTable(result.orderedOutputs)) deps.reporter.result(line);
}

export function printHotswapOutcome(outcome: Exclude<HotswapOutcome, { status: 'fallback' }>, json: boolean, deps: Pick<ProgramDeps, 'reporter'>): void {
  if (json) return deps.reporter.result(JSON.stringify(outcome, null, 2));
  if (outcome.status === 'unchanged') return deps.reporter.info(`No changes: the function already runs ${outcome.artifactKey}.`);
  deps.reporter.result(`${outcome.functionName}\t${outcome.artifact.key}${outcome.alias ? `\t${outcome.alias.name}=${outcome.alias.version}` : ''}`);
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** A role ARN CloudFormation would refuse is caught before anything is built or uploaded. */
function checkRoleArn(value: string, where: string): void {
  if (!ROLE_ARN.test(value)) {
    throw new UsageError(`${where}: ${JSON.stringify(value.length > 200 ? value.slice(0, 200) + '...' : value)} is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`, {
      details: ['Pass the ExecutionRoleArn output of `npx cli bootstrap-ci`, or leave it out to deploy with your own credentials.'],
    });
  }
}

export function deployCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('deploy')
      .description('Build, lint, upload and deploy the stack through a CloudFormation change set; print its Outputs.')
      .option('--parameter-overrides <Key=Value...>', 'template parameter values (repeatable; beat cli.config.json)', collect)
      .option('--bucket <bucket>', 'artifact bucket (default: a managed bucket per account and region, created on first use)')
      .option('-y, --yes', 'execute without asking (required when there is no terminal)', false)
      .option('--no-execute', 'create the change set, show it and stop (it is left for review)')
      .option('--outputs-file <file>', 'also write the Outputs as JSON to this file')
      .option('--protect', 'turn on termination protection', false)
      .option('--skip-lint', 'do not run cfn-lint', false)
      .option('--role-arn <arn>', 'CloudFormation service role to create the resources with (env CLI_CFN_ROLE_ARN; see cli bootstrap-ci)')
      .addOption(new Option('--continue-rollback', 'finish a failed rollback (UPDATE_ROLLBACK_FAILED), then deploy').default(false))
      .option('--hotswap', "only the function's code changed: update it directly (UpdateFunctionCode), skipping CloudFormation; else deploy normally", false)
      .option('--force', 'with --hotswap: hotswap a prod stage too', false)
      .option('--rollback-monitoring <minutes>', "minutes CloudFormation watches the stack's alarms after an update, rolling back if one fires (0-180)", String(DEFAULT_MONITORING_MINUTES)),
  )
    .addHelpText(
      'after',
      `
Steps: banner (account, region, stack) -> build -> lint -> upload (only if the zip's content
hash is new) -> change set -> preview -> confirm -> execute -> progress -> outputs.
"No changes" is a success (exit 0). A stack left in ROLLBACK_COMPLETE / REVIEW_IN_PROGRESS is
deleted automatically before it is created again. On failure the root cause is printed.
Exit codes: 0 deployed or nothing to do, 1 failed / cancelled / not confirmed (Ctrl-D at the
question), 2 bad input (also: no terminal and no --yes), 130 interrupted (Ctrl-C; once the
deployment has started it goes on: see \`cli status\`).

Examples:
  $ npx cli deploy                               deploy (asks before executing)
  $ npx cli deploy --stage dev --yes             stack ...-dev, no question asked
  $ npx cli deploy --no-execute                  preview the change set only
  $ npx cli deploy --parameter-overrides AuthMode=API_KEY --outputs-file outputs.json
  $ npx cli deploy --stage dev --hotswap         seconds, when only handler/ changed

Updates pass the stack's alarms (the composite ApiUnhealthyAlarm when there is one) to
CloudFormation as rollback triggers: it rolls back if one fires during the update or within
--rollback-monitoring minutes after it. A first deploy has no alarms to watch yet.
--hotswap leaves drift: the stack's ArtifactKey parameter still names the previous code until
the next deploy without --hotswap, which reconciles it. A prod stage is refused without --force.`,
    )
    .action(async (flags: DeployFlags) => {
      await deployFromFlags(flags, deps);
    });
}
