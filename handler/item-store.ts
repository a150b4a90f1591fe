/**
 * One function per DynamoDB operation the API uses, always on the function's own table, through
 * the lib-dynamodb document client. SDK exceptions become domain errors here and nowhere else:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type GetCommandInput,
  type GetCommandOutput,
  type PutCommandInput,
  type PutCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from './document-client.js';
import { BadRequestError, ServiceUnavailableError, type HttpError } from './errors.js';

export interface Table {
  db: DocumentClient;
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

export function putItem(table: Table, input: Input<PutCommandInput>, onConditionFailed?: OnConditionFailed): Promise<Output<PutCommandOutput>> {
  return call(() => table.db.send(new PutCommand({ ...input, TableName: table.name })), onConditionFailed);
}

export function getItem(table: Table, input: Input<GetCommandInput>): Promise<Output<GetCommandOutput>> {
  return call(() => table.db.send(new GetCommand({ ...input, TableName: table.name })));
}

export function updateItem(table: Table, input: Input<UpdateCommandInput>, onConditionFailed: OnConditionFailed): Promise<Output<UpdateCommandOutput>> {
  return call(() => table.db.send(new UpdateCommand({ ...input, TableName: table.name })), onConditionFailed);
}

export function deleteItem(table: Table, input: Input<DeleteCommandInput>, onConditionFailed: OnConditionFailed): Promise<Output<DeleteCommandOutput>> {
  return call(() => table.db.send(new DeleteCommand({ ...input, TableName: table.name })), onConditionFailed);
}

export function scanItems(table: Table, input: Input<ScanCommandInput>): Promise<Output<ScanCommandOutput>> {
  return call(() => table.db.send(new ScanCommand({ ...input, TableName: table.name })));
}
