/**
 * `POST /DynamoDBManager`: the original project's RPC body `{"operation", "tableName"?, "payload"?}`.
 * create -> PutItem, read -> GetItem, update -> UpdateItem, delete -> DeleteItem, list -> Scan,
 * echo -> the payload, ping -> "pong". The result is DynamoDB's output minus `$metadata`.
 *
 * `payload` holds DynamoDB request parameters, passed through only from a per-operation
 * allow-list and always against the function's own table (never a caller's `TableName`).
 */
import { CONTRACT_LIMITS, RPC_BODY_FIELDS, RPC_OPERATIONS, rpcPayloadEnum, rpcPayloadKeys } from './contract/index.js';
import { parseDecimal } from './decimal.js';
import { BadRequestError, ConditionFailedError } from './errors.js';
import { deleteItem, getItem, putItem, scanItems, updateItem, type Table } from './item-store.js';
import { itemId, keyAttributes, keyId } from './item-key.js';
import { checkAttributeName, childPath, fromItem, MAX_ITEM_VALUES, toItem, toItemValues, type DocumentItem } from './item-value.js';
import { MAX_PAGE_SIZE } from './items-api.js';
import { emptyObject, isJsonObject, jsonTypeName, JsonNumber, type JsonObject, type JsonValue, type ValueBudget } from './json.js';

/** DynamoDB's `Limit` is an Integer (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-Limit). */
export const MAX_SCAN_LIMIT = CONTRACT_LIMITS.maxScanLimit;
/**
 * The most items one `list` reads, and what it reads when `Limit` is left out: the cap of
 * `GET /items`, so neither route lets one call read more than 1000 items (DynamoDB also stops a
 * Scan page at 1 MB; LastEvaluatedKey then says where to go on).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-Limit
 */
export const MAX_LIST_LIMIT = MAX_PAGE_SIZE;

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters */
export const MAX_EXPRESSION_BYTES = CONTRACT_LIMITS.maxExpressionBytes;

/**
 * "The maximum length of all substitution variables in an expression is 2 MB. This is the sum of
 * the lengths of all ExpressionAttributeNames and ExpressionAttributeValues."
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters
 */
export const MAX_SUBSTITUTION_BYTES = 2 * 1024 * 1024;

/**
 * The largest valid body: one item (payload.Item) and 2 MB of substitution variables, each value
 * taking at least 1 byte (item-value.ts), plus the envelope (operation, tableName, the payload's
 * own members, Key, expressions), for which 64 values are ample.
 */
export const RPC_BODY_BUDGET: ValueBudget = {
  maxValues: MAX_ITEM_VALUES + MAX_SUBSTITUTION_BYTES + 64,
  why: 'a request holds at most one item (400 KB) and 2 MB of ExpressionAttributeNames and ExpressionAttributeValues, and every value in them takes at least 1 byte by DynamoDB\'s item size rules, so no valid request holds more',
};

const BODY_FIELDS = RPC_BODY_FIELDS;

interface Operation {
  run(payload: JsonObject, table: Table): Promise<unknown>;
}

/** Reads the typed, validated DynamoDB parameters out of one operation's payload. */
class Payload {
  constructor(readonly data: JsonObject) {}

  has(key: string): boolean {
    return Object.hasOwn(this.data, key);
  }

  private value(key: string): JsonValue | undefined {
    return this.has(key) ? this.data[key] : undefined;
  }

  private where(key: string): string {
    return childPath('payload', key);
  }

  item(): DocumentItem {
    if (!this.has('Item')) throw new BadRequestError('payload.Item is required');
    itemId(this.value('Item'), 'payload.Item');
    return toItem(this.value('Item') as JsonObject, 'payload.Item');
  }

  key(name = 'Key'): DocumentItem {
    if (!this.has(name)) throw new BadRequestError(`${this.where(name)} is required`);
    return keyAttributes(keyId(this.value(name), this.where(name)));
  }

  optionalKey(name: string): DocumentItem | undefined {
    return this.has(name) ? this.key(name) : undefined;
  }

