/**
 * The local Lambda service for one function: a pool of warm execution environments (worker
 * threads running lambda-worker.ts), each loading the handler bundle once and serving one
 * invocation at a time, as Lambda does. Requests queue when every environment is busy.
 *
 * Isolation: a handler that throws, returns garbage, calls process.exit, runs out of memory or
 * hangs only ends its own worker; the pool replaces it and the server never notices.
 * Hot reload: deploy(code) starts a new generation of workers, then switches new invocations to
 * it; invocations already running finish on the old code, whose workers then exit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CliError } from '../errors.js';
import type { DynamoTiming } from './dynamodb-timer.js';
import type { InvokeMessage, SerializedError, WorkerInit, WorkerMessage } from './lambda-worker.js';

export interface RuntimeFunction {
  name: string;
  arn: string;
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
  logGroupName: string;
  /** The complete environment of the function (template variables plus Lambda's own). */
  environment: Record<string, string>;
  /** Absolute path the bundle pretends to live at (for stack traces). */
  filename: string;
}

export type InvokeOutcome =
  | { kind: 'result'; payload: string; requestId: string; durationMs: number; dynamodb?: DynamoTiming }
  /** The function failed: it threw, rejected, or its result could not be serialised. */
  | { kind: 'error'; error: SerializedError; requestId: string; durationMs?: number; dynamodb?: DynamoTiming }
  /** The execution environment died: process.exit, an uncaught exception, out of memory. */
  | { kind: 'crash'; reason: string; requestId: string }
  | { kind: 'timeout'; seconds: number; requestId: string };

/** The handler could not be loaded (Lambda's Init phase failed). */
export class FunctionInitError extends Error {
  readonly error: SerializedError;
  constructor(functionName: string, error: SerializedError) {
    super(`${functionName}: init failed: ${error.errorType}: ${error.errorMessage}`);
    this.name = 'FunctionInitError';
    this.error = error;
  }
}

export interface LambdaRuntimeOptions {
  fn: RuntimeFunction;
  code: string;
  /** How many execution environments run at once (default 2). */
  concurrency?: number;
  /** Handler log lines and runtime messages, already formatted. */
  onLog(line: string): void;
}

let workerSource: Promise<string> | undefined;

/**
 * lambda-worker.ts as one CommonJS script (a worker cannot use the CLI's TypeScript loader): the
 * second entry of the CLI bundle (scripts/cli-bundle.mjs), read once per process, so a worker
 * started later never depends on a build directory that a newer build may have pruned.
 */
function compiledWorker(): Promise<string> {
  if (!workerSource) {
    workerSource = workerScript().then((file) => readFile(file, 'utf8'));
    // A failed build is not kept: the next start tries again.
    workerSource.catch(() => {
      workerSource = undefined;
    });
  }
  return workerSource;
}

async function workerScript(): Promise<string> {
  // Run from the bundle, this module is one of its chunks and the worker sits next to it.
  if (!new URL(import.meta.url).pathname.endsWith('.ts')) return fileURLToPath(new URL('./lambda-worker.cjs', import.meta.url));
  // Run from source (CLI_FROM_SOURCE=1, the tests through tsx): the checkout's current bundle.
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const { bundledLambdaWorker } = await import('../../scripts/cli-bundle.mjs');
  return bundledLambdaWorker(root).catch((err: unknown) => {
    throw new CliError(`cannot build the local Lambda worker (cli/local/lambda-worker.ts, with the CLI bundle): ${(err as Error).message}`, { cause: err });
  });
}

interface Pending {
  event: string;
  requestId: string;
  traceId?: string;
  resolve(outcome: InvokeOutcome): void;
}

interface Generation {
  id: number;
  code: string;
  slots: Set<Slot>;
}

type SlotState = 'starting' | 'idle' | 'busy' | 'dead';

interface Slot {
  worker: Worker;
  generation: Generation;
  state: SlotState;
  ready: Promise<void>;
  /** Ended on purpose (retired, timed out, stopping): no replacement. */
  killed?: boolean;
  current?: { id: number; pending: Pending; timer: NodeJS.Timeout; started: number };
}

/**
 * Heap limits of one execution environment. The whole heap is MemorySize, as in Lambda. The
 * young generation is capped at 4 MB (Lambda's bootstrap gives it MemorySize/10): every
 * environment shares this one process, V8 lets each worker's young generation grow to tens of MB
 * under load (~25 MB each at 256 MB, measured), and a small one cost no measurable throughput.
 */
export function youngAndOldGeneration(memorySizeMb: number): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  const young = Math.min(4, Math.max(1, Math.floor(memorySizeMb / 10)));
  return { maxYoungGenerationSizeMb: young, maxOldGenerationSizeMb: memorySizeMb - young };
}

