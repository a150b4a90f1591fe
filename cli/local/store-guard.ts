/**
 * A fault inside the embedded DynamoDB (a bug of dynalite's, such as a TypeError while it evaluates
 * an expression) becomes a 500 for the request that hit it, instead of ending the process and every
 * in-memory item with it.
 *
 * Where such an exception goes: dynalite runs each operation as a chain of callbacks that LevelDB's
 * promises schedule with setImmediate, so an exception in one is not thrown to any caller: it is an
 * uncaught exception, which ends a Node process that has no 'uncaughtException' listener. (One that
 * a stream's promise chain would swallow, leaving the request unanswered, is turned into the same
 * kind by the project's patch of dynalite: patches/dynalite+4.0.0.patch.)
 *
 * The mechanism: every request of the store's HTTP server runs inside an AsyncLocalStorage scope,
 * which follows it through those callbacks, timers and promises. The 'uncaughtException' listener
 * finds the scope of the faulting request, answers it with DynamoDB's InternalServerError (HTTP
 * 500, which the SDK retries and then reports), releases the item locks the request held (or every
 * later write of those keys would wait forever), and logs the fault. An exception outside any store
 * request is none of ours: it is rethrown as if the listener did not exist, unless another listener
 * (a test runner's) is there to handle it.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

interface RequestScope {
  res: ServerResponse;
  /** Releases the item locks the request holds. */
  held: Set<() => void>;
  faulted: boolean;
  log: (line: string) => void;
}

type LockFn = ((key: unknown, exec: (release: (done?: (...args: unknown[]) => void) => (...args: unknown[]) => void) => void) => void) & { isLocked?: unknown };

const scopes = new AsyncLocalStorage<RequestScope>();
let guarded = 0;

/** The answer DynamoDB gives for a fault on its side. */
export const INTERNAL_SERVER_ERROR = {
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message: 'Internal server error',
};

function onUncaught(err: unknown): void {
  const scope = scopes.getStore();
  if (!scope) {
    if (process.listenerCount('uncaughtException') > 1) return;
    process.off('uncaughtException', onUncaught);
    process.nextTick(() => {
      throw err;
    });
    return;
  }
  for (const release of [...scope.held]) release();
  const first = !scope.faulted;
  scope.faulted = true;
  const { res } = scope;
  if (!res.headersSent && !res.writableEnded) {
    const body = JSON.stringify(INTERNAL_SERVER_ERROR);
    res.writeHead(500, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  } else if (!res.writableEnded) {
    res.destroy();
  }
  // Later exceptions of the same request follow from the first (an answer after ours, for one).
  if (!first) return;
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  scope.log(`the local DynamoDB (dynalite) failed on a request and answered it 500 InternalServerError; it keeps serving:\n${detail}`);
}

let locksWrapped = false;

/**
 * dynalite takes a per-key lock (the `lock` package) around each write and releases it when the
 * operation's callback runs, which a faulting operation never reaches. Each lock taken inside a
 * store request is recorded in that request's scope, so a fault can release it.
 */
function trackLocks(): void {
  if (locksWrapped) return;
  locksWrapped = true;
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const lockModule = fromDynalite('lock') as { Lock: () => LockFn };
  const original = lockModule.Lock;
  lockModule.Lock = () => {
    const lock = original();
    const tracked: LockFn = (key, exec) => {
      const scope = scopes.getStore();
      if (!scope || Array.isArray(key)) return lock(key, exec);
      return lock(key, (release) => {
        let released = false;
        const releaseNow = () => {
          if (released) return;
          released = true;
          scope.held.delete(releaseNow);
          release()();
        };
        scope.held.add(releaseNow);
        exec((done) => (...args) => {
          releaseNow();
          done?.(...args);
        });
      });
    };
    tracked.isLocked = lock.isLocked;
    return tracked;
  };
}

/** Call before dynalite creates its store (its locks are made then). */
export function prepareStoreGuard(): void {
  trackLocks();
}

/** Guards `server` (dynalite's); returns the function that removes the guard. */
export function guardStore(server: Server, log: (line: string) => void): () => void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const scope: RequestScope = { res, held: new Set(), faulted: false, log };
    // dynalite does its work in the request's 'data' and 'end' listeners, which the HTTP parser
    // calls from its own async context: each event is emitted inside the scope too.
    const emit = req.emit;
    req.emit = function (this: IncomingMessage, ...args: Parameters<IncomingMessage['emit']>) {
      return scopes.run(scope, () => emit.apply(this, args));
    } as IncomingMessage['emit'];
    scopes.run(scope, () => {
      for (const handler of handlers) handler.call(server, req, res);
    });
  });
  if (guarded++ === 0) process.on('uncaughtException', onUncaught);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    if (--guarded === 0) process.off('uncaughtException', onUncaught);
  };
}
