/**
 * The table's primary key, as infra/cfn/template.yaml defines it: partition key `id` of type S,
 * no sort key. The function cannot DescribeTable (its role allows item actions only), so the
 * schema is fixed here and in the template together.
 */
import { CONTRACT_LIMITS } from './contract/index.js';
import { BadRequestError } from './errors.js';
import { childPath, type DocumentItem } from './item-value.js';
import { isJsonObject, jsonTypeName, type JsonValue } from './json.js';

export const KEY_ATTRIBUTE = 'id';
/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-partition-sort-keys */
export const MAX_PARTITION_KEY_BYTES = CONTRACT_LIMITS.maxKeyBytes;

/** Validates a key value found at `where` (e.g. `payload.Item.id`) and returns it. */
export function checkKeyValue(value: JsonValue | undefined, where: string): string {
  if (typeof value !== 'string') {
    throw new BadRequestError(`${where} must be a string (the table key "${KEY_ATTRIBUTE}" is of type S), got ${jsonTypeName(value)}`);
  }
  if (value === '') throw new BadRequestError(`${where} must not be empty (DynamoDB key attributes cannot be empty strings)`);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_PARTITION_KEY_BYTES) {
    throw new BadRequestError(`${where} is ${bytes} bytes; DynamoDB partition key values are at most ${MAX_PARTITION_KEY_BYTES} bytes`);
  }
  return value;
}

/** The id of an item at `where`: the object must have a valid `id`. */
export function itemId(item: JsonValue | undefined, where: string): string {
  if (!isJsonObject(item)) throw new BadRequestError(`${where} must be an object, got ${jsonTypeName(item)}`);
  if (!Object.hasOwn(item, KEY_ATTRIBUTE)) throw new BadRequestError(`${where} is missing the key attribute "${KEY_ATTRIBUTE}"`);
  return checkKeyValue(item[KEY_ATTRIBUTE], childPath(where, KEY_ATTRIBUTE));
}

/** A full primary key at `where` (`payload.Key`, `payload.ExclusiveStartKey`): exactly `{id}`. */
export function keyId(key: JsonValue | undefined, where: string): string {
  if (!isJsonObject(key)) throw new BadRequestError(`${where} must be an object, got ${jsonTypeName(key)}`);
  for (const name of Object.keys(key)) {
    if (name !== KEY_ATTRIBUTE) {
      throw new BadRequestError(`${where} has attribute ${JSON.stringify(name)} that is not part of the table key (${KEY_ATTRIBUTE})`);
    }
  }
  return itemId(key, where);
}

export function keyAttributes(id: string): DocumentItem {
  return { [KEY_ATTRIBUTE]: id };
}
