/** `cli outputs`: the stack's Outputs (endpoint first), or JSON `{Key: Value}` with --json. */
import { Command } from 'commander';
import { formatOutputsTable } from '../stack/outputs.js';
import { stackStatus } from '../stack/status.js';
import { templateOutputOrder } from '../deploy/template-source.js';
import type { ProgramDeps } from './deps.js';
import { withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

export async function outputs(flags: StackCommandOptions, deps: ProgramDeps): Promise<Record<string, string>> {
  return withStack(flags, deps, async ({ target, aws, hintFlags }) => {
    const status = await stackStatus({ stackName: target.stackName, events: 0, hintFlags, outputOrder: await templateOutputOrder(deps.root) }, { aws });
    if (flags.json) deps.reporter.result(JSON.stringify(status.outputs, null, 2));
    else for (const line of formatOutputsTable(status.orderedOutputs)) deps.reporter.result(line);
    if (!/_COMPLETE$/.test(status.status) || /ROLLBACK/.test(status.status)) {
      deps.reporter.warn(`stack ${status.stackName} is ${status.status}; see \`npx cli status${hintFlags}\``);
    }
    return status.outputs;
  });
}

export function outputsCommand(deps: ProgramDeps): Command {
  return withStackOptions(new Command('outputs').description("Print the deployed stack's Outputs (ApiEndpoint first)."))
    .addHelpText('after', `
Examples:
  $ npx cli outputs
  $ npx cli outputs --stage dev --json | jq -r .ApiEndpoint`)
    .action(async (flags: StackCommandOptions) => {
      await outputs(flags, deps);
    });
}
