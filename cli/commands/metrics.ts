/** `cli metrics`: requests, errors, latency and throttles of the deployed stack, from CloudWatch. */
import { Command } from 'commander';
import { stackMetrics, type MetricsResult } from '../observe/metrics.js';
import { formatMetricsTable } from '../ui/metrics-table.js';
import type { ProgramDeps } from './deps.js';
import { withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface MetricsFlags extends StackCommandOptions {
  since: string;
}

export async function metrics(flags: MetricsFlags, deps: ProgramDeps): Promise<MetricsResult> {
  return withStack(flags, deps, async ({ target, aws, hintFlags }) => {
    const result = await stackMetrics({ stackName: target.stackName, since: flags.since, hintFlags }, { aws });
    if (flags.json) deps.reporter.result(JSON.stringify(result, null, 2));
    else for (const line of formatMetricsTable(result, deps.reporter.color)) deps.reporter.result(line);
    return result;
  });
}

export function metricsCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('metrics')
      .description("Show the stack's requests, 4xx, 5xx, p50/p99 latency, function errors and throttles from CloudWatch, with sparklines.")
      .option('--since <when>', 'start: a duration (30m, 1h, 7d) or an ISO date; the period follows (1m points up to 1h, 5m up to 5h, ...)', '1h'),
  )
    .addHelpText('after', `
Examples:
  $ npx cli metrics
  $ npx cli metrics --since 1d --stage prod
  $ npx cli metrics --json | jq '.rows[] | {label, total}'`)
    .action(async (flags: MetricsFlags) => {
      await metrics(flags, deps);
    });
}
