/**
 * Embedded DynamoDB: dynalite in-process on 127.0.0.1, in memory or persisted to a LevelDB
 * directory. Used by `cli dev` and by the tests (a real DynamoDB-compatible server, not a mock).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

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
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
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

export function createTableInput(spec: DynamoTableSpec): CreateTableCommandInput {
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
  return input as unknown as CreateTableCommandInput;
}

function keyText(schema: readonly { AttributeName?: string; KeyType?: string }[] | undefined): string {
  return (schema ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ');
}

/**
 * Creates every table that is missing, with its key schema and indexes; leaves existing tables
 * (and their items) alone and reports a key schema that differs from the template's.
 */
export async function ensureTables(endpoint: string, specs: readonly DynamoTableSpec[], region: string): Promise<EnsuredTable[]> {
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });
  try {
    return await Promise.all(
      specs.map(async (spec): Promise<EnsuredTable> => {
        try {
          const { Table } = await client.send(new DescribeTableCommand({ TableName: spec.TableName }));
          const want = keyText(spec.KeySchema);
          const have = keyText(Table?.KeySchema);
          return want === have ? { name: spec.TableName, created: false } : { name: spec.TableName, created: false, mismatch: `key schema is (${have}), the template says (${want})` };
        } catch (err) {
          if (!(err instanceof ResourceNotFoundException)) throw err;
        }
        await client.send(new CreateTableCommand(createTableInput(spec)));
        // Immediate on dynalite and DynamoDB Local; a real table takes a few seconds to be ACTIVE.
        await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { TableName: spec.TableName });
        return { name: spec.TableName, created: true };
      }),
    );
  } finally {
    client.destroy();
  }
}
