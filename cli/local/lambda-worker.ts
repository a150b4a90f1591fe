/**
 * One Lambda execution environment, run in a worker thread by lambda-runtime.ts. It needs no
 * TypeScript loader: scripts/cli-bundle.mjs builds it into one CommonJS script, the CLI bundle's
 * second entry, which lambda-runtime.ts starts with `eval`.
 *
 * It loads the handler bundle once (init), then serves one invocation at a time, as Lambda does:
 * module state survives between invocations (warm), console output is formatted as the Node.js
 * runtime formats it (see `log` below), and the result is serialised to
 * JSON exactly as Lambda returns it to API Gateway.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import Module from 'node:module';
import { dirname } from 'node:path';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { startDynamoTimer, type DynamoTiming } from './dynamodb-timer.js';

export interface WorkerInit {
  code: string;
  /** Absolute path the bundle is given (stack traces, relative requires). */
  filename: string;
  /** `index.handler` */
  handler: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

export interface InvokeMessage {
  type: 'invoke';
  id: number;
  /** The event as JSON (what Lambda's Invoke receives). */
  event: string;
  requestId: string;
  /** Epoch ms when the function times out. */
  deadline: number;
  /** The X-Ray trace header of the request: `_X_AMZN_TRACE_ID` during the invocation. */
  traceId?: string;
}

export interface SerializedError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type WorkerMessage =
  | { type: 'ready'; logs: string[] }
  | { type: 'init-error'; error: SerializedError; logs: string[] }
  | { type: 'result'; id: number; payload: string; logs: string[]; dynamodb: DynamoTiming }
  | { type: 'error'; id: number; error: SerializedError; logs: string[]; dynamodb: DynamoTiming }
  | { type: 'log'; logs: string[] };

type Handler = (event: unknown, context: unknown, callback: (err?: unknown, result?: unknown) => void) => unknown;

const init = workerData as WorkerInit;
const port = parentPort!;

let currentRequestId: string | undefined;
const dynamoTimer = startDynamoTimer();
let pendingLogs: string[] = [];
let flushScheduled = false;

function takeLogs(): string[] {
  const logs = pendingLogs;
  pendingLogs = [];
  return logs;
}

