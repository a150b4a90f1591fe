/** `cli logs`: the deployed function's CloudWatch Logs. */
import { Command } from 'commander';
import { logs } from '../stack/logs.js';
import type { ProgramDeps } from './deps.js';
import { withInterrupt, withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface LogsFlags extends StackCommandOptions {
  tail: boolean;
  since: string;
  filter?: string;
}

export async function logsFromFlags(flags: LogsFlags, deps: ProgramDeps): Promise<{ logGroup: string; events: number }> {
  return withStack(flags, deps, ({ target, aws, hintFlags }) =>
    withInterrupt((signal) =>
      logs(
        { stackName: target.stackName, since: flags.since, tail: flags.tail, filter: flags.filter, json: flags.json, hintFlags },
        { reporter: deps.reporter, aws, signal },
      ),
    ),
  );
}

export function logsCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('logs')
      .description("Show the deployed function's CloudWatch Logs: JSON lines pretty-printed with their request id, errors highlighted.")
      .option('--tail', 'keep following new events (Ctrl-C to stop)', false)
      .option('--since <when>', 'start: a duration (30s, 10m, 2h, 1d) or an ISO date', '10m')
      .option('--filter <pattern>', 'CloudWatch Logs filter pattern, e.g. ERROR, a request id (quoted for you), or \'{ $.level = "ERROR" }\''),
  )
    .addHelpText('after', `
Examples:
  $ npx cli logs --since 1h
  $ npx cli logs --tail --filter ERROR
  $ npx cli logs --since 1h --filter 9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24   # the requestId of an error body
  $ npx cli logs --json | jq -r .message`)
    .action(async (flags: LogsFlags) => {
      await logsFromFlags(flags, deps);
    });
}
