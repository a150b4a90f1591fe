/**
 * `cli dev`: the whole stack on this machine, from infra/cfn/template.yaml: embedded DynamoDB,
 * the Lambda runtime running the `cli build` bundle, and API Gateway at http://HOST:PORT/<stage>.
 * Runs until SIGINT/SIGTERM, then stops gracefully.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { relative, resolve } from 'node:path';
import { regionNameProblem } from '../aws/region.js';
import { UsageError } from '../errors.js';
import { unwritableFile, writeFileAtomically } from '../fs/atomic-write.js';
import type { DevStateFile } from '../local/dev-state.js';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REGION } from '../local/defaults.js';
import type { DynamoCredentialSource } from '../local/dynamodb.js';
import type { LocalStack } from '../local/index.js';
import { DEFAULT_STACK_NAME } from '../template/project.js';
import { parseParameterOverrides } from '../template/parameters.js';
import type { ProgramDeps } from './deps.js';

/** How often `cli dev` prints the summary of the EMF metrics the function emitted, by default (seconds). */
const METRICS_EVERY_S = 10;

export interface DevOptions {
  port: number;
  host: string;
  region: string;
  stackName: string;
  parameterOverrides: string[];
  dataDir?: string;
  dynamodbEndpoint?: string;
  dynamodbCredentials?: string;
  watch: boolean;
  outputsFile?: string;
  concurrency?: number;
  apiKey?: string;
  /** Seconds between EMF metric summaries; 0: none. */
  metricsEvery?: number;
  /** false with --no-throttle: no stage or usage-plan 429s. */
  throttle?: boolean;
}

export interface DevDeps extends ProgramDeps {
  /** Resolves when the user asks to stop (default: SIGINT or SIGTERM); with the signal's name. */
  untilStopped?: () => Promise<string>;
  /** Called once the stack is ready (tests). */
  onReady?: (stack: LocalStack) => void;
  /** Where the state file `cli invoke` finds goes (tests; default <root>/.local/cli-dev). */
  devStateDir?: string;
}

export interface DevResult {
  outputs: Record<string, string>;
  readyMs: number;
  stoppedBy: string;
}

/**
 * Resolves on SIGINT or SIGTERM, or when the process that ran `cli dev` under npm is gone. The
 * handlers stay until dispose(): a signal during the stop is absorbed (the stop is bounded, and
 * npm forwards the terminal's Ctrl-C to a process that already got it from the terminal).
 *
 * `npx cli dev` runs as npm -> `sh -c cli dev` -> node. npm forwards SIGINT and SIGTERM to its
 * child only (https://github.com/npm/run-script/blob/main/lib/signal-manager.js), the shell exits
 * without passing them on, and this process is orphaned: its parent pid changes.
 */
function waitForStop(): { stopped: Promise<string>; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let settle!: (reason: string) => void;
  const stopped = new Promise<string>((resolveStop) => {
    settle = (reason) => {
      clearInterval(timer);
      resolveStop(reason);
    };
  });
  process.on('SIGINT', settle);
  process.on('SIGTERM', settle);
  const parent = process.ppid;
  if (process.env.npm_lifecycle_event !== undefined && parent > 1) {
    timer = setInterval(() => {
      if (process.ppid !== parent) settle(`the parent process (pid ${parent}) exited`);
    }, 250).unref();
  }
  return {
    stopped,
    dispose() {
      clearInterval(timer);
      process.off('SIGINT', settle);
      process.off('SIGTERM', settle);
    },
  };
}

/** --dynamodb-credentials, else CLI_DYNAMODB_CREDENTIALS, else auto. */
function credentialSource(value: string | undefined, sources: readonly DynamoCredentialSource[]): DynamoCredentialSource {
  if (value === undefined || value === '') return 'auto';
  if ((sources as readonly string[]).includes(value)) return value as DynamoCredentialSource;
  throw new UsageError(`--dynamodb-credentials (or CLI_DYNAMODB_CREDENTIALS) must be one of ${sources.join(', ')}, got "${value}"`);
}

