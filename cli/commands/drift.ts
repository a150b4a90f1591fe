/** `cli drift`: commander wiring for cli/drift/stack-drift.ts. */
import { Command } from 'commander';
import { CliError } from '../errors.js';
import { formatDrift, stackDrift, type StackDriftResult } from '../drift/stack-drift.js';
import type { ProgramDeps } from './deps.js';
import { withInterrupt, withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface DriftFlags extends StackCommandOptions {
  fail: boolean;
}

export async function driftFromFlags(flags: DriftFlags, deps: ProgramDeps): Promise<StackDriftResult> {
  const result = await withStack(flags, deps, ({ target, aws, hintFlags }) =>
    withInterrupt((signal) => stackDrift({ stackName: target.stackName, hintFlags }, { aws, signal })),
  );
  const { reporter } = deps;
  if (flags.json) reporter.result(JSON.stringify(result, null, 2));
  else for (const line of formatDrift(result, reporter.color)) reporter.result(line);
  if (result.detectionStatus === 'DETECTION_FAILED') reporter.warn(`drift detection did not check every resource: ${result.detectionReason ?? 'no reason given'}`);
  if (flags.fail && result.stackDriftStatus === 'DRIFTED') throw new CliError(`Stack ${result.stackName} has drifted (--fail).`);
  return result;
}

export function driftCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('drift')
      .description('Detect drift: what changed in the deployed resources outside CloudFormation, resource by resource and property by property.')
      .option('--fail', 'exit 1 when the stack has drifted', false),
  )
    .addHelpText(
      'after',
      `
Runs DetectStackDrift, waits for it, and lists each resource's drift (DescribeStackResourceDrifts).
Drift detection does not compare a function's code: the drift \`deploy --hotswap\` leaves is
printed by the hotswap itself. moto does not implement drift detection.
Exit codes: 0 (drifted or not), 1 with --fail when drifted, 2 bad input, 130 Ctrl-C.

Examples:
  $ npx cli drift --stage dev
  $ npx cli drift --fail --json`,
    )
    .action(async (flags: DriftFlags) => {
      await driftFromFlags(flags, deps);
    });
}
