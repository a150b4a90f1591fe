/**
 * AWS::DynamoDB::* as the local stack emulates them: tables created in its DynamoDB store.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
 */
import type { DynamoTableSpec } from '../dynamodb.js';
import { TemplateError, type TemplateResolver } from '../intrinsics.js';
import type { LocalTable } from '../stack-model.js';
import { arn, generatedName } from './names.js';
import type { ResourceType } from './resource-type.js';

const tableArn = (id: string, resolver: TemplateResolver) => arn(resolver.pseudo, 'dynamodb', `table/${resolver.physicalId(id)}`);

export const dynamodbTable = {
  type: 'AWS::DynamoDB::Table',
  physicalId: (id, resolver) => resolver.propertyString(id, 'TableName') ?? generatedName(resolver.pseudo.stackName, id, 255),
  attributes: {
    Arn: tableArn,
    StreamArn: (id, resolver) => `${tableArn(id, resolver)}/stream/1970-01-01T00:00:00.000`,
  },
  read(id: string, resolver: TemplateResolver): LocalTable {
    const spec: DynamoTableSpec = {
      TableName: resolver.physicalId(id),
      KeySchema: resolver.property(id, 'KeySchema') as DynamoTableSpec['KeySchema'],
      AttributeDefinitions: resolver.property(id, 'AttributeDefinitions') as DynamoTableSpec['AttributeDefinitions'],
    };
    if (!Array.isArray(spec.KeySchema) || !Array.isArray(spec.AttributeDefinitions)) {
      throw new TemplateError(`${resolver.where(`Resources.${id}.Properties`)}: KeySchema and AttributeDefinitions are required`);
    }
    for (const name of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'BillingMode', 'ProvisionedThroughput', 'StreamSpecification'] as const) {
      const value = resolver.property(id, name);
      if (value !== undefined) (spec as unknown as Record<string, unknown>)[name] = value;
    }
    return { logicalId: id, spec };
  },
} satisfies ResourceType;

export const DYNAMODB_TYPES: readonly ResourceType[] = [dynamodbTable];
