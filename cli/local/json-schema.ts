/**
 * JSON Schema draft 4 (https://datatracker.ietf.org/doc/html/draft-fge-json-schema-validation-00),
 * the dialect of API Gateway's models, as the local stack needs it to check a request body the
 * way a RequestValidator does. Pure: a schema is compiled once when the stack starts (an
 * unsupported keyword is refused then, naming where), and a value is checked in time linear in
 * its size: the validator descends only where the schema has a subschema, so its depth is the
 * schema's, never the body's. Supported keywords are those listed in KEYWORDS; `$ref` (which API
 * Gateway resolves to `https://apigateway.amazonaws.com/restapis/<id>/models/<name>`) is not.
 */

export type Schema = { readonly [keyword: string]: unknown };

/** A value that is not what its schema says: where (`body.payload.Key`) and what. */
export interface SchemaProblem {
  at: string;
  message: string;
  /** Set on a value outside an enum: in a oneOf, the mark of a branch meant for another value. */
  enum?: true;
}

export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

type Check = (value: unknown, at: string, problems: SchemaProblem[]) => void;

/** Annotations: accepted and ignored, as validators do (`format` is not asserted by API Gateway's draft 4 validation either). */
const ANNOTATIONS = new Set(['$schema', 'id', 'title', 'description', 'default', 'format', 'definitions', 'example']);

/** The keywords that assert something, each compiled by its entry. */
const KEYWORDS = [
  'type', 'enum', 'properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties',
  'items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'allOf', 'anyOf', 'oneOf', 'not',
] as const;

export const SUPPORTED_KEYWORDS: readonly string[] = [...KEYWORDS, ...ANNOTATIONS];

const TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** At most this many problems are reported for one value (the first ones, in document order). */
const MAX_PROBLEMS = 10;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return typeOf(value) === type;
  }
}

/** JSON Schema counts characters (code points), not UTF-16 units. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Canonical JSON (object keys sorted) for enum and uniqueItems equality. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeOf(value);
}

const child = (at: string, key: string | number) => (typeof key === 'number' ? `${at}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`);

/** Compiles `schema` (found at `where`, for messages). Throws SchemaError for what draft 4 or this validator does not accept. */
export function compileSchema(schema: unknown, where: string): (value: unknown, at?: string) => SchemaProblem[] {
  const check = compile(schema, where);
  return (value, at = 'body') => {
    const problems: SchemaProblem[] = [];
    check(value, at, problems);
    return problems.slice(0, MAX_PROBLEMS);
  };
}

