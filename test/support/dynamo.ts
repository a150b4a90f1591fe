/**
 * A real DynamoDB-compatible server for tests: dynalite on 127.0.0.1 at a random port, with a
 * table keyed like the template's (`id`, a string).
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../cli/local/dynamodb.js';

export interface TestDynamo extends EmbeddedDynamo {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** Creates a table keyed by `id` (S) and returns its name. */
  createTable(name?: string): Promise<string>;
}

/** Dummy credentials: dynalite ignores them, but the SDK signs every request. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

let tableCounter = 0;

export async function startTestDynamo(options: { dataDir?: string } = {}): Promise<TestDynamo> {
  const dynamo = await startEmbeddedDynamo(options);
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    ...dynamo,
    client,
    doc,
    async createTable(name = `test-table-${process.pid}-${++tableCounter}`) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      return name;
    },
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}