export async function dev(options: DevOptions, deps: DevDeps): Promise<DevResult> {
  const { reporter } = deps;
  const c = reporter.color;
  // The emulator loads here, not with the program: no other command needs it (or esbuild and dynalite).
  const [{ startLocalStack }, { DYNAMO_CREDENTIAL_SOURCES }, { devState, devStateDir, localOutputs, writeDevState }, { capYoungGeneration }, { formatRoute }] = await Promise.all([
    import('../local/index.js'),
    import('../local/dynamodb.js'),
    import('../local/dev-state.js'),
    import('../local/young-generation.js'),
    import('../local/routes.js'),
  ]);
  const stack = await startLocalStack({
    root: deps.root,
    host: options.host,
    port: options.port,
    region: options.region,
    stackName: options.stackName,
    parameterOverrides: parseParameterOverrides(options.parameterOverrides),
    watch: options.watch,
    reporter,
    metricsSummaryMs: (options.metricsEvery ?? METRICS_EVERY_S) * 1000,
    ...(options.dataDir !== undefined ? { dataDir: resolve(options.dataDir) } : {}),
    ...(options.dynamodbEndpoint !== undefined ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
    dynamodbCredentials: credentialSource(options.dynamodbCredentials ?? deps.env.CLI_DYNAMODB_CREDENTIALS, DYNAMO_CREDENTIAL_SOURCES),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.throttle === false ? { throttle: false } : {}),
  });
  // Semi-spaces of at most 16 MB, in practice 8 MB, where V8 alone reaches 16-32 MB under load:
  // less RSS for the same throughput (2 and 4 MB cost main-thread time in more scavenges).
  const stopCapping = capYoungGeneration(16);
  let state: DevStateFile | undefined;
  let stop: ReturnType<typeof waitForStop> | undefined;
  try {
    state = await writeDevState(deps.devStateDir ?? devStateDir(deps.root), devState(stack)).catch((err: unknown) => {
      reporter.warn(`cannot write the state file of this cli dev (${(err as Error).message}): cli invoke will not find it; give it --url`);
      return undefined;
    });
    if (options.outputsFile) {
      await writeFileAtomically(resolve(options.outputsFile), JSON.stringify(localOutputs(stack), null, 2) + '\n').catch((err: unknown) => {
        throw unwritableFile('--outputs-file', options.outputsFile!, err);
      });
    }
    // performance.now() counts from process start (performance.timeOrigin).
    const readyMs = performance.now();
    const stage = stack.model.api.stages[0]!.name;
    const width = Math.max(...Object.keys(stack.outputs).map((k) => k.length), 'AWS_IAM signing'.length) + 2;
    const row = (k: string, v: string) => reporter.info(`  ${k.padEnd(width)}${v}`);
    reporter.info(c.bold(`Local stack of infra/cfn/template.yaml (stage ${stage}, region ${stack.model.pseudo.region})`));
    for (const [k, v] of Object.entries(stack.outputs)) row(k, /^https?:/.test(v) ? c.cyan(v) : v);
    const store = options.dynamodbEndpoint ? 'external' : options.dataDir ? `embedded, data in ${relative(process.cwd(), resolve(options.dataDir)) || '.'}` : 'embedded, in memory';
    row('DynamoDB', `${stack.dynamodbEndpoint} (${store}; tables: ${stack.tables.map((t) => t.name + (t.created ? '' : ' (existing)')).join(', ')})`);
    if (stack.apiKey) row('API key', `x-api-key: ${stack.apiKey}`);
    if (stack.credentials) {
      // The methods require SigV4: these are the only credentials the local stack accepts (cli invoke uses them).
      row('AWS_IAM signing', `AWS_ACCESS_KEY_ID=${stack.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${stack.credentials.secretAccessKey}`);
      row('', c.dim(`curl --aws-sigv4 "aws:amz:${stack.model.pseudo.region}:execute-api" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" ${stack.endpoint}/items`));
    }
    if (stack.cognito) row('Cognito', `local issuer ${stack.cognito.issuer}, client ${stack.cognito.clientId}: -H "Authorization: $(npx cli token)"`);
    reporter.info(`  Routes:`);
    for (const r of stack.routes) reporter.info(`    ${formatRoute(r, stack.endpoint)}`);
    if (options.outputsFile) reporter.info(`  Outputs written to ${options.outputsFile}`);
    reporter.info(options.watch ? c.dim('  Watching every file the bundle is built from for changes (--no-watch to turn off). Ctrl-C stops.') : c.dim('  Ctrl-C stops.'));
    const every = options.metricsEvery ?? METRICS_EVERY_S;
    reporter.info(c.dim(`  Access lines show the time split (gateway | function | DynamoDB) and the trace id; ${every > 0 ? `EMF metrics are summarised every ${every} s` : 'EMF metric lines are not shown (--metrics-every 0)'}.`));
    reporter.info(c.green(`ready in ${Math.round(readyMs)} ms`));
    deps.onReady?.(stack);
    let stoppedBy: string;
    if (deps.untilStopped) stoppedBy = await deps.untilStopped();
    else {
      stop = waitForStop();
      stoppedBy = await stop.stopped;
    }
    reporter.info(`${stoppedBy}: stopping...`);
    return { outputs: stack.outputs, readyMs, stoppedBy };
  } finally {
    stopCapping();
    // The server answers no new request from the moment the stop is announced, not only once the
    // state file is gone.
    const stopped = stack.stop();
    await state?.remove();
    await stopped;
    stop?.dispose();
  }
}

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** The region's shape only: cli dev calls AWS only with --dynamodb-endpoint, which is checked against it. */
function regionName(value: string): string {
  const problem = regionNameProblem(value);
  if (problem === undefined) return value;
  throw new InvalidArgumentError(`--region ${problem}: give a region such as us-east-1 or eu-west-1`);
}