function compile(schema: unknown, where: string): Check {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new SchemaError(`${where}: a schema must be an object, got ${typeOf(schema)}`);
  const s = schema as Schema;
  const checks: Check[] = [];
  const bad = (keyword: string, what: string): never => {
    throw new SchemaError(`${where}.${keyword}: ${what}`);
  };
  const count = (keyword: string): number | undefined => {
    const v = s[keyword];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(keyword, 'must be a non-negative integer');
    return v as number;
  };
  const number = (keyword: string): number | undefined => {
    const v = s[keyword];
    if (v !== undefined && typeof v !== 'number') bad(keyword, 'must be a number');
    return v as number | undefined;
  };
  const schemaList = (keyword: string): Check[] | undefined => {
    const v = s[keyword];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length === 0) bad(keyword, 'must be a non-empty array of schemas');
    return (v as unknown[]).map((sub, i) => compile(sub, `${where}.${keyword}[${i}]`));
  };

  for (const keyword of Object.keys(s)) {
    if (keyword === '$ref') bad(keyword, 'model references ($ref) are not emulated by the local stack; inline the referenced schema');
    if (!ANNOTATIONS.has(keyword) && !(KEYWORDS as readonly string[]).includes(keyword)) {
      bad(keyword, `is not a JSON Schema draft 4 keyword the local stack checks (supported: ${KEYWORDS.join(', ')})`);
    }
  }

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    for (const t of types) if (typeof t !== 'string' || !TYPES.includes(t)) bad('type', `${JSON.stringify(t)} is not a type (${TYPES.join(', ')})`);
    checks.push((v, at, p) => {
      if (!types.some((t) => hasType(v, t as string))) p.push({ at, message: `expected ${types.join(' or ')}, got ${typeOf(v) === 'number' && types.includes('integer') ? 'a non-integer number' : typeOf(v)}` });
    });
  }
  if (s.enum !== undefined) {
    if (!Array.isArray(s.enum) || s.enum.length === 0) bad('enum', 'must be a non-empty array');
    const allowed = new Set((s.enum as unknown[]).map(canonical));
    // Only scalars listed: a container cannot match, and is not serialized to find that out.
    const scalarsOnly = (s.enum as unknown[]).every((e) => e === null || typeof e !== 'object');
    const shown = (s.enum as unknown[]).map((e) => JSON.stringify(e)).join(', ');
    checks.push((v, at, p) => {
      if ((scalarsOnly && v !== null && typeof v === 'object') || !allowed.has(canonical(v))) p.push({ at, message: `${describeValue(v)} is not one of ${shown}`, enum: true });
    });
  }

  // Objects.
  const properties = s.properties === undefined ? undefined : s.properties;
  if (properties !== undefined && (properties === null || typeof properties !== 'object' || Array.isArray(properties))) bad('properties', 'must be an object');
  const propertyChecks = new Map(Object.entries((properties ?? {}) as Record<string, unknown>).map(([k, sub]) => [k, compile(sub, `${where}.properties${child('', k)}`)]));
  const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, unknown>).map(([re, sub]) => {
    let regex: RegExp;
    try {
      regex = new RegExp(re, 'u');
    } catch {
      return bad('patternProperties', `${JSON.stringify(re)} is not a regular expression`);
    }
    return [regex, compile(sub, `${where}.patternProperties[${JSON.stringify(re)}]`)] as const;
  });
  const additional = s.additionalProperties;
  const additionalCheck = additional !== undefined && typeof additional === 'object' ? compile(additional, `${where}.additionalProperties`) : undefined;
  if (additional !== undefined && typeof additional !== 'boolean' && !additionalCheck) bad('additionalProperties', 'must be a boolean or a schema');
  const required = s.required;
  if (required !== undefined && (!Array.isArray(required) || required.length === 0 || !required.every((r) => typeof r === 'string'))) bad('required', 'must be a non-empty array of strings');
  const minProperties = count('minProperties');
  const maxProperties = count('maxProperties');
  if (propertyChecks.size || patterns.length || additional !== undefined || required || minProperties !== undefined || maxProperties !== undefined) {
    checks.push((v, at, p) => {
      if (typeOf(v) !== 'object') return;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      for (const r of (required ?? []) as string[]) if (!Object.hasOwn(o, r)) p.push({ at, message: `is missing the required property ${JSON.stringify(r)}` });
      if (minProperties !== undefined && keys.length < minProperties) p.push({ at, message: `has ${keys.length} properties; at least ${minProperties} required` });
      if (maxProperties !== undefined && keys.length > maxProperties) p.push({ at, message: `has ${keys.length} properties; at most ${maxProperties} allowed` });
      for (const k of keys) {
        const named = propertyChecks.get(k);
        if (named) named(o[k], child(at, k), p);
        let matched = named !== undefined;
        for (const [regex, sub] of patterns) {
          if (regex.test(k)) {
            matched = true;
            sub(o[k], child(at, k), p);
          }
        }
        if (!matched) {
          if (additional === false) p.push({ at, message: `has the property ${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}...` : k)}, which the schema does not allow` });
          else additionalCheck?.(o[k], child(at, k), p);
        }
        if (p.length >= MAX_PROBLEMS) return;
      }
    });
  }

  // Arrays.
  const items = s.items;
  const itemList = Array.isArray(items) ? items.map((sub, i) => compile(sub, `${where}.items[${i}]`)) : undefined;
  const itemCheck = items !== undefined && !Array.isArray(items) ? compile(items, `${where}.items`) : undefined;
  const additionalItems = s.additionalItems;
  const additionalItemCheck = additionalItems !== undefined && typeof additionalItems === 'object' ? compile(additionalItems, `${where}.additionalItems`) : undefined;
  const minItems = count('minItems');
  const maxItems = count('maxItems');
  const unique = s.uniqueItems === true;
  if (itemList || itemCheck || minItems !== undefined || maxItems !== undefined || unique) {
    checks.push((v, at, p) => {
      if (!Array.isArray(v)) return;
      if (minItems !== undefined && v.length < minItems) p.push({ at, message: `has ${v.length} items; at least ${minItems} required` });
      if (maxItems !== undefined && v.length > maxItems) p.push({ at, message: `has ${v.length} items; at most ${maxItems} allowed` });
      for (let i = 0; i < v.length && p.length < MAX_PROBLEMS; i++) {
        if (itemCheck) itemCheck(v[i], child(at, i), p);
        else if (itemList) {
          if (i < itemList.length) itemList[i]!(v[i], child(at, i), p);
          else if (additionalItems === false) p.push({ at: child(at, i), message: `is beyond the ${itemList.length} items the schema allows` });
          else additionalItemCheck?.(v[i], child(at, i), p);
        }
      }
      if (unique) {
        const seen = new Set<string>();
        for (const item of v) {
          const key = canonical(item);
          if (seen.has(key)) {
            p.push({ at, message: 'has duplicate items (uniqueItems)' });
            break;
          }
          seen.add(key);
        }
      }
    });
  }

  // Strings.
  const minLength = count('minLength');
  const maxLength = count('maxLength');
  let pattern: RegExp | undefined;
  if (s.pattern !== undefined) {
    try {
      pattern = new RegExp(String(s.pattern), 'u');
    } catch {
      bad('pattern', `${JSON.stringify(s.pattern)} is not a regular expression`);
    }
  }
  if (minLength !== undefined || maxLength !== undefined || pattern) {
    checks.push((v, at, p) => {
      if (typeof v !== 'string') return;
      const n = minLength !== undefined || maxLength !== undefined ? codePoints(v) : 0;
      if (minLength !== undefined && n < minLength) p.push({ at, message: `is ${n} characters; at least ${minLength} required` });
      if (maxLength !== undefined && n > maxLength) p.push({ at, message: `is ${n} characters; at most ${maxLength} allowed` });
      if (pattern && !pattern.test(v)) p.push({ at, message: `${describeValue(v)} does not match the pattern ${String(s.pattern)}` });
    });
  }

  // Numbers.
  const minimum = number('minimum');
  const maximum = number('maximum');
  const multipleOf = number('multipleOf');
  if (multipleOf !== undefined && !(multipleOf > 0)) bad('multipleOf', 'must be greater than 0');
  const exclusiveMin = s.exclusiveMinimum === true;
  const exclusiveMax = s.exclusiveMaximum === true;
  if (minimum !== undefined || maximum !== undefined || multipleOf !== undefined) {
    checks.push((v, at, p) => {
      if (typeof v !== 'number') return;
      if (minimum !== undefined && (exclusiveMin ? v <= minimum : v < minimum)) p.push({ at, message: `${v} is ${exclusiveMin ? 'not greater than' : 'less than'} the minimum ${minimum}` });
      if (maximum !== undefined && (exclusiveMax ? v >= maximum : v > maximum)) p.push({ at, message: `${v} is ${exclusiveMax ? 'not less than' : 'greater than'} the maximum ${maximum}` });
      if (multipleOf !== undefined && !Number.isInteger(v / multipleOf)) p.push({ at, message: `${v} is not a multiple of ${multipleOf}` });
    });
  }

  // Combinations: a branch's own problems are not reported, only that it failed.
  const allOf = schemaList('allOf');
  const anyOf = schemaList('anyOf');
  const oneOf = schemaList('oneOf');
  const not = s.not === undefined ? undefined : compile(s.not, `${where}.not`);
  const passes = (c: Check, v: unknown, at: string) => {
    const sub: SchemaProblem[] = [];
    c(v, at, sub);
    return sub;
  };
  if (allOf) checks.push((v, at, p) => allOf.forEach((c) => c(v, at, p)));
  if (anyOf) {
    checks.push((v, at, p) => {
      const failures = anyOf.map((c) => passes(c, v, at));
      if (failures.every((f) => f.length > 0)) p.push({ at, message: `matches none of the ${anyOf.length} anyOf schemas (${failures.map((f) => `${f[0]!.at} ${f[0]!.message}`).join('; ')})` });
    });
  }
  if (oneOf) {
    checks.push((v, at, p) => {
      const failures = oneOf.map((c) => passes(c, v, at));
      const matched = failures.filter((f) => f.length === 0).length;
      if (matched === 0) {
        // The branch meant for this value says the most: not one refused on an enum (the RPC
        // branches of the other operations), then the one with the fewest problems.
        const score = (f: SchemaProblem[]) => (f.some((x) => x.enum) ? 1000 : 0) + f.length;
        const closest = failures.reduce((a, b) => (score(b) < score(a) ? b : a));
        p.push({ at, message: `matches none of the ${oneOf.length} oneOf schemas; the closest: ${closest[0]!.at} ${closest[0]!.message}` });
      } else if (matched > 1) p.push({ at, message: `matches ${matched} of the oneOf schemas; exactly one is allowed` });
    });
  }
  if (not) checks.push((v, at, p) => passes(not, v, at).length === 0 && p.push({ at, message: 'matches the schema under "not"' }));

  return (value, at, problems) => {
    for (const c of checks) {
      c(value, at, problems);
      if (problems.length >= MAX_PROBLEMS) return;
    }
  };
}
