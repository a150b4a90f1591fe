/**
 * One function per DynamoDB operation the API uses, always on the function's own table. SDK
 * exceptions become domain errors here and nowhere else:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type DeleteItemCommandInput,
  type DeleteItemCommandOutput,
  type DynamoDBClient,
  type GetItemCommandInput,
  type GetItemCommandOutput,
  type PutItemCommandInput,
  type PutItemCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type UpdateItemCommandInput,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { BadRequestError, ServiceUnavailableError, type HttpError } from './errors.js';

/** The low-level client: this module marshals itself (see attribute-value.ts). */
export type DynamoDb = Pick<DynamoDBClient, 'send'>;

export interface Table {
  db: DynamoDb;
  name: string;
}

type Input<T> = Omit<T, 'TableName'>;
type Output<T> = Omit<T, '$metadata'>;

/** What a ConditionalCheckFailedException means depends on who set the condition. */
export type OnConditionFailed = () => HttpError;

/** Throttling that survived the SDK's own retries (standard mode, 3 attempts). */
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
const RETRY_AFTER_SECONDS = 1;

function toDomainError(error: unknown, onConditionFailed?: OnConditionFailed): unknown {
  const name = error instanceof Error ? error.name : undefined;
  if (name === 'ConditionalCheckFailedException' && onConditionFailed) return onConditionFailed();
  // DynamoDB's message says what was wrong (bad expression, key update, unused value, ...).
  if (name === 'ValidationException') return new BadRequestError(`DynamoDB rejected the request: ${(error as Error).message}`);
  if (name !== undefined && THROTTLING.has(name)) return new ServiceUnavailableError(RETRY_AFTER_SECONDS);
  return error;
}

function withoutMetadata<T extends { $metadata: unknown }>(output: T): Output<T> {
  const { $metadata: _, ...rest } = output;
  return rest;
}

async function call<T extends { $metadata: unknown }>(send: () => Promise<T>, onConditionFailed?: OnConditionFailed): Promise<Output<T>> {
  try {
    return withoutMetadata(await send());
  } catch (error) {
    throw toDomainError(error, onConditionFailed);
  }
}

export function putItem(table: Table, input: Input<PutItemCommandInput>, onConditionFailed?: OnConditionFailed): Promise<Output<PutItemCommandOutput>> {
  return call(() => table.db.send(new PutItemCommand({ ...input, TableName: table.name })), onConditionFailed);
}

export function getItem(table: Table, input: Input<GetItemCommandInput>): Promise<Output<GetItemCommandOutput>> {
  return call(() => table.db.send(new GetItemCommand({ ...input, TableName: table.name })));
}

export function updateItem(
  table: Table,
  input: Input<UpdateItemCommandInput>,
  onConditionFailed: OnConditionFailed,
): Promise<Output<UpdateItemCommandOutput>> {
  return call(() => table.db.send(new UpdateItemCommand({ ...input, TableName: table.name })), onConditionFailed);
}

export function deleteItem(
  table: Table,
  input: Input<DeleteItemCommandInput>,
  onConditionFailed: OnConditionFailed,
): Promise<Output<DeleteItemCommandOutput>> {
  return call(() => table.db.send(new DeleteItemCommand({ ...input, TableName: table.name })), onConditionFailed);
}

export function scanItems(table: Table, input: Input<ScanCommandInput>): Promise<Output<ScanCommandOutput>> {
  return call(() => table.db.send(new ScanCommand({ ...input, TableName: table.name })));
}