export function devCommand(deps: ProgramDeps): Command {
  return new Command('dev')
    .description('Run the whole stack locally from infra/cfn/template.yaml: DynamoDB, the Lambda function, API Gateway.')
    .addOption(new Option('--port <port>', 'HTTP port of the local API Gateway').default(DEFAULT_PORT).argParser(integer('--port', 0, 65535)))
    .option('--host <host>', 'address to listen on', DEFAULT_HOST)
    .addOption(new Option('--region <region>', 'AWS::Region seen by the template and the function').default(DEFAULT_REGION).argParser(regionName))
    .option('--stack-name <name>', 'AWS::StackName (generated resource names derive from it)', DEFAULT_STACK_NAME)
    .option('--parameter-overrides <K=V...>', 'template parameter values, e.g. AuthMode=NONE', [])
    .option('--data-dir <dir>', 'keep the DynamoDB data in this directory across restarts (default: in memory)')
    .option('--dynamodb-endpoint <url>', 'use this DynamoDB-compatible server instead of the embedded one (tables are created if missing)')
    .option(
      '--dynamodb-credentials <auto|chain|local>',
      'how DynamoDB calls are signed: auto (default; dummy credentials for a loopback endpoint, the standard AWS chain for any other), chain, or local (dummy); env CLI_DYNAMODB_CREDENTIALS',
    )
    .option('--no-watch', 'do not rebuild and reload the function when handler/ changes')
    .option('--outputs-file <file>', 'once ready, write the outputs (same keys as the template Outputs) as JSON')
    .addOption(new Option('--concurrency <n>', 'Lambda execution environments (warm workers) per function; default min(4, CPU cores)').argParser(integer('--concurrency', 1, 64)))
    .option('--api-key <value>', 'value of the local API key when the template generates one (default: random, printed at start)')
    .addOption(new Option('--metrics-every <seconds>', 'print a summary of the EMF metrics the function emits this often (0: never)').argParser(integer('--metrics-every', 0, 3600)).default(METRICS_EVERY_S))
    .option('--no-throttle', "do not emulate the stage's and usage plans' throttling (429 Too Many Requests over ThrottlingRateLimit/ThrottlingBurstLimit)")
    .addHelpText(
      'after',
      `
Serves http://HOST:PORT/<stage>/<path> exactly as API Gateway would: the same proxy event, the same
403 "Missing Authentication Token" for an unknown route and 502 for a malformed response (with the
reason printed here), the function's Timeout and MemorySize, hot reload on save. With AuthMode
AWS_IAM (the default) requests must be SigV4-signed with the local credentials printed at start
(cli invoke does it); the stage's throttle answers 429 over its rate and burst.

Examples:
  $ npx cli dev
  $ npx cli dev --port 8080 --data-dir .local/dynamodb
  $ npx cli dev --parameter-overrides AuthMode=API_KEY StageName=dev
  $ npx cli dev --parameter-overrides AuthMode=NONE --no-throttle
  $ npx cli dev --dynamodb-endpoint http://localhost:8000 --outputs-file .local/outputs.json
  $ AWS_PROFILE=dev npx cli dev --region eu-west-1 --dynamodb-endpoint https://dynamodb.eu-west-1.amazonaws.com`,
    )
    .action(async (opts: DevOptions & { watch: boolean }) => {
      if (opts.dataDir !== undefined && opts.dynamodbEndpoint !== undefined) {
        throw new UsageError('--data-dir and --dynamodb-endpoint exclude each other (the data directory is for the embedded DynamoDB)');
      }
      await dev(opts, deps);
    });
}
