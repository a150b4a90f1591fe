/**
 * The handler under test, wired to a real dynalite table, with its log lines captured.
 */
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHandler, type LogLine, type ProxyHandler } from '../../handler/create-handler.js';
import { createDocumentClient } from '../../handler/document-client.js';
import { LOCAL_CREDENTIALS, startTestDynamo, type TestDynamo } from '../support/dynamo.js';
import { proxyEvent, type ProxyEventOptions } from './proxy-event.js';

export interface Reply {
  status: number;
  headers: Record<string, string | number | boolean>;
  /** The body parsed with JSON.parse (undefined when empty). */
  json: any;
  raw: APIGatewayProxyResult;
}

export interface Harness {
  dynamo: TestDynamo;
  tableName: string;
  /** The handler's document client, over a DynamoDBClient of its own (see handler/document-client.ts). */
  db: DynamoDBDocumentClient;
  handler: ProxyHandler;
  logs: LogLine[];
  call(method: string, path: string, options?: ProxyEventOptions): Promise<Reply>;
  rpc(body: unknown): Promise<Reply>;
  /** Every item in the table, raw AttributeValues, sorted by id. */
  scanAll(): Promise<Record<string, AttributeValue>[]>;
  stop(): Promise<void>;
}

export function toReply(raw: APIGatewayProxyResult): Reply {
  return { status: raw.statusCode, headers: raw.headers ?? {}, json: raw.body ? JSON.parse(raw.body) : undefined, raw };
}

export async function startHarness(tableName = 'lambda-apigateway'): Promise<Harness> {
  const dynamo = await startTestDynamo();
  await dynamo.createTable(tableName);
  const logs: LogLine[] = [];
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const db = createDocumentClient(client);
  const handler = createHandler({ db, tableName, log: (line) => logs.push(line) });
  const call = async (method: string, path: string, options?: ProxyEventOptions) => toReply(await handler(proxyEvent(method, path, options)));
  return {
    dynamo,
    tableName,
    db,
    handler,
    logs,
    call,
    rpc: (body) => call('POST', '/DynamoDBManager', { body }),
    async scanAll() {
      const items: Record<string, AttributeValue>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamo.client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items.sort((a, b) => (a.id!.S! < b.id!.S! ? -1 : 1));
    },
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}

/**
 * Runs `run` with process.stdout captured, one entry per line: the handler writes its log lines
 * and EMF documents there as JSON, not through console.* (handler/log-output.ts says why).
 */
export async function captureStdout<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await run(), lines };
  } finally {
    process.stdout.write = original;
  }
}
