/**
 * The local stack: everything `cli dev` runs, from the template alone. Services start in order,
 * DynamoDB -> Lambda runtime -> API Gateway (HTTP server) -> file watcher, and stop in reverse;
 * if any step fails, what already started is stopped before the error propagates.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import { dirname, join, resolve } from 'node:path';
import { handlerBuildOptions } from '../build/bundle.js';
import { CliError, UsageError } from '../errors.js';
import { createMemoryReporter, type Reporter } from '../ui/reporter.js';
import { lockDataDir } from './data-dir.js';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REGION } from './defaults.js';
import { ensureTables, LOCAL_CREDENTIALS, resolveDynamoCredentials, startEmbeddedDynamo, type DynamoCredentials, type DynamoCredentialSource, type EnsuredTable } from './dynamodb.js';
import { createHandlerBuilder, type HandlerBuilder } from './handler-build.js';
import { createFunctionLogSink } from './function-logs.js';
import { cognitoState, createLocalIssuer, loadSigningKey, localizeIssuerOutputs, type CognitoState, type LocalIssuer } from './cognito-issuer.js';
import { startHotReloader, type HotReloader, type ReloadEvent } from './hot-reload.js';
import { FunctionInitError, LambdaRuntime } from './lambda-runtime.js';
import { createRouteTable, type RouteDescription } from './routes.js';
import { startApiServer, type ApiServer } from './server.js';
import { localizeOutputs } from './local-endpoints.js';
import { LOCAL_CALLER, type LocalCaller } from './local-caller.js';
import { buildStackModel, type LocalFunction, type StackModel } from './stack-model.js';
import { DEFAULT_STACK_NAME } from '../template/project.js';
import { readTemplate } from '../template/read-template.js';

export type { ReloadEvent } from './hot-reload.js';


export interface LocalStackOptions {
  /** Project root: infra/cfn/template.yaml and handler/ are read from here. */
  root: string;
  /** Defaults to <root>/infra/cfn/template.yaml. */
  templatePath?: string;
  host?: string;
  /** HTTP port (default 3000; 0 picks a free one). */
  port?: number;
  region?: string;
  stackName?: string;
  parameterOverrides?: Record<string, string>;
  /** Persist the embedded DynamoDB here (LevelDB); in memory when absent. */
  dataDir?: string;
  /** Use this DynamoDB-compatible server instead of the embedded one (tables are created if missing). */
  dynamodbEndpoint?: string;
  /**
   * How calls to `dynamodbEndpoint` are signed, by the CLI and by the function: `auto` (default)
   * uses dummy credentials for a loopback endpoint and the standard AWS chain for any other;
   * `chain` and `local` force one.
   */
  dynamodbCredentials?: DynamoCredentialSource;
  /** Rebuild and swap the function when a file the bundle is built from changes (default false; `cli dev` turns it on). */
  watch?: boolean;
  /** Execution environments per function (default min(4, CPU cores)). */
  concurrency?: number;
  /** Value of API keys the template leaves to API Gateway to generate (default: random per start). */
  apiKey?: string;
  /** Terminal output: access log, handler logs, explanations, reloads. Silent when absent. */
  reporter?: Reporter;
  /** Print the summary of the function's EMF metrics this often (ms; 0 or absent: only on flushMetrics()). */
  metricsSummaryMs?: number;
  /** Emulate the stage's and usage plans' throttling, 429 over it (default true). */
  throttle?: boolean;
  /** The clock of SigV4 checks, token buckets and quotas, in epoch ms (tests; default Date.now). */
  now?: () => number;
}

export interface LocalStack {
  /** Same keys as the template's Outputs, URLs pointing at the local stack. */
  outputs: Record<string, string>;
  /** The API's base URL with the default stage: http://127.0.0.1:3000/prod */
  endpoint: string;
  /** http://HOST:PORT */
  origin: string;
  dynamodbEndpoint: string;
  /** The local API key value when any method requires one. */
  apiKey?: string;
  /** The credentials requests must be signed with when any method has AuthorizationType AWS_IAM. */
  credentials?: LocalCaller;
  /** The local Cognito issuer, when a method has a COGNITO_USER_POOLS authorizer. */
  cognito?: CognitoState;
  model: StackModel;
  tables: EnsuredTable[];
  /** Every method of every resource of the API. */
  routes: RouteDescription[];
  /** Fires with every reload outcome (only with watch). */
  events: EventEmitter<{ reload: [ReloadEvent] }>;
  /** Resolves with the next reload outcome (for tests: no sleeping). */
  nextReload(): Promise<ReloadEvent>;
  /** Prints the summary of the EMF metrics the function emitted since the last one; returns its lines. */
  flushMetrics(): string[];
  stop(): Promise<void>;
}

