/** The two data-plane calls the CLI makes besides CloudFormation: delete a retained table, read an API key. */
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetApiKeyCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { awsErrorName } from './aws-errors.js';

export interface TableApi {
  /** `false` when the table did not exist. */
  deleteTable(tableName: string): Promise<boolean>;
}

export interface ApiKeyApi {
  /** The key's secret value (GetApiKey with includeValue). */
  apiKeyValue(apiKeyId: string): Promise<string>;
}

export function createDynamoTableApi(client: DynamoDBClient): TableApi {
  return {
    async deleteTable(tableName) {
      try {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
        return true;
      } catch (err) {
        if (awsErrorName(err) === 'ResourceNotFoundException') return false;
        throw err;
      }
    },
  };
}

export function createApiGatewayKeyApi(client: APIGatewayClient): ApiKeyApi {
  return {
    async apiKeyValue(apiKeyId) {
      const out = await client.send(new GetApiKeyCommand({ apiKey: apiKeyId, includeValue: true }));
      if (!out.value) throw new Error(`API key ${apiKeyId} has no value`);
      return out.value;
    },
  };
}
