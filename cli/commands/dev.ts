/**
 * `cli dev`: the whole stack on this machine, from infra/cfn/template.yaml: embedded DynamoDB,
 * the Lambda runtime running the `cli build` bundle, and API Gateway at http://HOST:PORT/<stage>.
 * Runs until SIGINT/SIGTERM, then stops gracefully.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { parseParameterOverrides } from '../template/parameters.js';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REGION, DEFAULT_STACK_NAME, startLocalStack, type LocalStack } from '../local/index.js';
import { capYoungGeneration } from '../local/young-generation.js';
import type { ProgramDeps } from '../program.js';

export interface DevOptions {
  port: number;
  host: string;
  region: string;
  stackName: string;
  parameterOverrides: string[];
  dataDir?: string;
  dynamodbEndpoint?: string;
  watch: boolean;
  outputsFile?: string;
  concurrency?: number;
  apiKey?: string;
}

export interface DevDeps extends ProgramDeps {
  /** Resolves when the user asks to stop (default: SIGINT or SIGTERM); with the signal's name. */
  untilStopped?: () => Promise<string>;
  /** Called once the stack is ready (tests). */
  onReady?: (stack: LocalStack) => void;
}

export interface DevResult {
  outputs: Record<string, string>;
  readyMs: number;
  stoppedBy: string;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolveSignal(signal);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}

export async function dev(options: DevOptions, deps: DevDeps): Promise<DevResult> {
  const { reporter } = deps;
  const c = reporter.color;
  const stack = await startLocalStack({
    root: deps.root,
    host: options.host,
    port: options.port,
    region: options.region,
    stackName: options.stackName,
    parameterOverrides: parseParameterOverrides(options.parameterOverrides),
    watch: options.watch,
    reporter,
    ...(options.dataDir !== undefined ? { dataDir: resolve(options.dataDir) } : {}),
    ...(options.dynamodbEndpoint !== undefined ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
  });
  // Semi-spaces of at most 16 MB, in practice 8 MB, where V8 alone reaches 16-32 MB under load:
  // less RSS for the same throughput (2 and 4 MB cost main-thread time in more scavenges).
  const stopCapping = capYoungGeneration(16);
  try {
    if (options.outputsFile) await writeFile(resolve(options.outputsFile), JSON.stringify(stack.outputs, null, 2) + '\n');
    // performance.now() counts from process start (performance.timeOrigin).
    const readyMs = performance.now();
    const stage = stack.model.api.stages[0]!.name;
    const width = Math.max(...Object.keys(stack.outputs).map((k) => k.length), 'API key'.length) + 2;
    const row = (k: string, v: string) => reporter.info(`  ${k.padEnd(width)}${v}`);
    reporter.info(c.bold(`Local stack of infra/cfn/template.yaml (stage ${stage}, region ${stack.model.pseudo.region})`));
    for (const [k, v] of Object.entries(stack.outputs)) row(k, /^https?:/.test(v) ? c.cyan(v) : v);
    const store = options.dynamodbEndpoint ? 'external' : options.dataDir ? `embedded, data in ${relative(process.cwd(), resolve(options.dataDir)) || '.'}` : 'embedded, in memory';
    row('DynamoDB', `${stack.dynamodbEndpoint} (${store}; tables: ${stack.tables.map((t) => t.name + (t.created ? '' : ' (existing)')).join(', ')})`);
    if (stack.apiKey) row('API key', `x-api-key: ${stack.apiKey}`);
    reporter.info(`  Routes:`);
    for (const r of stack.routes) reporter.info(`    ${r.replace(/ (\/\S*)$/, (_m, p: string) => ` ${stack.endpoint}${p === '/' ? '' : p}`)}`);
    if (options.outputsFile) reporter.info(`  Outputs written to ${options.outputsFile}`);
    reporter.info(options.watch ? c.dim('  Watching handler/ for changes (--no-watch to turn off). Ctrl-C stops.') : c.dim('  Ctrl-C stops.'));
    reporter.info(c.green(`ready in ${Math.round(readyMs)} ms`));
    deps.onReady?.(stack);
    const stoppedBy = await (deps.untilStopped ?? waitForSignal)();
    reporter.info(`${stoppedBy}: stopping...`);
    return { outputs: stack.outputs, readyMs, stoppedBy };
  } finally {
    stopCapping();
    await stack.stop();
  }
}

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function devCommand(deps: ProgramDeps): Command {
  return new Command('dev')
    .description('Run the whole stack locally from infra/cfn/template.yaml: DynamoDB, the Lambda function, API Gateway.')
    .addOption(new Option('--port <port>', 'HTTP port of the local API Gateway').default(DEFAULT_PORT).argParser(integer('--port', 0, 65535)))
    .option('--host <host>', 'address to listen on', DEFAULT_HOST)
    .addOption(new Option('--region <region>', 'AWS::Region seen by the template and the function').default(DEFAULT_REGION))
    .option('--stack-name <name>', 'AWS::StackName (generated resource names derive from it)', DEFAULT_STACK_NAME)
    .option('--parameter-overrides <K=V...>', 'template parameter values, e.g. ApiKeyRequired=true', [])
    .option('--data-dir <dir>', 'keep the DynamoDB data in this directory across restarts (default: in memory)')
    .option('--dynamodb-endpoint <url>', 'use this DynamoDB-compatible server instead of the embedded one (tables are created if missing)')
    .option('--no-watch', 'do not rebuild and reload the function when handler/ changes')
    .option('--outputs-file <file>', 'once ready, write the outputs (same keys as the template Outputs) as JSON')
    .addOption(new Option('--concurrency <n>', 'Lambda execution environments (warm workers) per function; default min(4, CPU cores)').argParser(integer('--concurrency', 1, 64)))
    .option('--api-key <value>', 'value of the local API key when the template generates one (default: random, printed at start)')
    .addHelpText(
      'after',
      `
Serves http://HOST:PORT/<stage>/<path> exactly as API Gateway would: the same proxy event, the same
403 "Missing Authentication Token" for an unknown route and 502 for a malformed response (with the
reason printed here), the function's Timeout and MemorySize, hot reload on save.

Examples:
  $ npx cli dev
  $ npx cli dev --port 8080 --data-dir .local/dynamodb
  $ npx cli dev --parameter-overrides ApiKeyRequired=true StageName=dev
  $ npx cli dev --dynamodb-endpoint http://localhost:8000 --outputs-file .local/outputs.json`,
    )
    .action(async (opts: DevOptions & { watch: boolean }) => {
      if (opts.dataDir !== undefined && opts.dynamodbEndpoint !== undefined) {
        throw new UsageError('--data-dir and --dynamodb-endpoint exclude each other (the data directory is for the embedded DynamoDB)');
      }
      await dev(opts, deps);
    });
}
