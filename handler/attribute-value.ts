/**
 * JSON <-> DynamoDB AttributeValue, with DynamoDB's documented limits checked on the way in.
 *
 * We marshal ourselves instead of using lib-dynamodb's marshall/unmarshall because (a) numbers
 * must stay exact decimal text both ways (see json.ts), and (b) util-dynamodb builds maps with
 * `acc[key] = ...` on `{}`, where an attribute named `__proto__` would replace the prototype
 * instead of being data. Maps here are prototype-free objects.
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
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BadRequestError } from './errors.js';
import { decimalProblem, formatDecimal, parseDecimal } from './decimal.js';
import { JsonNumber, emptyObject, type JsonObject, type JsonValue } from './json.js';

export const MAX_ITEM_BYTES = 400 * 1024;
export const MAX_NESTING_LEVELS = 32;
export const MAX_ATTRIBUTE_NAME_BYTES = 64 * 1024 - 1;

export type AttributeMap = Record<string, AttributeValue>;

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
 * locally lose data without an error. So this API refuses the name everywhere.
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

interface Marshalled {
  value: AttributeValue;
  /** Size of the value alone, per DynamoDB's item-size rules. */
  size: number;
}

function marshalValue(value: JsonValue, path: string, level: number): Marshalled {
  if (typeof value === 'string') return { value: { S: value }, size: utf8Length(value) };
  if (typeof value === 'boolean') return { value: { BOOL: value }, size: 1 };
  if (value === null) return { value: { NULL: true }, size: 1 };
  if (value instanceof JsonNumber) {
    const decimal = parseDecimal(value.text);
    if (!decimal) throw new BadRequestError(`${path} is not a number`);
    const problem = decimalProblem(decimal);
    if (problem) throw new BadRequestError(`${path}: the number ${problem}`);
    return { value: { N: formatDecimal(decimal) }, size: Math.ceil(decimal.digits.length / 2) + 1 };
  }
  if (level >= MAX_NESTING_LEVELS) {
    throw new BadRequestError(`${path} is nested deeper than DynamoDB's limit of ${MAX_NESTING_LEVELS} levels`);
  }
  if (Array.isArray(value)) {
    let size = 3;
    const list = value.map((element, i) => {
      const m = marshalValue(element, childPath(path, i), level + 1);
      size += m.size + 1;
      return m.value;
    });
    return { value: { L: list }, size };
  }
  const { map, size } = marshalMap(value, path, level + 1);
  return { value: { M: map }, size: size + 3 + Object.keys(map).length };
}

function marshalMap(obj: JsonObject, path: string, level: number): { map: AttributeMap; size: number } {
  const map = Object.create(null) as AttributeMap;
  let size = 0;
  for (const name of Object.keys(obj)) {
    checkAttributeName(name, path);
    const m = marshalValue(obj[name]!, childPath(path, name), level);
    map[name] = m.value;
    size += utf8Length(name) + m.size;
  }
  return { map, size };
}

/** One attribute value (e.g. an ExpressionAttributeValues entry), limits checked. */
export function toAttributeValue(value: JsonValue, path: string): AttributeValue {
  return marshalValue(value, path, 0).value;
}

/** A whole item or key: top-level names, nesting, numbers, and the 400 KB item size. */
export function toAttributeMap(obj: JsonObject, path: string): AttributeMap {
  const { map, size } = marshalMap(obj, path, 0);
  if (size > MAX_ITEM_BYTES) {
    throw new BadRequestError(`${path} is ${size} bytes; DynamoDB's item size limit is ${MAX_ITEM_BYTES} bytes (400 KB)`);
  }
  return map;
}

/** ExpressionAttributeValues: a map of placeholders to attribute values. */
export function toAttributeValues(obj: JsonObject, path: string): AttributeMap {
  const map = Object.create(null) as AttributeMap;
  for (const name of Object.keys(obj)) map[name] = toAttributeValue(obj[name]!, childPath(path, name));
  return map;
}

function numberFromWire(text: string): JsonNumber {
  const decimal = parseDecimal(text);
  if (!decimal) throw new Error(`DynamoDB returned a number that is not decimal text: ${text}`);
  return new JsonNumber(formatDecimal(decimal));
}

/**
 * DynamoDB -> JSON. Sets (which this API never writes, but other writers may) become arrays and
 * binary values base64 strings, since JSON has neither.
 */
export function fromAttributeValue(av: AttributeValue): JsonValue {
  if (av.S !== undefined) return av.S;
  if (av.N !== undefined) return numberFromWire(av.N);
  if (av.BOOL !== undefined) return av.BOOL;
  if (av.NULL !== undefined) return null;
  if (av.M !== undefined) return fromAttributeMap(av.M);
  if (av.L !== undefined) return av.L.map(fromAttributeValue);
  if (av.SS !== undefined) return [...av.SS];
  if (av.NS !== undefined) return av.NS.map(numberFromWire);
  if (av.B !== undefined) return Buffer.from(av.B).toString('base64');
  if (av.BS !== undefined) return av.BS.map((b) => Buffer.from(b).toString('base64'));
  throw new Error(`DynamoDB returned an attribute value of an unknown type: ${Object.keys(av).join(', ')}`);
}

export function fromAttributeMap(map: AttributeMap): JsonObject {
  const obj = emptyObject();
  for (const name of Object.keys(map)) obj[name] = fromAttributeValue(map[name]!);
  return obj;
}

