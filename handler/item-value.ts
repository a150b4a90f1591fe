/**
 * Request JSON <-> the document client's native values, with DynamoDB's documented limits
 * checked on the way in. lib-dynamodb does the AttributeValue marshalling; this module decides
 * what reaches it and what a result becomes as JSON.
 *
 * Numbers stay exact both ways: a request number (kept as its literal text by json.ts) becomes a
 * lib-dynamodb `NumberValue` holding canonical decimal text, and results are read with
 * `wrapNumbers: true` (document-client.ts), so a `NumberValue` comes back and is printed digit for
 * digit. A JS number would round anything past 15-17 significant digits; DynamoDB keeps 38.
 *
 * Limits checked, because dynalite (the local store) does not enforce all of them and a request
 * must get the same answer locally and in AWS
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html):
 * - item size at most 400 KB, computed as in
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 *   (attribute name UTF-8 bytes + value size; list/map 3 bytes + 1 per element; number
 *   1 byte per two significant digits + 1);
 * - nesting at most 32 levels;
 * - numbers: 38 significant digits, magnitude 1E-130 .. 9.99..E+125 (decimal.ts);
 * - attribute names non-empty and under 64 KB.
 */
import { NumberValue, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { BadRequestError } from './errors.js';
import { decimalProblem, formatDecimal, parseDecimal } from './decimal.js';
import { JsonNumber, emptyObject, isPlainMap, type JsonObject, type JsonValue, type ValueBudget } from './json.js';

export const MAX_ITEM_BYTES = 400 * 1024;
export const MAX_NESTING_LEVELS = 32;
export const MAX_ATTRIBUTE_NAME_BYTES = 64 * 1024 - 1;
/**
 * By the sizing rules above every value inside an item takes at least 1 byte (a list element or a
 * map entry costs 1 plus its own size), so an item holds at most MAX_ITEM_BYTES values besides
 * itself. 1,000,000 empty maps (3 MB of JSON) can therefore never be an item.
 */
export const MAX_ITEM_VALUES = MAX_ITEM_BYTES + 1;
export const ITEM_BODY_BUDGET: ValueBudget = {
  maxValues: MAX_ITEM_VALUES,
  why: `an item is at most 400 KB and every value in it takes at least 1 byte by DynamoDB's item size rules, so no item holds more`,
};

/** An item, key or ExpressionAttributeValues map as the document client takes and returns it. */
export type DocumentItem = Record<string, NativeAttributeValue>;

/** `payload.Item` + `a` -> `payload.Item.a`; odd names are quoted: `payload.Item["a b"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * dynalite silently drops attributes named `__proto__` (it stores items in plain objects), while
 * DynamoDB keeps them: the same request would give different answers locally and in AWS, and
 * locally lose data without an error. util-dynamodb's marshall also builds maps by assignment on
 * `{}`, where the name would set a prototype instead of being data. So this API refuses the name
 * everywhere.
 */
export function checkAttributeName(name: string, where: string): void {
  if (name === '') throw new BadRequestError(`${where} has an empty attribute name; DynamoDB attribute names must be at least one character`);
  if (name === '__proto__') {
    throw new BadRequestError(`${where} uses the attribute name "__proto__", which this API does not accept (the local DynamoDB store cannot keep it)`);
  }
  if (utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES) {
    throw new BadRequestError(`${where} has an attribute name longer than DynamoDB's limit of 64 KB`);
  }
}

interface Converted {
  value: NativeAttributeValue;
  /** Size of the value alone, per DynamoDB's item-size rules. */
  size: number;
}

/** `parent` + `key`, built only when needed (an error, or a non-empty container): a body may hold hundreds of thousands of values. */
function pathOf(parent: string, key: string | number | undefined): string {
  return key === undefined ? parent : childPath(parent, key);
}

function convertValue(value: JsonValue, parent: string, key: string | number | undefined, level: number): Converted {
  if (typeof value === 'string') return { value, size: utf8Length(value) };
  if (typeof value === 'boolean' || value === null) return { value, size: 1 };
  if (value instanceof JsonNumber) {
    const decimal = parseDecimal(value.text);
    if (!decimal) throw new BadRequestError(`${pathOf(parent, key)} is not a number`);
    const problem = decimalProblem(decimal);
    if (problem) throw new BadRequestError(`${pathOf(parent, key)}: the number ${problem}`);
    return { value: NumberValue.from(formatDecimal(decimal)), size: Math.ceil(decimal.digits.length / 2) + 1 };
  }
  if (level >= MAX_NESTING_LEVELS) {
    throw new BadRequestError(`${pathOf(parent, key)} is nested deeper than DynamoDB's limit of ${MAX_NESTING_LEVELS} levels`);
  }
  if (Array.isArray(value)) {
    let size = 3;
    const path = value.length === 0 ? '' : pathOf(parent, key);
    const list = value.map((element, i) => {
      const c = convertValue(element, path, i, level + 1);
      size += c.size + 1;
      return c.value;
    });
    return { value: list, size };
  }
  const names = Object.keys(value);
  const { map, size } = convertMap(value, names, names.length === 0 ? '' : pathOf(parent, key), level + 1);
  return { value: map, size: size + 3 + names.length };
}

/** Maps do not inherit from Object.prototype (json.ts emptyObject); util-dynamodb marshals an object without a constructor as an M. */
function convertMap(obj: JsonObject, names: readonly string[], path: string, level: number): { map: DocumentItem; size: number } {
  const map = emptyObject() as DocumentItem;
  let size = 0;
  for (const name of names) {
    checkAttributeName(name, path);
    const c = convertValue(obj[name]!, path, name, level);
    map[name] = c.value;
    size += utf8Length(name) + c.size;
  }
  return { map, size };
}

/** One attribute value (e.g. an ExpressionAttributeValues entry), limits checked. */
export function toItemValue(value: JsonValue, path: string): NativeAttributeValue {
  return convertValue(value, path, undefined, 0).value;
}

/** A whole item or key: top-level names, nesting, numbers, and the 400 KB item size. */
export function toItem(obj: JsonObject, path: string): DocumentItem {
  const { map, size } = convertMap(obj, Object.keys(obj), path, 0);
  if (size > MAX_ITEM_BYTES) {
    throw new BadRequestError(`${path} is ${size} bytes; DynamoDB's item size limit is ${MAX_ITEM_BYTES} bytes (400 KB)`);
  }
  return map;
}

/**
 * ExpressionAttributeValues: a map of placeholders to attribute values. lib-dynamodb rebuilds this
 * map by assignment on `{}` too, so a `__proto__` placeholder would vanish instead of getting
 * DynamoDB's "invalid key" error; it is refused here.
 */
export function toItemValues(obj: JsonObject, path: string): DocumentItem {
  const map = emptyObject() as DocumentItem;
  for (const name of Object.keys(obj)) {
    if (name === '__proto__') throw new BadRequestError(`${path} uses the placeholder "__proto__", which is not a valid placeholder (placeholders start with ":")`);
    map[name] = toItemValue(obj[name]!, childPath(path, name));
  }
  return map;
}

function numberFromWire(value: NumberValue): JsonNumber {
  const text = value.toString();
  const decimal = parseDecimal(text);
  if (!decimal) throw new Error(`DynamoDB returned a number that is not decimal text: ${text}`);
  return new JsonNumber(formatDecimal(decimal));
}

function isBinary(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/**
 * A document-client result value -> JSON. Sets (which this API never writes, but other writers
 * may) become arrays and binary values base64 strings, since JSON has neither. Maps become
 * prototype-free objects; item-store.ts has already refused results holding a `__proto__`
 * attribute, and a map whose prototype is not a plain object's is refused here as a second guard.
 */
export function fromItemValue(value: NativeAttributeValue): JsonValue {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (value instanceof NumberValue) return numberFromWire(value);
  if (Array.isArray(value)) return value.map(fromItemValue);
  if (value instanceof Set) return [...value].map((member) => fromItemValue(member as NativeAttributeValue));
  if (isBinary(value)) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && value !== null && isPlainMap(value)) return fromItem(value as DocumentItem);
  // A JS number or bigint here means the client was not built with wrapNumbers (document-client.ts).
  throw new Error(`DynamoDB returned a value this API cannot represent as JSON: ${typeof value === 'object' ? Object.prototype.toString.call(value) : typeof value}`);
}

export function fromItem(item: DocumentItem): JsonObject {
  const obj = emptyObject();
  for (const name of Object.keys(item)) obj[name] = fromItemValue(item[name]);
  return obj;
}