function localApiKey(): string {
  // API Gateway generates 40 alphanumeric characters.
  return randomBytes(40).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 40).padEnd(40, '0');
}

/** The function's environment: the template's variables, then what Lambda sets, pointed at the local store. */
export function functionEnvironment(
  fn: LocalFunction,
  context: { region: string; dynamodbEndpoint: string; taskRoot: string; credentials?: DynamoCredentials },
): Record<string, string> {
  const credentials = context.credentials ?? LOCAL_CREDENTIALS;
  return {
    ...fn.environment,
    AWS_REGION: context.region,
    AWS_DEFAULT_REGION: context.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    // With LogFormat JSON, Lambda tells the runtime the format and ApplicationLogLevel (INFO when
    // unset) in these two; its Node.js runtime formats and filters console.* by them
    // (aws-lambda-nodejs-runtime-interface-client src/LogPatch.js), and so does the handler.
    // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
    ...(fn.logging?.format === 'JSON' && { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: fn.logging.applicationLogLevel ?? 'INFO' }),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    LAMBDA_TASK_ROOT: context.taskRoot,
    _HANDLER: fn.handler,
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    // As Lambda hands the execution role's credentials to the function: the dummy ones for a local
    // store (they keep the SDK from looking for real ones), else those the CLI resolved.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials === LOCAL_CREDENTIALS ? { AWS_SESSION_TOKEN: 'local' } : credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_ENDPOINT_URL_DYNAMODB: context.dynamodbEndpoint,
    // The bundled SDK warns that future releases need Node 22; locally we run on the CLI's Node.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * `--dynamodb-endpoint` without its trailing slash. A DynamoDB service endpoint names its region
 * (https://docs.aws.amazon.com/general/latest/gr/ddb.html), and a request signed for another
 * region is refused, so it must agree with `--region` (which the function also sees).
 */
export function checkDynamoEndpoint(endpoint: string, region: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--dynamodb-endpoint "${endpoint}" is not a URL; give one such as http://localhost:8000 or https://dynamodb.${region}.amazonaws.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--dynamodb-endpoint "${endpoint}" is not an http(s) URL`);
  const named = /^dynamodb(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)$/.exec(url.hostname)?.[1];
  if (named && named !== region) {
    throw new UsageError(`--dynamodb-endpoint ${endpoint} is in ${named} but the region is ${region}; pass --region ${named}`);
  }
  return endpoint.replace(/\/$/, '');
}

/**
 * The reporter with its lines coalesced: what one event-loop turn logs (access lines, function
 * logs of many requests under load) leaves stderr in one write instead of one write per line.
 */
export function coalescingReporter(reporter: Reporter, stream: Pick<Writable, 'cork' | 'uncork'> = process.stderr): Reporter {
  let corked = false;
  const hold = () => {
    if (corked) return;
    corked = true;
    stream.cork();
    setImmediate(() => {
      corked = false;
      stream.uncork();
    });
  };
  return {
    result: (text) => reporter.result(text),
    info: (text) => (hold(), reporter.info(text)),
    warn: (text) => (hold(), reporter.warn(text)),
    error: (text) => (hold(), reporter.error(text)),
    interactive: reporter.interactive,
    color: reporter.color,
  };
}

/** Why the HTTP server could not listen, as a user's mistake with what to do (exit 2), when it is one. */
export function listenError(err: unknown, host: string, port: number): unknown {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new UsageError(`port ${port} on ${host} is in use (another cli dev?); choose one with --port`, { cause: err });
    case 'EADDRNOTAVAIL':
      return new UsageError(`--host ${host}: this machine has no such address; use 127.0.0.1 (the default), or 0.0.0.0 for every interface`, { cause: err });
    case 'EACCES':
      return new UsageError(`port ${port} on ${host}: permission denied (ports below 1024 need privileges); choose one above 1023 with --port`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new UsageError(`--host ${host}: not an address of this machine, and the name does not resolve; use 127.0.0.1 (the default)`, { cause: err });
    default:
      return err;
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const root = resolve(options.root);
  const reporter = options.reporter ? coalescingReporter(options.reporter) : createMemoryReporter();
  const region = options.region ?? DEFAULT_REGION;
  const apiKeyValue = options.apiKey ?? localApiKey();
  const concurrency = options.concurrency ?? Math.min(4, availableParallelism());
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a positive integer, got ${options.concurrency}`);

  const loaded = await readTemplate(root, options.templatePath ? resolve(root, options.templatePath) : undefined);
  const model = buildStackModel(loaded, {
    region,
    stackName: options.stackName ?? DEFAULT_STACK_NAME,
    overrides: options.parameterOverrides ?? {},
    apiKeyValue,
  });
  const usedFunctions = model.functions.filter((fn) => model.api.routes.some((r) => r.functionLogicalId === fn.logicalId));

  const stops: { name: string; stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) {
      await s.stop().catch((err: unknown) => reporter.warn(`stopping ${s.name}: ${(err as Error).message}`));
    }
  };

  try {
    const builder: HandlerBuilder = createHandlerBuilder(root);
    stops.push({ name: 'esbuild', stop: () => builder.dispose() });

    // A cached bundle whose inputs are unchanged skips esbuild; a build runs while DynamoDB starts.
    const cached = builder.cached();
    const buildPromise = cached ? Promise.resolve(cached) : builder.build();
    let dynamodbEndpoint: string;
    if (options.dynamodbEndpoint) {
      dynamodbEndpoint = checkDynamoEndpoint(options.dynamodbEndpoint, region);
    } else {
      if (options.dataDir) {
        const lock = await lockDataDir(options.dataDir);
        stops.push({ name: 'data directory lock', stop: () => lock.release() });
      }
      const dynamo = await startEmbeddedDynamo({ host: '127.0.0.1', log: (line) => reporter.error(line), ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}) }).catch((err: unknown) => {
        throw new CliError(`cannot start the embedded DynamoDB${options.dataDir ? ` with --data-dir ${options.dataDir}` : ''}: ${(err as Error).message}`, { cause: err });
      });
      stops.push({ name: 'DynamoDB', stop: () => dynamo.stop() });
      dynamodbEndpoint = dynamo.endpoint;
    }
    const credentials = await resolveDynamoCredentials(dynamodbEndpoint, options.dynamodbCredentials);
    if (credentials.expiration) {
      reporter.warn(`the AWS credentials for ${dynamodbEndpoint} expire at ${credentials.expiration.toISOString()}; the function keeps using them, so restart cli dev then`);
    }
    const tables = await ensureTables(
      dynamodbEndpoint,
      model.tables.map((t) => t.spec),
      region,
      credentials,
    ).catch((err: unknown) => {
      throw new CliError(`cannot create the tables at ${dynamodbEndpoint}: ${(err as Error).message}`, { cause: err });
    });
    for (const t of tables) if (t.mismatch) reporter.warn(`table ${t.name}: ${t.mismatch}`);

    const build = await buildPromise;
    if (!build.ok) throw new CliError('cannot build the handler (handler/index.ts):', { details: build.errors });
    for (const w of build.warnings) reporter.warn(w);

    const functionLogs = createFunctionLogSink(reporter, { summaryEveryMs: options.metricsSummaryMs ?? 0 });
    stops.push({ name: 'metrics summary', stop: async () => functionLogs.stop() });
    const taskRoot = dirname(handlerBuildOptions(root).outfile!);
    const runtimes = new Map<string, LambdaRuntime>();
    stops.push({
      name: 'Lambda runtime',
      stop: async () => {
        await Promise.all([...runtimes.values()].map((r) => r.stop()));
      },
    });
    await Promise.all(
      usedFunctions.map(async (fn) => {
        const runtime = await LambdaRuntime.start({
          fn: {
            name: fn.name,
            arn: fn.arn,
            handler: fn.handler,
            timeoutSeconds: fn.timeoutSeconds,
            memorySize: fn.memorySize,
            logGroupName: fn.logGroupName,
            environment: functionEnvironment(fn, { region, dynamodbEndpoint, taskRoot, credentials }),
            filename: join(taskRoot, `${fn.handler.split('.')[0]}.js`),
          },
          code: build.code,
          concurrency,
          onLog: (line) => functionLogs.line(line),
        }).catch((err: unknown) => {
          if (err instanceof FunctionInitError) {
            throw new CliError(`the function ${fn.logicalId} failed to initialise: ${err.error.errorType}: ${err.error.errorMessage}`, {
              details: err.error.trace.slice(1, 6),
            });
          }
          throw err;
        });
        runtimes.set(fn.logicalId, runtime);
      }),
    );

    const routes = createRouteTable(model.api.routes);
    const signing = model.api.userPools.length > 0 ? await loadSigningKey(options.dataDir ? resolve(options.dataDir) : undefined) : undefined;
    let issuer: LocalIssuer | undefined;
    const server: ApiServer = await startApiServer({
      host: options.host ?? DEFAULT_HOST,
      port: options.port ?? DEFAULT_PORT,
      api: model.api,
      routes,
      accountId: model.pseudo.accountId,
      region: model.pseudo.region,
      partition: model.pseudo.partition,
      ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
      ...(options.now ? { now: options.now } : {}),
      reporter,
      invoke: (logicalId, event, requestId, traceId) => runtimes.get(logicalId)!.invoke(event, requestId, traceId),
      ...(signing ? { cognito: (origin: string) => (issuer = createLocalIssuer(origin, model.api.userPools, signing)) } : {}),
    }).catch((err: unknown) => {
      throw listenError(err, options.host ?? DEFAULT_HOST, options.port ?? DEFAULT_PORT);
    });
    stops.push({ name: 'HTTP server', stop: () => server.stop() });

    const events = new EventEmitter<{ reload: [ReloadEvent] }>();
    let reloader: HotReloader | undefined;
    if (options.watch) {
      reloader = startHotReloader({
        root,
        inputs: build.inputs,
        builder,
        onWarning: (message) => reporter.warn(message),
        initialCode: build.code,
        verifyInitial: cached !== undefined,
        deploy: async (code) => {
          await Promise.all([...runtimes.values()].map((r) => r.deploy(code)));
        },
        onEvent: (event) => {
          const files = event.files.length > 0 ? ` (${event.files.join(', ')})` : '';
          if (event.type === 'reloaded') reporter.info(reporter.color.green(`reloaded in ${Math.round(event.ms)} ms${files}`));
          else if (event.type === 'failed') {
            reporter.error(`reload failed (${event.stage === 'build' ? 'build error' : 'the new code does not load'}); still serving the last good build:\n${event.errors.join('\n')}`);
          }
          events.emit('reload', event);
        },
      });
      stops.push({ name: 'file watcher', stop: () => reloader!.close() });
    }

    const defaultStage = model.api.stages[0]!.name;
    const outputs = localizeIssuerOutputs(localizeOutputs(model.outputs, model, server.origin), model, issuer);
    const needsKey = model.api.routes.some((r) => r.apiKeyRequired);
    let stopping: Promise<void> | undefined;
    return {
      outputs,
      endpoint: `${server.origin}/${defaultStage}`,
      origin: server.origin,
      dynamodbEndpoint,
      ...(needsKey && model.api.apiKeys[0] ? { apiKey: model.api.apiKeys[0].value } : {}),
      ...(model.api.routes.some((r) => r.authorizationType === 'AWS_IAM') ? { credentials: LOCAL_CALLER } : {}),
      ...(issuer ? { cognito: cognitoState(issuer, model) } : {}),
      model,
      tables,
      routes: routes.describe(),
      events,
      nextReload: () => new Promise<ReloadEvent>((resolveEvent) => events.once('reload', resolveEvent)),
      flushMetrics: () => functionLogs.flushMetrics(),
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