/**
 * The Node.js runtime's console, in the function's log format (AWS_LAMBDA_LOG_FORMAT, JSON with
 * LoggingConfig LogFormat JSON) and filtered by AWS_LAMBDA_LOG_LEVEL, as
 * aws-lambda-nodejs-runtime-interface-client src/LogPatch.js does: text lines are
 * `<time>\t<requestId>\t<LEVEL>\t<message>`, JSON lines `{"timestamp","level","requestId","message"}`
 * with a single argument kept as the message itself, several formatted into one string.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
const LEVELS: Record<string, number> = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const jsonFormat = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
const threshold = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? ''] ?? LEVELS.TRACE!;

function errorFields(value: unknown): Record<string, unknown> {
  if (!(value instanceof Error)) return {};
  return { errorType: value.constructor?.name ?? 'UnknownError', errorMessage: value.message, stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : [] };
}

function jsonLine(level: string, args: unknown[]): string {
  const head = { timestamp: new Date().toISOString(), level, requestId: currentRequestId };
  if (args.length === 1) {
    try {
      const only = args[0];
      return JSON.stringify({ ...head, message: only instanceof Error ? { ...errorFields(only), ...only } : only });
    } catch {
      return JSON.stringify({ ...head, message: format(args[0]) });
    }
  }
  return JSON.stringify({ ...head, message: format(...args), ...errorFields(args.find((a) => a instanceof Error)) });
}

function log(level: string, args: unknown[]): void {
  if ((LEVELS[level] ?? LEVELS.INFO!) < threshold) return;
  pendingLogs.push(jsonFormat ? jsonLine(level, args) : `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}`);
  // Lines logged during an invocation usually travel with its result; anything else goes soon after.
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      if (pendingLogs.length > 0) port.postMessage({ type: 'log', logs: takeLogs() } satisfies WorkerMessage);
    });
  }
}

console.log = (...args: unknown[]) => log('INFO', args);
console.info = (...args: unknown[]) => log('INFO', args);
console.warn = (...args: unknown[]) => log('WARN', args);
console.error = (...args: unknown[]) => log('ERROR', args);
console.debug = (...args: unknown[]) => log('DEBUG', args);
console.trace = (...args: unknown[]) => log('TRACE', [format(...args), new Error().stack?.split('\n').slice(2).join('\n')]);

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
  }
  return { errorType: typeof err === 'string' ? 'string' : typeof err, errorMessage: typeof err === 'string' ? err : JSON.stringify(err) ?? String(err), trace: [] };
}

function loadHandler(): Handler {
  const ModuleCtor = Module as unknown as {
    new (id: string, parent?: unknown): { filename: string; paths: string[]; exports: unknown; loaded: boolean; _compile(code: string, filename: string): void };
    _nodeModulePaths(dir: string): string[];
  };
  // The local bundle carries an inline source map: stack traces name handler/*.ts lines, as in
  // Lambda with NODE_OPTIONS=--enable-source-maps. Before compiling, so the map is read with it.
  // https://nodejs.org/api/process.html#processsetsourcemapsenabledval
  process.setSourceMapsEnabled(true);
  const mod = new ModuleCtor(init.filename);
  mod.filename = init.filename;
  mod.paths = ModuleCtor._nodeModulePaths(dirname(init.filename));
  mod._compile(init.code, init.filename);
  mod.loaded = true;
  const [, ...exportPath] = init.handler.split('.');
  let fn: unknown = mod.exports;
  for (const key of exportPath) fn = fn === null || fn === undefined ? undefined : (fn as Record<string, unknown>)[key];
  if (typeof fn !== 'function') {
    const err = new Error(`${init.handler} is undefined or not exported`);
    err.name = 'Runtime.HandlerNotFound';
    throw err;
  }
  return fn as Handler;
}

function invoke(handler: Handler, msg: InvokeMessage): void {
  currentRequestId = msg.requestId;
  // Lambda sets it per invocation (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
  if (msg.traceId === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = msg.traceId;
  dynamoTimer.begin();
  let settled = false;
  const finish = (err: unknown, result?: unknown) => {
    if (settled) return;
    settled = true;
    const dynamodb = dynamoTimer.end();
    if (err !== null && err !== undefined) {
      const error = serializeError(err);
      pendingLogs.push(`${new Date().toISOString()}\t${msg.requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace })}`);
      port.postMessage({ type: 'error', id: msg.id, error, logs: takeLogs(), dynamodb } satisfies WorkerMessage);
      return;
    }
    let payload: string;
    try {
      // What Lambda does with the returned value: JSON, `undefined` becoming null.
      payload = JSON.stringify(result) ?? 'null';
    } catch (e) {
      port.postMessage({ type: 'error', id: msg.id, error: serializeError(e), logs: takeLogs(), dynamodb } satisfies WorkerMessage);
      return;
    }
    port.postMessage({ type: 'result', id: msg.id, payload, logs: takeLogs(), dynamodb } satisfies WorkerMessage);
  };
  const context = {
    awsRequestId: msg.requestId,
    functionName: init.functionName,
    functionVersion: init.functionVersion,
    invokedFunctionArn: init.invokedFunctionArn,
    memoryLimitInMB: init.memoryLimitInMB,
    logGroupName: init.logGroupName,
    logStreamName: init.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    // Legacy completion methods, still honoured by the Node.js runtime.
    done: (err?: unknown, result?: unknown) => finish(err, result),
    succeed: (result?: unknown) => finish(null, result),
    fail: (err?: unknown) => finish(err ?? new Error('handled')),
  };
  try {
    const returned = handler(JSON.parse(msg.event), context, (err, result) => finish(err, result));
    if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(
        (result) => finish(null, result),
        (err: unknown) => finish(err ?? new Error('the handler rejected with no reason')),
      );
    } else if (handler.length < 3) {
      // A synchronous handler without a callback finishes when it returns, with no result.
      setImmediate(() => finish(null, null));
    }
  } catch (err) {
    finish(err);
  }
}

try {
  const handler = loadHandler();
  port.on('message', (msg: InvokeMessage) => invoke(handler, msg));
  port.postMessage({ type: 'ready', logs: takeLogs() } satisfies WorkerMessage);
} catch (err) {
  port.postMessage({ type: 'init-error', error: serializeError(err), logs: takeLogs() } satisfies WorkerMessage);
}
