/** `cli traces`: the slowest and failed recent requests with their segment timings, from X-Ray. */
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { stackTraces, type TracesResult } from '../observe/traces.js';
import { formatTrace, formatTracesResult } from '../ui/trace-lines.js';
import type { ProgramDeps } from './deps.js';
import { withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface TracesFlags extends StackCommandOptions {
  since: string;
  id?: string;
  limit: string;
}

export async function traces(flags: TracesFlags, deps: ProgramDeps): Promise<TracesResult> {
  const limit = Number(flags.limit);
  if (!/^\d+$/.test(flags.limit) || limit < 1 || limit > 100) throw new UsageError(`--limit "${flags.limit}": expected a whole number from 1 to 100`);
  return withStack(flags, deps, async ({ target, aws, hintFlags }) => {
    const result = await stackTraces({ stackName: target.stackName, since: flags.since, id: flags.id, limit, hintFlags }, { aws });
    const { reporter } = deps;
    if (flags.json) reporter.result(JSON.stringify(result, null, 2));
    else if (flags.id !== undefined) for (const line of formatTrace(result.slowest[0]!, reporter.color)) reporter.result(line);
    else for (const line of formatTracesResult(result, reporter.color)) reporter.result(line);
    return result;
  });
}

export function tracesCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('traces')
      .description("Show the stack's slowest and failed recent requests from X-Ray, each with its segment timings (API Gateway, Lambda, DynamoDB).")
      .option('--since <when>', 'start: a duration (15m, 1h, 1d) or an ISO date, within the 30 days X-Ray keeps', '15m')
      .option('--id <trace-id>', 'one trace by id (1-5f2a...-..., the Root= of an X-Amzn-Trace-Id header)')
      .option('--limit <n>', 'how many slowest and how many failed traces', '5'),
  )
    .addHelpText('after', `
Examples:
  $ npx cli traces
  $ npx cli traces --since 1h --limit 10
  $ npx cli traces --id 1-58406520-a006649127e371903a2de979`)
    .action(async (flags: TracesFlags) => {
      await traces(flags, deps);
    });
}
