/**
 * Embedded DynamoDB: dynalite in-process on 127.0.0.1, in memory or persisted to a LevelDB
 * directory. Used by `cli dev` and by the tests (a real DynamoDB-compatible server, not a mock).
 *
 * Table set-up speaks the DynamoDB JSON protocol directly (a handful of signed POSTs) rather than
 * through the AWS SDK: loading the SDK into the CLI process only for that cost ~50 ms of start
 * and ~15 MB of memory that stayed for the whole session. The function's own SDK runs in its workers.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { guardStore, prepareStoreGuard } from './store-guard.js';

export interface DynamoTableSpec {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  GlobalSecondaryIndexes?: unknown[];
  LocalSecondaryIndexes?: unknown[];
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number | string; WriteCapacityUnits: number | string };
  StreamSpecification?: { StreamViewType?: string; StreamEnabled?: boolean };
}

export interface EmbeddedDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

export interface EmbeddedDynamoOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** A LevelDB directory that survives restarts; in memory when absent. */
  dataDir?: string;
  /** Where a fault of the store is reported (it answers that request 500 and keeps serving); stderr by default. */
  log?: (line: string) => void;
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1';
  // Loaded only when used: `--dynamodb-endpoint` never needs it.
  const { default: dynalite } = await import('dynalite');
  // A fault inside dynalite answers its request 500 instead of ending the process: see store-guard.ts.
  prepareStoreGuard();
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  const unguard = guardStore(server, options.log ?? ((line) => process.stderr.write(`${line}\n`)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    unguard();
    throw err;
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((err) => {
          unguard();
          if (err) reject(err);
          else resolve();
        });
      });
      return stopped;
    },
  };
}

/** Dummy credentials: a local store ignores them, but the SDK signs every request. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface EnsuredTable {
  name: string;
  /** false when the table was already there (a persisted --data-dir, an external endpoint). */
  created: boolean;
  /** Set when an existing table's key schema differs from the template's. */
  mismatch?: string;
}

/** CloudFormation takes numbers as strings too (e.g. `!Ref Capacity`); the API wants numbers. */
function throughput(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const t = value as Record<string, unknown>;
  return { ReadCapacityUnits: Number(t.ReadCapacityUnits), WriteCapacityUnits: Number(t.WriteCapacityUnits) };
}

/** The CreateTable request for a template table (the API's field names, numbers as numbers). */
export function createTableInput(spec: DynamoTableSpec): Record<string, unknown> {
  const billing = spec.BillingMode ?? 'PROVISIONED';
  const input: Record<string, unknown> = {
    TableName: spec.TableName,
    KeySchema: spec.KeySchema,
    AttributeDefinitions: spec.AttributeDefinitions,
    BillingMode: billing,
  };
  if (billing === 'PROVISIONED') input.ProvisionedThroughput = throughput(spec.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
  if (spec.LocalSecondaryIndexes) input.LocalSecondaryIndexes = spec.LocalSecondaryIndexes;
  if (spec.GlobalSecondaryIndexes) {
    input.GlobalSecondaryIndexes = spec.GlobalSecondaryIndexes.map((index) => {
      const i = { ...(index as Record<string, unknown>) };
      if (billing === 'PAY_PER_REQUEST') delete i.ProvisionedThroughput;
      else i.ProvisionedThroughput = throughput(i.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
      return i;
    });
  }
  if (spec.StreamSpecification?.StreamViewType) input.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.StreamSpecification.StreamViewType };
  return input;
}

function keyText(schema: readonly { AttributeName?: string; KeyType?: string }[] | undefined): string {
  return (schema ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ');
}

/** An error answer of the DynamoDB API: `__type` is `<namespace>#<ErrorName>`. */
export class DynamoApiError extends Error {
  readonly type: string;
  readonly statusCode: number;
  constructor(type: string, message: string, statusCode: number) {
    super(`${type}: ${message}`);
    this.name = 'DynamoApiError';
    this.type = type;
    this.statusCode = statusCode;
  }
}

const hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * One DynamoDB API call (`DynamoDB_20120810.<operation>`), signed with Signature Version 4 and
 * the local credentials, so any DynamoDB-compatible endpoint accepts it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export async function dynamoCall(endpoint: string, region: string, operation: string, input: unknown, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.0',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': `DynamoDB_20120810.${operation}`,
  };
  const signed = Object.keys(headers).sort();
  const canonical = ['POST', url.pathname || '/', '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), hex(body)].join('\n');
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${LOCAL_CREDENTIALS.secretAccessKey}`, day), region), 'dynamodb'), 'aws4_request');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`;
  headers['content-length'] = String(Buffer.byteLength(body));

  const send = url.protocol === 'https:' ? httpsRequest : request;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${endpoint} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${endpoint} answered ${operation} with HTTP ${status} and a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (status !== 200) {
    const type = String(parsed.__type ?? 'UnknownError').split('#').pop()!;
    throw new DynamoApiError(type, String(parsed.message ?? parsed.Message ?? `HTTP ${status}`), status);
  }
  return parsed;
}

interface TableDescription {
  TableStatus?: string;
  KeySchema?: { AttributeName?: string; KeyType?: string }[];
}

async function describeTable(endpoint: string, region: string, name: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamoCall(endpoint, region, 'DescribeTable', { TableName: name })).Table as TableDescription;
  } catch (err) {
    if (err instanceof DynamoApiError && err.type === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

/**
 * Creates every table that is missing, with its key schema and indexes; leaves existing tables
 * (and their items) alone and reports a key schema that differs from the template's.
 */
export async function ensureTables(endpoint: string, specs: readonly DynamoTableSpec[], region: string): Promise<EnsuredTable[]> {
  return Promise.all(
    specs.map(async (spec): Promise<EnsuredTable> => {
      const existing = await describeTable(endpoint, region, spec.TableName);
      if (existing) {
        const want = keyText(spec.KeySchema);
        const have = keyText(existing.KeySchema);
        return want === have ? { name: spec.TableName, created: false } : { name: spec.TableName, created: false, mismatch: `key schema is (${have}), the template says (${want})` };
      }
      await dynamoCall(endpoint, region, 'CreateTable', createTableInput(spec));
      // Immediate on dynalite and DynamoDB Local; a real table takes a few seconds to be ACTIVE.
      const deadline = Date.now() + 120_000;
      for (let delay = 50; ; delay = Math.min(delay * 2, 5_000)) {
        if ((await describeTable(endpoint, region, spec.TableName))?.TableStatus === 'ACTIVE') break;
        if (Date.now() > deadline) throw new Error(`table ${spec.TableName} is not ACTIVE after 120 s`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      return { name: spec.TableName, created: true };
    }),
  );
}
