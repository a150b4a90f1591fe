/**
 * Embedded DynamoDB: dynalite in-process on 127.0.0.1, in memory or persisted to a LevelDB
 * directory. Used by `cli dev` and by the tests (a real DynamoDB-compatible server, not a mock).
 *
 * Table set-up speaks the DynamoDB JSON protocol directly (a handful of signed POSTs) rather than
 * through the AWS SDK: loading the SDK into the CLI process only for that cost ~50 ms of start
 * and ~15 MB of memory that stayed for the whole session. The function's own SDK runs in its workers.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 *
 * Credentials: a loopback endpoint (dynalite, DynamoDB Local, LocalStack) gets dummy ones; any
 * other endpoint (a real table) gets the standard chain's (env, profile, SSO, instance role),
 * signed with the SDK's own signer. `--dynamodb-credentials` (or CLI_DYNAMODB_CREDENTIALS) forces
 * either.
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Sha256 } from '../aws/sha256.js';
import { CliError } from '../errors.js';
import { isLoopbackEndpoint } from './defaults.js';
import { guardStore, prepareStoreGuard } from './store-guard.js';

export { Sha256 } from '../aws/sha256.js';

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
export const LOCAL_CREDENTIALS: DynamoCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials (SSO, an assumed role) stop working. */
  expiration?: Date;
}

/** `auto`: dummy credentials for a loopback endpoint, the standard chain for any other. */
export type DynamoCredentialSource = 'auto' | 'chain' | 'local';
export const DYNAMO_CREDENTIAL_SOURCES: readonly DynamoCredentialSource[] = ['auto', 'chain', 'local'];

/**
 * The credentials for an endpoint. The chain is the SDK's (environment, shared config and SSO,
 * process, web identity, container and instance roles), loaded only when used.
 * https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
export async function resolveDynamoCredentials(endpoint: string, source: DynamoCredentialSource = 'auto'): Promise<DynamoCredentials> {
  if (source === 'local' || (source === 'auto' && isLoopbackEndpoint(endpoint))) return LOCAL_CREDENTIALS;
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  try {
    const c = await defaultProvider()();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: c.expiration } : {}) };
  } catch (err) {
    throw new CliError(`no AWS credentials for the DynamoDB endpoint ${endpoint}: ${(err as Error).message}`, {
      cause: err,
      details: [
        'An endpoint that is not on this machine is signed with the standard AWS credentials: set AWS_PROFILE (after `aws sso login` for SSO) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
        'For an emulator on another host (e.g. DynamoDB Local in a container), pass --dynamodb-credentials local.',
      ],
    });
  }
}

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
 * Signature Version 4 with the dummy credentials, for a loopback store. Kept beside the SDK's
 * signer because loading @smithy/signature-v4 costs `cli dev` ~90 ms of start and ~13 MB of
 * memory (measured on Node 20) that a store checking no signature does not need; the test
 * holds it equal to the SDK's signature. https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
function signLocally(url: URL, region: string, headers: Record<string, string>, body: string): string {
  const amzDate = headers['x-amz-date']!;
  const day = amzDate.slice(0, 8);
  const signed = Object.keys(headers).sort();
  const canonical = ['POST', url.pathname || '/', '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), hex(body)].join('\n');
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${LOCAL_CREDENTIALS.secretAccessKey}`, day), region), 'dynamodb'), 'aws4_request');
  return `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`;
}

/** The SDK's signer, for real credentials (it adds x-amz-security-token for temporary ones). */
async function signWithSdk(url: URL, region: string, headers: Record<string, string>, body: string, credentials: DynamoCredentials): Promise<Record<string, string>> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const signer = new SignatureV4({ credentials, region, service: 'dynamodb', sha256: Sha256, applyChecksum: false });
  const { 'x-amz-date': _date, ...unsigned } = headers;
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname || '/',
    query: {},
    headers: unsigned,
    body,
  });
  return signed.headers;
}

export interface DynamoCallOptions {
  /** Default: the dummy local credentials. */
  credentials?: DynamoCredentials;
  timeoutMs?: number;
}

/**
 * One DynamoDB API call (`DynamoDB_20120810.<operation>`), signed with Signature Version 4, so
 * any DynamoDB-compatible endpoint (and DynamoDB itself, with real credentials) accepts it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export async function dynamoCall(endpoint: string, region: string, operation: string, input: unknown, options: DynamoCallOptions = {}): Promise<Record<string, unknown>> {
  const { credentials = LOCAL_CREDENTIALS, timeoutMs = 10_000 } = options;
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  let headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.0',
    host: url.host,
    'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
    'x-amz-target': `DynamoDB_20120810.${operation}`,
  };
  if (credentials === LOCAL_CREDENTIALS) headers.authorization = signLocally(url, region, headers, body);
  else headers = await signWithSdk(url, region, headers, body, credentials);
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

async function describeTable(endpoint: string, region: string, name: string, credentials: DynamoCredentials): Promise<TableDescription | undefined> {
  try {
    return (await dynamoCall(endpoint, region, 'DescribeTable', { TableName: name }, { credentials })).Table as TableDescription;
  } catch (err) {
    if (err instanceof DynamoApiError && err.type === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

/**
 * Creates every table that is missing, with its key schema and indexes; leaves existing tables
 * (and their items) alone and reports a key schema that differs from the template's.
 */
export async function ensureTables(
  endpoint: string,
  specs: readonly DynamoTableSpec[],
  region: string,
  credentials: DynamoCredentials = LOCAL_CREDENTIALS,
): Promise<EnsuredTable[]> {
  return Promise.all(
    specs.map(async (spec): Promise<EnsuredTable> => {
      const existing = await describeTable(endpoint, region, spec.TableName, credentials);
      if (existing) {
        const want = keyText(spec.KeySchema);
        const have = keyText(existing.KeySchema);
        return want === have ? { name: spec.TableName, created: false } : { name: spec.TableName, created: false, mismatch: `key schema is (${have}), the template says (${want})` };
      }
      await dynamoCall(endpoint, region, 'CreateTable', createTableInput(spec), { credentials });
      // Immediate on dynalite and DynamoDB Local; a real table takes a few seconds to be ACTIVE.
      const deadline = Date.now() + 120_000;
      for (let delay = 50; ; delay = Math.min(delay * 2, 5_000)) {
        if ((await describeTable(endpoint, region, spec.TableName, credentials))?.TableStatus === 'ACTIVE') break;
        if (Date.now() > deadline) throw new Error(`table ${spec.TableName} is not ACTIVE after 120 s`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      return { name: spec.TableName, created: true };
    }),
  );
}