function logStreamName(): string {
  const d = new Date();
  const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

export class LambdaRuntime {
  readonly fn: RuntimeFunction;
  private readonly workerSource: string;
  private readonly concurrency: number;
  private readonly onLog: (line: string) => void;
  private current: Generation;
  private readonly generations = new Set<Generation>();
  private readonly queue: Pending[] = [];
  private readonly inflight = new Set<Promise<InvokeOutcome>>();
  private nextInvocation = 1;
  private nextGeneration = 1;
  private stopping = false;
  private deploying: Promise<void> = Promise.resolve();

  private constructor(options: LambdaRuntimeOptions, workerSource: string) {
    this.fn = options.fn;
    this.workerSource = workerSource;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.onLog = options.onLog;
    this.current = this.createGeneration(options.code);
  }

  /** Starts the pool and waits until every environment has loaded the handler. */
  static async start(options: LambdaRuntimeOptions): Promise<LambdaRuntime> {
    const runtime = new LambdaRuntime(options, await compiledWorker());
    try {
      await runtime.warm(runtime.current);
    } catch (err) {
      await runtime.stop(0);
      throw err;
    }
    return runtime;
  }

  invoke(event: string, requestId: string = randomUUID(), traceId?: string): Promise<InvokeOutcome> {
    if (this.stopping) return Promise.resolve({ kind: 'crash', reason: 'the local Lambda service is stopping', requestId });
    const outcome = new Promise<InvokeOutcome>((resolve) => {
      this.queue.push({ event, requestId, ...(traceId !== undefined ? { traceId } : {}), resolve });
      this.dispatch();
    });
    this.inflight.add(outcome);
    void outcome.then(() => this.inflight.delete(outcome));
    return outcome;
  }

  /**
   * Switches to new code. Resolves once new invocations run it; rejects with FunctionInitError
   * (and keeps the current code) when the new code fails to load.
   */
  deploy(code: string): Promise<void> {
    const run = async () => {
      const next = this.createGeneration(code);
      await this.warm(next);
      const previous = this.current;
      this.current = next;
      for (const slot of previous.slots) if (slot.state !== 'busy') this.retire(slot);
      this.dispatch();
    };
    const result = this.deploying.then(run, run);
    this.deploying = result.catch(() => undefined);
    return result;
  }

  /** Lets running invocations finish (up to graceMs), then ends every worker. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    for (const pending of this.queue.splice(0)) pending.resolve({ kind: 'crash', reason: 'the local Lambda service stopped', requestId: pending.requestId });
    if (this.inflight.size > 0 && graceMs > 0) {
      await Promise.race([Promise.all(this.inflight), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    }
    const all = [...this.generations].flatMap((g) => [...g.slots]);
    await Promise.all(all.map((slot) => this.kill(slot)));
  }

  /** Environments alive now (for tests and the banner). */
  get size(): number {
    return [...this.current.slots].filter((s) => s.state !== 'dead').length;
  }

  private createGeneration(code: string): Generation {
    const generation: Generation = { id: this.nextGeneration++, code, slots: new Set() };
    this.generations.add(generation);
    for (let i = 0; i < this.concurrency; i++) this.spawn(generation);
    return generation;
  }

  private async warm(generation: Generation): Promise<void> {
    try {
      await Promise.all([...generation.slots].map((s) => s.ready));
    } catch (err) {
      await Promise.all([...generation.slots].map((s) => this.kill(s)));
      this.generations.delete(generation);
      throw err;
    }
  }

  private spawn(generation: Generation): Slot {
    const fn = this.fn;
    const stream = logStreamName();
    const init: WorkerInit = {
      code: generation.code,
      filename: fn.filename,
      handler: fn.handler,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: String(fn.memorySize),
      logGroupName: fn.logGroupName,
      logStreamName: stream,
    };
    const worker = new Worker(this.workerSource, {
      eval: true,
      workerData: init,
      env: { ...fn.environment, AWS_LAMBDA_LOG_STREAM_NAME: stream },
      stdout: true,
      stderr: true,
      // The function's MemorySize bounds its heap: a handler that leaks dies as it would in Lambda.
      resourceLimits: youngAndOldGeneration(fn.memorySize),
      name: `lambda:${fn.name}`,
    });
    let settleReady: { resolve(): void; reject(err: unknown): void } | undefined;
    const slot: Slot = {
      worker,
      generation,
      state: 'starting',
      ready: new Promise<void>((resolve, reject) => {
        settleReady = { resolve, reject };
      }),
    };
    slot.ready.catch(() => undefined);
    generation.slots.add(slot);
    this.forwardStream(worker.stdout);
    this.forwardStream(worker.stderr);

    worker.on('message', (msg: WorkerMessage) => {
      for (const line of msg.logs) this.onLog(line);
      switch (msg.type) {
        case 'ready':
          slot.state = 'idle';
          settleReady?.resolve();
          this.afterIdle(slot);
          break;
        case 'init-error':
          settleReady?.reject(new FunctionInitError(fn.name, msg.error));
          void this.kill(slot);
          break;
        case 'result':
        case 'error': {
          const current = slot.current;
          if (!current || current.id !== msg.id) break;
          clearTimeout(current.timer);
          slot.current = undefined;
          slot.state = 'idle';
          const durationMs = performance.now() - current.started;
          current.pending.resolve(
            msg.type === 'result'
              ? { kind: 'result', payload: msg.payload, requestId: current.pending.requestId, durationMs, dynamodb: msg.dynamodb }
              : { kind: 'error', error: msg.error, requestId: current.pending.requestId, durationMs, dynamodb: msg.dynamodb },
          );
          this.afterIdle(slot);
          break;
        }
        case 'log':
          break;
      }
    });
    let failure: string | undefined;
    worker.on('error', (err) => {
      failure =
        (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `Runtime exited: out of memory (MemorySize ${fn.memorySize} MB)`
          : `Runtime exited with an uncaught exception: ${err.stack ?? err.message}`;
    });
    worker.on('exit', (code) => {
      const wasState = slot.state;
      slot.state = 'dead';
      generation.slots.delete(slot);
      const reason = failure ?? `Runtime exited with error: exit status ${code}`;
      if (wasState === 'starting') {
        settleReady?.reject(new FunctionInitError(fn.name, { errorType: 'Runtime.ExitError', errorMessage: reason, trace: [] }));
      }
      const current = slot.current;
      if (current) {
        clearTimeout(current.timer);
        slot.current = undefined;
        current.pending.resolve({ kind: 'crash', reason, requestId: current.pending.requestId });
      }
      if (wasState !== 'starting' && wasState !== 'dead' && !this.stopping && generation === this.current && !slot.killed) {
        this.onLog(`${new Date().toISOString()}\t${current?.pending.requestId ?? 'undefined'}\tERROR\t${reason}; starting a new execution environment`);
        this.replace(generation);
      }
      if (generation.slots.size === 0 && generation !== this.current) this.generations.delete(generation);
    });
    return slot;
  }

  private replace(generation: Generation): void {
    const slot = this.spawn(generation);
    slot.ready.catch((err: unknown) => this.onLog(`could not start a new execution environment: ${(err as Error).message}`));
  }

  private forwardStream(stream: NodeJS.ReadableStream): void {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        this.onLog(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    stream.on('end', () => {
      if (buffered !== '') this.onLog(buffered);
    });
  }

  private afterIdle(slot: Slot): void {
    // Older code retires; a generation still warming up (newer than current) waits for the switch.
    if (slot.generation.id < this.current.id || this.stopping) {
      this.retire(slot);
      return;
    }
    this.dispatch();
  }

  private retire(slot: Slot): void {
    if (slot.state === 'dead') return;
    void this.kill(slot);
  }

  private async kill(slot: Slot): Promise<void> {
    if (slot.state === 'dead' && slot.killed) return;
    slot.killed = true;
    await slot.worker.terminate().catch(() => undefined);
  }

  private dispatch(): void {
    if (this.stopping) return;
    while (this.queue.length > 0) {
      let idle: Slot | undefined;
      for (const s of this.current.slots) {
        if (s.state === 'idle') {
          idle = s;
          break;
        }
      }
      if (!idle) return;
      const pending = this.queue.shift()!;
      this.run(idle, pending);
    }
  }

  private run(slot: Slot, pending: Pending): void {
    const id = this.nextInvocation++;
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const started = performance.now();
    const timer = setTimeout(() => {
      if (slot.current?.id !== id) return;
      slot.current = undefined;
      const seconds = this.fn.timeoutSeconds;
      // Lambda's own line for this case, then it discards the environment.
      this.onLog(`${new Date().toISOString()}\t${pending.requestId}\tTask timed out after ${seconds.toFixed(2)} seconds`);
      pending.resolve({ kind: 'timeout', seconds, requestId: pending.requestId });
      slot.state = 'dead';
      slot.generation.slots.delete(slot);
      void this.kill(slot);
      if (!this.stopping && slot.generation === this.current) this.replace(slot.generation);
    }, timeoutMs);
    slot.state = 'busy';
    slot.current = { id, pending, timer, started };
    const msg: InvokeMessage = { type: 'invoke', id, event: pending.event, requestId: pending.requestId, deadline: Date.now() + timeoutMs, ...(pending.traceId !== undefined ? { traceId: pending.traceId } : {}) };
    slot.worker.postMessage(msg);
  }
}
