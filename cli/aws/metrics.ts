/**
 * Counts AWS API calls and bytes uploaded, per client factory (never module-global), so the bench
 * can show what an unchanged redeploy costs.
 */

export interface CallMetrics {
  /** Logical API calls (one per `send`, retries not included). */
  calls: number;
  /** Request body bytes sent by PutObject / UploadPart. */
  bytesUploaded: number;
  /** Calls per `Service.Operation`, e.g. `S3.HeadObject`. */
  byOperation: Record<string, number>;
}

export function createCallMetrics(): CallMetrics {
  return { calls: 0, bytesUploaded: 0, byOperation: {} };
}

/** The slice of a smithy client this needs (every SDK v3 client has it). */
interface WithMiddleware {
  middlewareStack: {
    add(
      middleware: (next: (args: any) => Promise<any>, context: any) => (args: any) => Promise<any>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

const UPLOADS = new Set(['PutObjectCommand', 'UploadPartCommand']);

/** Adds a counting middleware to `client` (at the initialize step: one count per logical call). */
export function countCalls(client: WithMiddleware, service: string, metrics: CallMetrics): void {
  client.middlewareStack.add(
    (next, context: { commandName?: string }) => async (args: { input?: { Body?: unknown } }) => {
      const command = context.commandName ?? 'Unknown';
      const operation = `${service}.${command.replace(/Command$/, '')}`;
      metrics.calls++;
      metrics.byOperation[operation] = (metrics.byOperation[operation] ?? 0) + 1;
      if (UPLOADS.has(command)) metrics.bytesUploaded += bodyLength(args.input?.Body);
      return next(args);
    },
    { step: 'initialize', name: 'cliCallCounter' },
  );
}

function bodyLength(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}