  /** An expression string. `__proto__` is refused as in attribute names (see item-value.ts). */
  expression(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new BadRequestError(`${this.where(key)} must be a string, got ${jsonTypeName(value)}`);
    if (/(?<![\w#:])__proto__(?!\w)/.test(value)) checkAttributeName('__proto__', this.where(key));
    // dynalite does not enforce this limit; DynamoDB does.
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_EXPRESSION_BYTES) {
      throw new BadRequestError(`${this.where(key)} is ${bytes} bytes; DynamoDB expressions are at most ${MAX_EXPRESSION_BYTES} bytes (4 KB)`);
    }
    return value;
  }

  names(): Record<string, string> | undefined {
    const value = this.value('ExpressionAttributeNames');
    if (value === undefined) return undefined;
    const where = this.where('ExpressionAttributeNames');
    if (!isJsonObject(value)) throw new BadRequestError(`${where} must be an object, got ${jsonTypeName(value)}`);
    const names = Object.create(null) as Record<string, string>;
    for (const placeholder of Object.keys(value)) {
      const name = value[placeholder];
      const at = childPath(where, placeholder);
      if (typeof name !== 'string') throw new BadRequestError(`${at} must be a string (an attribute name), got ${jsonTypeName(name)}`);
      checkAttributeName(name, at);
      names[placeholder] = name;
    }
    return names;
  }

  values(): DocumentItem | undefined {
    const value = this.value('ExpressionAttributeValues');
    if (value === undefined) return undefined;
    const where = this.where('ExpressionAttributeValues');
    if (!isJsonObject(value)) throw new BadRequestError(`${where} must be an object, got ${jsonTypeName(value)}`);
    return toItemValues(value, where);
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      throw new BadRequestError(`${this.where(key)} must be one of ${choices.join(', ')} for this operation, got ${describe(value)}`);
    }
    return value as T;
  }

  boolean(key: string): boolean | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw new BadRequestError(`${this.where(key)} must be true or false, got ${jsonTypeName(value)}`);
    return value;
  }

  positiveInteger(key: string, max: number): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    let n = NaN;
    const d = value instanceof JsonNumber ? parseDecimal(value.text) : undefined;
    // Integral whatever the notation (10, 1e1, 10.0), and small enough to be exact as a double.
    if (d && d.digits !== '' && !d.negative && d.scale >= 0 && d.digits.length + d.scale <= 15) n = Number(d.digits + '0'.repeat(d.scale));
    if (!Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new BadRequestError(`${this.where(key)} must be a positive integer (at most ${max}), got ${describe(value)}`);
    }
    return n;
  }
}

function describe(value: JsonValue): string {
  if (value instanceof JsonNumber) return value.text.length > 64 ? `${value.text.slice(0, 64)}... (${value.text.length} characters)` : value.text;
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
  return jsonTypeName(value);
}

function attributes(output: { Attributes?: DocumentItem }): JsonObject {
  const result = emptyObject();
  if (output.Attributes) result.Attributes = fromItem(output.Attributes);
  return result;
}

/** The contract's ReturnValues choices of an operation, typed as DynamoDB's (the contract lists a subset of them). */
const returnValues = <T extends string>(operation: string) => rpcPayloadEnum(operation, 'ReturnValues') as readonly T[];

const conditionFailed = () => new ConditionFailedError('payload.ConditionExpression');

