/**
 * Physical ids made up deterministically from the stack name and logical id, so they are stable
 * across restarts (a persisted table keeps its generated name) and shaped like the real ones.
 */
import { createHash } from 'node:crypto';
import type { PseudoParameters } from '../intrinsics.js';

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** A UUID-shaped id (the tail of a stack id). */
export function uuidFrom(seed: string): string {
  const h = digest('uuid', seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Lower-case alphanumeric id like API Gateway's (`a1b2c3d4e5`). */
export function shortId(length: number, ...seed: string[]): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(seed.join('\0')).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** CloudFormation's generated physical name: `<stack>-<LogicalId>-<RANDOM>`, within `max`. */
export function generatedName(stackName: string, logicalId: string, max: number): string {
  const suffix = shortId(12, stackName, logicalId).toUpperCase();
  const head = `${stackName}-${logicalId}`.slice(0, Math.max(1, max - suffix.length - 1));
  return `${head}-${suffix}`;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` of a regional service. */
export function arn(pseudo: PseudoParameters, service: string, resource: string): string {
  return `arn:${pseudo.partition}:${service}:${pseudo.region}:${pseudo.accountId}:${resource}`;
}
