/**
 * JSON for request and response bodies, with exact numbers and prototype-free objects.
 *
 * Why not `JSON.parse`: it turns `12345678901234567890123` into the double 1.2345678901234568e22,
 * so a DynamoDB number (38 significant digits) would be stored rounded: a silent lost write.
 * Here every number stays the literal text it was sent as ({@link JsonNumber}); it is validated
 * against DynamoDB's number rules where it becomes an attribute value, and printed back digit for
 * digit. Objects are created without a prototype, so a key such as `__proto__` is plain data and
 * can never reach `Object.prototype`.
 */
import { BadRequestError } from './errors.js';

/** A JSON number kept as its literal text (DynamoDB numbers are decimal strings on the wire). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = string | boolean | null | JsonNumber | JsonValue[] | JsonObject;
/** Made by {@link emptyObject}, without Object.prototype: use `Object.hasOwn`, never `in` or `obj.hasOwnProperty`. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Deeper than any valid request needs (DynamoDB items nest at most 32 levels); bounds recursion. */
export const MAX_JSON_DEPTH = 64;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/**
 * Instances inherit from a prototype that itself has none, so no `__proto__` accessor is in reach
 * (the key is plain data) and there is no `constructor`, which util-dynamodb reads as "a map".
 * Not `Object.create(null)`: V8 makes such objects dictionaries from the start, 190 bytes for an
 * empty one against 33 here, and a request body may hold hundreds of thousands of maps.
 */
const NullObject = function NullObject() {} as unknown as new () => JsonObject;
NullObject.prototype = Object.create(null);

export function emptyObject(): JsonObject {
  return new NullObject();
}

/** A plain map: made by {@link emptyObject}, `Object.create(null)` or `{}`, not a class instance. */
export function isPlainMap(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === NullObject.prototype || prototype === null || prototype === Object.prototype;
}

/**
 * The most values (every string, number, literal, array and object, the outer one included) a
 * body may hold, and why no valid request holds more; checked while parsing, so an oversized body
 * is refused before it is built in memory.
 */
export interface ValueBudget {
  maxValues: number;
  why: string;
}

const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Parses RFC 8259 JSON. Rejects duplicate keys (JSON.parse keeps the last one silently) and
 * strings holding lone surrogates (DynamoDB strings are UTF-8; the SDK would replace them).
 * `where` names the input in error messages, e.g. "request body".
 */
export function parseJson(text: string, where: string, budget?: ValueBudget): JsonValue {
  let pos = 0;
  let valuesLeft = budget?.maxValues ?? Infinity;

  const fail = (problem: string): never => {
    throw new BadRequestError(`${where} is not valid JSON: ${problem} at position ${pos}`);
  };
  const skipWhitespace = (): void => {
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      pos++;
    }
  };
  const skipDigits = (): number => {
    const start = pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code < 0x30 || code > 0x39) return pos - start;
      pos++;
    }
  };
  /** RFC 8259 `number`: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, by hand (no match array per number). */
  const parseNumber = (): JsonNumber => {
    const start = pos;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    if (text.charCodeAt(pos) === 0x30) pos++;
    else if (skipDigits() === 0) fail('bad number');
    if (text.charCodeAt(pos) === 0x2e) {
      pos++;
      if (skipDigits() === 0) fail('bad number: digits expected after "."');
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (skipDigits() === 0) fail('bad number: digits expected in the exponent');
    }
    return new JsonNumber(text.slice(start, pos));
  };
  const describe = (): string => (pos >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[pos])}`);

  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      PLAIN_CHARS.lastIndex = pos;
      PLAIN_CHARS.test(text);
      out += text.slice(pos, PLAIN_CHARS.lastIndex);
      pos = PLAIN_CHARS.lastIndex;
      const ch = text[pos];
      if (ch === '"') {
        pos++;
        break;
      }
      if (ch === '\\') {
        const esc = text[pos + 1];
        if (esc === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (esc !== undefined && Object.hasOwn(ESCAPES, esc)) {
          out += ESCAPES[esc];
          pos += 2;
        } else {
          fail('bad escape in string');
        }
        continue;
      }
      if (ch === undefined) fail('unterminated string');
      fail('control character in string');
    }
    if (LONE_SURROGATE.test(out)) fail('string holds an unpaired UTF-16 surrogate (not valid Unicode)');
    return out;
  };

  const parseValue = (depth: number): JsonValue => {
    skipWhitespace();
    if (--valuesLeft < 0) {
      throw new BadRequestError(`${where} holds more than ${budget!.maxValues} JSON values (the next one is at position ${pos}); ${budget!.why}`);
    }
    const ch = text[pos];
    if (ch === '{' || ch === '[') {
      if (depth >= MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
      return ch === '{' ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (ch === '"') return parseString();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return parseNumber();
    if (text.startsWith('true', pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return false;
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return null;
    }
    return fail(describe());
  };

  const parseObject = (depth: number): JsonObject => {
    pos++;
    const obj = emptyObject();
    skipWhitespace();
    if (text[pos] === '}') {
      pos++;
      return obj;
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') fail(`${describe()}, expected a string key`);
      const keyAt = pos;
      const key = parseString();
      if (Object.hasOwn(obj, key)) {
        pos = keyAt;
        fail(`duplicate key ${JSON.stringify(key)}`);
      }
      skipWhitespace();
      if (text[pos] !== ':') fail(`${describe()}, expected ':'`);
      pos++;
      obj[key] = parseValue(depth);
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      fail(`${describe()}, expected ',' or '}'`);
    }
  };

  const parseArray = (depth: number): JsonValue[] => {
    pos++;
    const arr: JsonValue[] = [];
    skipWhitespace();
    if (text[pos] === ']') {
      pos++;
      return arr;
    }
    for (;;) {
      arr.push(parseValue(depth));
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      fail(`${describe()}, expected ',' or ']'`);
    }
  };

  const value = parseValue(0);
  skipWhitespace();
  if (pos < text.length) fail(`${describe()} after the JSON value`);
  return value;
}

/**
 * Serializes response data: {@link JsonNumber} prints its digits as they are; objects print
 * their own enumerable keys (prototype-free objects included); `undefined` members are skipped.
 */
export function stringifyJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot serialize the number ${value} as JSON`);
      return String(value);
    case 'object': {
      if (value instanceof JsonNumber) return value.text;
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stringifyJson(v))).join(',')}]`;
      const parts: string[] = [];
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (member !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyJson(member)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`cannot serialize a ${typeof value} as JSON`);
  }
}

/** For messages: "a string", "a number", "an object", ... */
export function jsonTypeName(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return 'a number';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