const OPERATIONS = new Map<string, Operation>([
  [
    'create',
    {
      async run(data, table) {
        const p = new Payload(data);
        const output = await putItem(
          table,
          {
            Item: p.item(),
            ConditionExpression: p.expression('ConditionExpression'),
            ExpressionAttributeNames: p.names(),
            ExpressionAttributeValues: p.values(),
            ReturnValues: p.oneOf('ReturnValues', returnValues<'NONE' | 'ALL_OLD'>('create')),
          },
          conditionFailed,
        );
        return attributes(output);
      },
    },
  ],
  [
    'read',
    {
      async run(data, table) {
        const p = new Payload(data);
        const output = await getItem(table, {
          Key: p.key(),
          ProjectionExpression: p.expression('ProjectionExpression'),
          ExpressionAttributeNames: p.names(),
          ConsistentRead: p.boolean('ConsistentRead'),
        });
        const result = emptyObject();
        // GetItem answers {} for a missing item; so do we.
        if (output.Item) result.Item = fromItem(output.Item);
        return result;
      },
    },
  ],
  [
    'update',
    {
      async run(data, table) {
        const p = new Payload(data);
        const output = await updateItem(
          table,
          {
            Key: p.key(),
            UpdateExpression: p.expression('UpdateExpression'),
            ConditionExpression: p.expression('ConditionExpression'),
            ExpressionAttributeNames: p.names(),
            ExpressionAttributeValues: p.values(),
            ReturnValues: p.oneOf('ReturnValues', returnValues<'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW'>('update')),
          },
          conditionFailed,
        );
        return attributes(output);
      },
    },
  ],
  [
    'delete',
    {
      async run(data, table) {
        const p = new Payload(data);
        const output = await deleteItem(
          table,
          {
            Key: p.key(),
            ConditionExpression: p.expression('ConditionExpression'),
            ExpressionAttributeNames: p.names(),
            ExpressionAttributeValues: p.values(),
            ReturnValues: p.oneOf('ReturnValues', returnValues<'NONE' | 'ALL_OLD'>('delete')),
          },
          conditionFailed,
        );
        return attributes(output);
      },
    },
  ],
  [
    'list',
    {
      async run(data, table) {
        const p = new Payload(data);
        const output = await scanItems(table, {
          Limit: p.positiveInteger('Limit', MAX_LIST_LIMIT) ?? MAX_LIST_LIMIT,
          ExclusiveStartKey: p.optionalKey('ExclusiveStartKey'),
          FilterExpression: p.expression('FilterExpression'),
          ProjectionExpression: p.expression('ProjectionExpression'),
          ExpressionAttributeNames: p.names(),
          ExpressionAttributeValues: p.values(),
          ConsistentRead: p.boolean('ConsistentRead'),
        });
        return {
          Items: (output.Items ?? []).map(fromItem),
          Count: output.Count ?? 0,
          ScannedCount: output.ScannedCount ?? 0,
          LastEvaluatedKey: output.LastEvaluatedKey && fromItem(output.LastEvaluatedKey),
        };
      },
    },
  ],
  ['echo', { run: async (data) => data }],
  ['ping', { run: async () => 'pong' }],
]);

export const OPERATION_NAMES = RPC_OPERATIONS;
for (const name of RPC_OPERATIONS) if (!OPERATIONS.has(name)) throw new Error(`handler/contract/rpc-request.json names operation ${name}, which the handler does not implement`);

/**
 * Validates the body and runs the operation. `onOperation` learns the operation name as soon as
 * it is known (for the request's log line, even when the request then fails).
 */
export async function dynamoDbManager(body: JsonValue, table: Table, onOperation: (name: string) => void): Promise<unknown> {
  if (!isJsonObject(body)) throw new BadRequestError(`request body must be a JSON object, got ${jsonTypeName(body)}`);
  for (const field of Object.keys(body)) {
    if (!BODY_FIELDS.includes(field)) {
      throw new BadRequestError(`request body has unknown field ${JSON.stringify(field)}; expected ${BODY_FIELDS.join(', ')}`);
    }
  }

  const name = Object.hasOwn(body, 'operation') ? body.operation : undefined;
  if (name === undefined) throw new BadRequestError(`request body is missing "operation"; expected one of ${OPERATION_NAMES.join(', ')}`);
  if (typeof name !== 'string') throw new BadRequestError(`operation must be a string, got ${jsonTypeName(name)}`);
  const operation = OPERATIONS.get(name);
  if (!operation) throw new BadRequestError(`unknown operation ${describe(name)}; expected one of ${OPERATION_NAMES.join(', ')}`);
  onOperation(name);

  if (Object.hasOwn(body, 'tableName')) {
    const tableName = body.tableName;
    if (typeof tableName !== 'string') throw new BadRequestError(`tableName must be a string, got ${jsonTypeName(tableName)}`);
    if (tableName !== table.name) {
      throw new BadRequestError(`tableName ${JSON.stringify(tableName)} is not this function's table ${JSON.stringify(table.name)}; omit tableName or use ${JSON.stringify(table.name)}`);
    }
  }

  const payload = Object.hasOwn(body, 'payload') ? body.payload : emptyObject();
  if (!isJsonObject(payload!)) throw new BadRequestError(`payload must be a JSON object, got ${jsonTypeName(payload)}`);
  const allowed = rpcPayloadKeys(name);
  if (allowed !== 'any') {
    for (const key of Object.keys(payload)) {
      if (!allowed.includes(key)) {
        const expected = allowed.length ? `allowed: ${allowed.join(', ')}` : `${name} takes no payload keys`;
        throw new BadRequestError(`${childPath('payload', key)} is not accepted for operation ${name}; ${expected}`);
      }
    }
  }
  return operation.run(payload, table);
}
