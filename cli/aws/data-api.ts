/** The data-plane calls the CLI makes besides CloudFormation: delete a retained table (deletion protection included), read an API key, name a REST API. */
import { DeleteTableCommand, DescribeTableCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetApiKeyCommand, GetRestApiCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { awsErrorName } from './aws-errors.js';

export interface TableApi {
  /** `false` when the table did not exist. */
  deleteTable(tableName: string): Promise<boolean>;
  /** DeletionProtectionEnabled (the template's TableDeletionProtection); `false` when the table does not exist. */
  deletionProtected(tableName: string): Promise<boolean>;
  /** Turns deletion protection off, so DeleteTable is allowed. */
  disableDeletionProtection(tableName: string): Promise<void>;
}

export interface ApiKeyApi {
  /** The key's secret value (GetApiKey with includeValue). */
  apiKeyValue(apiKeyId: string): Promise<string>;
  /** The REST API's name: the ApiName dimension of its AWS/ApiGateway metrics. */
  restApiName(restApiId: string): Promise<string | undefined>;
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
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection
    async deletionProtected(tableName) {
      try {
        const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
        return out.Table?.DeletionProtectionEnabled === true;
      } catch (err) {
        if (awsErrorName(err) === 'ResourceNotFoundException') return false;
        throw err;
      }
    },
    async disableDeletionProtection(tableName) {
      await client.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: false }));
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
    async restApiName(restApiId) {
      try {
        return (await client.send(new GetRestApiCommand({ restApiId }))).name;
      } catch (err) {
        if (awsErrorName(err) === 'NotFoundException') return undefined;
        throw err;
      }
    },
  };
}
