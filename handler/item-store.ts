/**
 * One function per DynamoDB operation the API uses, always on the function's own table, through
 * the lib-dynamodb document client. SDK exceptions become domain errors here and nowhere else:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
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
import type { DynamoDbObserver } from './dynamodb-call.js';
import { BadRequestError, ServiceUnavailableError, UnrepresentableItemError, type HttpError } from './errors.js';
import { childPath } from './item-value.js';

export interface Table {
  db: DocumentClient;
  name: string;
  /**
   * Sees every call (operation, timing, consumed capacity) for the request's metrics and trace.
   * When set, calls ask for ReturnConsumedCapacity TOTAL, which costs nothing extra
   * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#DDB-GetItem-request-ReturnConsumedCapacity);
   * the answer's ConsumedCapacity is not passed on to the caller.
   */
  observe?: DynamoDbObserver;
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

/**
 * util-dynamodb's unmarshall builds maps by assignment on `{}`, so an attribute named `__proto__`
 * would become the prototype of the object holding it (or vanish, for a scalar) instead of data.
 * This API never writes that name, but another writer to the table may; such a result is refused
 * before it is unmarshalled, naming where the attribute is.
 */
function findProtoName(map: Record<string, AttributeValue | undefined>, path: string): string | undefined {
  for (const name of Object.keys(map)) {
    if (name === '__proto__') return path;
    const found = findInValue(map[name], childPath(path, name));
    if (found) return found;
  }
  return undefined;
}

function findInValue(value: AttributeValue | undefined, path: string): string | undefined {
  if (value?.M) return findProtoName(value.M, path);
  if (value?.L) {
    for (let i = 0; i < value.L.length; i++) {
      const found = findInValue(value.L[i], childPath(path, i));
      if (found) return found;
    }
  }
  return undefined;
}

/** The raw (still AttributeValue) result members that the document client unmarshals. */
interface RawOutput {
  Item?: Record<string, AttributeValue>;
  Attributes?: Record<string, AttributeValue>;
  Items?: Record<string, AttributeValue>[];
  LastEvaluatedKey?: Record<string, AttributeValue>;
}

export function refuseProtoAttributes(output: RawOutput): void {
  const maps: [string, Record<string, AttributeValue> | undefined][] = [
    ['Item', output.Item],
    ['Attributes', output.Attributes],
    ['LastEvaluatedKey', output.LastEvaluatedKey],
    ...(output.Items ?? []).map((item, i): [string, Record<string, AttributeValue>] => [`Items[${i}]`, item]),
  ];
  for (const [path, map] of maps) {
    const found = map && findProtoName(map, path);
    if (found) throw new UnrepresentableItemError(`DynamoDB returned an attribute named "__proto__" in ${found}; this API neither writes nor returns that name`);
  }
}

interface DocumentCommand {
  middlewareStack: {
    addRelativeTo(
      middleware: (next: (args: unknown) => Promise<{ output: unknown }>) => (args: unknown) => Promise<{ output: unknown }>,
      options: { name: string; relation: 'after'; toMiddleware: string; override: boolean },
    ): void;
  };
}

/**
 * Runs between the deserializer and lib-dynamodb's `DocumentUnmarshall` middleware (which wraps
 * the deserializer), so it sees the AttributeValue maps before they become objects. `override`:
 * lib-dynamodb applies the command's stack twice, as it does for its own middleware.
 */
function guarded<C>(command: C): C {
  (command as unknown as DocumentCommand).middlewareStack.addRelativeTo(
    (next) => async (args) => {
      const result = await next(args);
      refuseProtoAttributes(result.output as RawOutput);
      return result;
    },
    { name: 'RefuseProtoAttributeNames', relation: 'after', toMiddleware: 'DocumentUnmarshall', override: true },
  );
  return command;
}

function withoutMetadata<T extends { $metadata: unknown }>(output: T): Output<T> {
  const { $metadata: _, ConsumedCapacity: _capacity, ...rest } = output as T & { ConsumedCapacity?: unknown };
  return rest as Output<T>;
}

interface SdkMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

interface Answer {
  $metadata?: SdkMetadata;
  ConsumedCapacity?: { CapacityUnits?: number };
}

function observed<T extends object>(input: T, table: Table): T {
  return table.observe ? { ...input, ReturnConsumedCapacity: 'TOTAL' } : input;
}

async function call<T extends { $metadata: unknown }>(
  table: Table,
  operation: string,
  send: () => Promise<T>,
  onConditionFailed?: OnConditionFailed,
): Promise<Output<T>> {
  // Epoch ms for the trace, advanced by the monotonic clock, so a call's duration is exact and
  // never longer than the request's (measured with performance.now too).
  const startedAt = Date.now();
  const started = performance.now();
  const report = (answer: Answer | undefined, errorName?: string) => {
    const meta = answer?.$metadata;
    table.observe?.({
      operation,
      table: table.name,
      startedAt,
      endedAt: startedAt + (performance.now() - started),
      ...(meta?.httpStatusCode !== undefined && { httpStatus: meta.httpStatusCode }),
      ...(meta?.requestId !== undefined && { awsRequestId: meta.requestId }),
      retries: Math.max(0, (meta?.attempts ?? 1) - 1),
      capacityUnits: answer?.ConsumedCapacity?.CapacityUnits ?? 0,
      ...(errorName !== undefined && { errorName }),
    });
  };
  let output: T;
  try {
    output = await send();
  } catch (error) {
    if (table.observe) report(typeof error === 'object' && error !== null ? (error as Answer) : undefined, error instanceof Error ? error.name : 'NonError');
    throw toDomainError(error, onConditionFailed);
  }
  if (table.observe) report(output as Answer);
  return withoutMetadata(output);
}

export function putItem(table: Table, input: Input<PutCommandInput>, onConditionFailed?: OnConditionFailed): Promise<Output<PutCommandOutput>> {
  return call(table, 'PutItem', () => table.db.send(guarded(new PutCommand(observed({ ...input, TableName: table.name }, table)))), onConditionFailed);
}

export function getItem(table: Table, input: Input<GetCommandInput>): Promise<Output<GetCommandOutput>> {
  return call(table, 'GetItem', () => table.db.send(guarded(new GetCommand(observed({ ...input, TableName: table.name }, table)))));
}

export function updateItem(table: Table, input: Input<UpdateCommandInput>, onConditionFailed: OnConditionFailed): Promise<Output<UpdateCommandOutput>> {
  return call(table, 'UpdateItem', () => table.db.send(guarded(new UpdateCommand(observed({ ...input, TableName: table.name }, table)))), onConditionFailed);
}

export function deleteItem(table: Table, input: Input<DeleteCommandInput>, onConditionFailed: OnConditionFailed): Promise<Output<DeleteCommandOutput>> {
  return call(table, 'DeleteItem', () => table.db.send(guarded(new DeleteCommand(observed({ ...input, TableName: table.name }, table)))), onConditionFailed);
}

export function scanItems(table: Table, input: Input<ScanCommandInput>): Promise<Output<ScanCommandOutput>> {
  return call(table, 'Scan', () => table.db.send(guarded(new ScanCommand(observed({ ...input, TableName: table.name }, table)))));
}
