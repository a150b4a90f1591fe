/** `cli diff`: commander wiring for cli/diff/stack-diff.ts. */
import { Command } from 'commander';
import { buildArtifact } from '../build/artifact.js';
import { CliError } from '../errors.js';
import { formatDataWarnings, formatDiff } from '../diff/format-diff.js';
import { stackDiff, type StackDiffResult } from '../diff/stack-diff.js';
import { loadDeployTemplate } from '../deploy/template-source.js';
import { parseParameterOverrides } from '../template/parameters.js';
import type { ProgramDeps } from './deps.js';
import { collect, withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface DiffFlags extends StackCommandOptions {
  parameterOverrides?: string[];
  bucket?: string;
  fail: boolean;
}

export async function diffFromFlags(flags: DiffFlags, deps: ProgramDeps): Promise<StackDiffResult> {
  const parameterOverrides = parseParameterOverrides(flags.parameterOverrides ?? []);
  const result = await withStack(flags, deps, ({ target, aws }) =>
    stackDiff(
      { stackName: target.stackName, stage: target.stage, configParameters: target.parameters, parameterOverrides, bucket: flags.bucket ?? target.bucket },
      { aws, build: () => buildArtifact({ root: deps.root }), loadTemplate: () => loadDeployTemplate(deps.root) },
    ),
  );
  const { reporter } = deps;
  if (flags.json) reporter.result(JSON.stringify(result, null, 2));
  else {
    if (!result.deployed) reporter.info(`Stack ${result.stackName} does not exist yet: everything would be created.`);
    if (result.empty) reporter.info(`No differences: stack ${result.stackName} runs this template, code and parameters.`);
    for (const line of formatDiff(result.diff, reporter.color)) reporter.result(line);
    for (const line of formatDataWarnings(result.diff)) reporter.warn(line);
  }
  if (flags.fail && !result.empty) throw new CliError(`Stack ${result.stackName} differs from the local template (--fail).`);
  return result;
}

export function diffCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('diff')
      .description('Show what `cli deploy` would change: the local template and parameters against the deployed stack, property by property.')
      .option('--parameter-overrides <Key=Value...>', 'template parameter values, as for deploy (repeatable)', collect)
      .option('--bucket <bucket>', 'artifact bucket deploy would use (default: the stack\'s, else the managed one)')
      .option('--fail', 'exit 1 when there are differences (as `cdk diff --fail`)', false),
  )
    .addHelpText(
      'after',
      `
Markers: [+] added, [-] removed, [~] modified; "(requires replacement)" when a changed property
makes CloudFormation replace the resource; a warning for each table (or other stateful resource)
that is removed or replaced, saying whether its Retain policy keeps the data.
Exit codes: 0 (differences or not), 1 with --fail when there are differences, 2 bad input.

Examples:
  $ npx cli diff --stage dev
  $ npx cli diff --parameter-overrides FunctionMemorySize=512
  $ npx cli diff --fail --json`,
    )
    .action(async (flags: DiffFlags) => {
      await diffFromFlags(flags, deps);
    });
}
