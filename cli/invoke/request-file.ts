/**
 * Request files for `cli invoke`. Two shapes, told apart by their keys:
 * - an RPC payload in the original project's format, `{"operation", "tableName"?, "payload"?}`,
 *   POSTed as is to DynamoDBManagerUrl;
 * - a REST request `{"method", "path", "headers"?, "query"?, "body"?}`, `path` relative to
 *   ApiEndpoint (`/items/42`).
 * Either may carry `"expect": {"status"?, "body"?}`; `expect` itself is never sent.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

export interface Expectation {
  status?: number;
  /** Subset match: every key given must match; `{}` matches only an empty object. */
  body?: unknown;
}

export interface InvokeRequest {
  file: string;
  kind: 'rpc' | 'rest';
  method: string;
  /** Relative to ApiEndpoint for REST; empty for RPC (it goes to DynamoDBManagerUrl). */
  path: string;
  headers: Record<string, string>;
  body?: string;
  expect?: Expectation;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const REST_KEYS = new Set(['method', 'path', 'headers', 'query', 'body', 'expect']);

function bad(file: string, what: string): UsageError {
  return new UsageError(`${file}: ${what}`, {
    details: [
      'a request file holds either an RPC payload {"operation": "...", "tableName"?, "payload"?}',
      'or a REST request {"method": "GET", "path": "/items/42", "headers"?, "query"?, "body"?},',
      'optionally with "expect": {"status": 200, "body": {...}}',
    ],
  });
}

function parseExpect(file: string, value: unknown): Expectation | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(file, '"expect" must be an object {status?, body?}');
  const e = value as Record<string, unknown>;
  const unknown = Object.keys(e).filter((k) => k !== 'status' && k !== 'body');
  if (unknown.length > 0) throw bad(file, `"expect" has unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: status, body)`);
  if (e.status !== undefined && (typeof e.status !== 'number' || !Number.isInteger(e.status) || e.status < 100 || e.status > 599)) {
    throw bad(file, `"expect.status" must be an HTTP status code, got ${JSON.stringify(e.status)}`);
  }
  return { ...(e.status !== undefined ? { status: e.status as number } : {}), ...('body' in e ? { body: e.body } : {}) };
}

/** Parses one request file's text; `file` names it in errors. */
export function parseRequestFile(file: string, text: string): InvokeRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw bad(file, `not valid JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(file, 'must hold a JSON object');
  const obj = value as Record<string, unknown>;
  const expect = parseExpect(file, obj.expect);
  if ('operation' in obj) {
    if (typeof obj.operation !== 'string') throw bad(file, '"operation" must be a string');
    const { expect: _omit, ...payload } = obj;
    void _omit;
    return { file, kind: 'rpc', method: 'POST', path: '', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), ...(expect ? { expect } : {}) };
  }
  if ('method' in obj || 'path' in obj) {
    const unknown = Object.keys(obj).filter((k) => !REST_KEYS.has(k));
    if (unknown.length > 0) throw bad(file, `unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')} in a REST request`);
    const method = typeof obj.method === 'string' ? obj.method.toUpperCase() : undefined;
    if (!method || !METHODS.has(method)) throw bad(file, `"method" must be one of ${[...METHODS].join(', ')}, got ${JSON.stringify(obj.method)}`);
    if (typeof obj.path !== 'string' || !obj.path.startsWith('/')) throw bad(file, `"path" must be a string starting with /, got ${JSON.stringify(obj.path)}`);
    const headers: Record<string, string> = {};
    if (obj.headers !== undefined) {
      if (obj.headers === null || typeof obj.headers !== 'object' || Array.isArray(obj.headers)) throw bad(file, '"headers" must be an object of strings');
      for (const [k, v] of Object.entries(obj.headers)) {
        if (typeof v !== 'string') throw bad(file, `"headers.${k}" must be a string`);
        headers[k.toLowerCase()] = v;
      }
    }
    let path = obj.path;
    if (obj.query !== undefined) {
      if (obj.query === null || typeof obj.query !== 'object' || Array.isArray(obj.query)) throw bad(file, '"query" must be an object');
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(obj.query)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
      path += (path.includes('?') ? '&' : '?') + params.toString();
    }
    let body: string | undefined;
    if (obj.body !== undefined && obj.body !== null) {
      if (typeof obj.body === 'string') body = obj.body;
      else {
        body = JSON.stringify(obj.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    return { file, kind: 'rest', method, path, headers, ...(body !== undefined ? { body } : {}), ...(expect ? { expect } : {}) };
  }
  throw bad(file, 'has neither "operation" (RPC payload) nor "method"/"path" (REST request)');
}

export async function readRequestFile(file: string): Promise<InvokeRequest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${(err as Error).message})`);
  }
  return parseRequestFile(file, text);
}

/**
 * Does `actual` contain `expected`? Objects: every expected key matches (extra keys are fine);
 * an empty expected object matches only an empty object. Arrays: same length, items match in order.
 * Returns the path of the first difference, or undefined when it matches.
 */
export function subsetMismatch(expected: unknown, actual: unknown, path = 'body'): string | undefined {
  if (expected === null || typeof expected !== 'object') {
    return Object.is(expected, actual) ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual) ?? 'nothing'}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual) ?? 'nothing'}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected an object, got ${JSON.stringify(actual) ?? 'nothing'}`;
  const keys = Object.keys(expected);
  if (keys.length === 0 && Object.keys(actual).length > 0) return `${path}: expected {}, got ${JSON.stringify(actual)}`;
  for (const key of keys) {
    if (!Object.hasOwn(actual, key)) return `${path}.${key}: missing`;
    const m = subsetMismatch((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}.${key}`);
    if (m) return m;
  }
  return undefined;
}
