/** `cli status`: the stack's status, its last events, the root cause if it failed, its Outputs. */
import { Command } from 'commander';
import { formatOutputsTable } from '../stack/outputs.js';
import { formatEventLine, colorStatus } from '../deploy/progress-printer.js';
import { formatRootCause } from '../deploy/root-cause.js';
import { formatAlarmLines } from '../ui/alarm-lines.js';
import { stackStatus, type StatusResult } from '../stack/status.js';
import { templateOutputOrder } from '../deploy/template-source.js';
import type { ProgramDeps } from './deps.js';
import { withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface StatusFlags extends StackCommandOptions {
  events: string;
}

export async function status(flags: StatusFlags, deps: ProgramDeps): Promise<StatusResult> {
  return withStack(flags, deps, async ({ target, aws, hintFlags }) => {
    const events = Number(flags.events);
    const result = await stackStatus({ stackName: target.stackName, events: Number.isInteger(events) && events >= 0 ? events : 10, hintFlags, outputOrder: await templateOutputOrder(deps.root) }, { aws });
    const { reporter } = deps;
    if (flags.json) {
      const { orderedOutputs: _o, ...rest } = result;
      void _o;
      reporter.result(JSON.stringify(rest, null, 2));
      return result;
    }
    reporter.result(`${result.stackName} (${result.region}): ${colorStatus(result.status, reporter.color)}${result.statusReason ? ` - ${result.statusReason}` : ''}`);
    if (result.lastUpdated) reporter.result(`Last change: ${result.lastUpdated}${result.terminationProtection ? ', termination protection on' : ''}`);
    if (result.events.length > 0) {
      reporter.result('Last events:');
      const first = result.events[0]!.timestamp.getTime();
      for (const e of result.events) reporter.result(formatEventLine(e, e.timestamp.getTime() - first, reporter.color));
    }
    if (result.rootCause) for (const line of formatRootCause(result.rootCause)) reporter.result(line);
    for (const line of formatAlarmLines(result, reporter.color)) reporter.result(line);
    reporter.result('Outputs:');
    for (const line of formatOutputsTable(result.orderedOutputs)) reporter.result('  ' + line);
    return result;
  });
}

export function statusCommand(deps: ProgramDeps): Command {
  return withStackOptions(new Command('status').description("Show the stack's status, last events, root cause of a failure, alarm states (ALARM first), dashboard link, and Outputs."))
    .option('--events <n>', 'how many recent events to show', '10')
    .addHelpText('after', `
Examples:
  $ npx cli status
  $ npx cli status --stage dev --json`)
    .action(async (flags: StatusFlags) => {
      await status(flags, deps);
    });
}
