/**
 * The opaque `next` token of `GET /items`: base64url of the JSON `{"id": "<LastEvaluatedKey.id>"}`.
 * Opaque to callers (they pass it back unchanged) but checked when decoded, so a tampered token
 * is a 400 naming the parameter rather than a DynamoDB error.
 */
import { BadRequestError } from './errors.js';
import { checkKeyValue, KEY_ATTRIBUTE } from './item-key.js';
import type { DocumentItem } from './item-value.js';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A key of at most 2048 bytes, JSON-escaped (at most 6 chars per byte) and base64-encoded. */
const MAX_TOKEN_LENGTH = 20_000;

export function encodePageToken(lastEvaluatedKey: DocumentItem): string {
  const id: unknown = lastEvaluatedKey[KEY_ATTRIBUTE];
  if (typeof id !== 'string') throw new Error(`LastEvaluatedKey has no string "${KEY_ATTRIBUTE}"`);
  return Buffer.from(JSON.stringify({ [KEY_ATTRIBUTE]: id }), 'utf8').toString('base64url');
}

/** Returns the id to resume after. */
export function decodePageToken(token: string, where: string): string {
  const invalid = (why: string): never => {
    throw new BadRequestError(`${where} is not a valid page token (${why}); pass back the "next" value of the previous page unchanged`);
  };
  if (token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) return invalid('not base64url');
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(token, 'base64url')));
  } catch {
    return invalid('does not decode to JSON');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return invalid('not an object');
  const keys = Object.keys(decoded);
  if (keys.length !== 1 || keys[0] !== KEY_ATTRIBUTE) return invalid(`expected exactly the key "${KEY_ATTRIBUTE}"`);
  const id = (decoded as Record<string, unknown>)[KEY_ATTRIBUTE];
  if (typeof id !== 'string') return invalid(`"${KEY_ATTRIBUTE}" is not a string`);
  try {
    return checkKeyValue(id, `${where} (${KEY_ATTRIBUTE})`);
  } catch {
    return invalid(`"${KEY_ATTRIBUTE}" is not a valid key value`);
  }
}
