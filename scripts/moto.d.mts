/** Types of scripts/moto.mjs (plain JavaScript: `npm run moto` runs it without a TypeScript loader). */
import type { ChildProcess } from 'node:child_process';

export const DEFAULT_MOTO_PORT: number;
export const MOTO_REGION: string;
export function motoEnvironment(endpoint: string, region?: string): {
  AWS_ENDPOINT_URL: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_REGION: string;
};
export function freePort(): Promise<number>;
export interface StartedMotoServer {
  endpoint: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once moto_server has exited. */
  exited: Promise<number | string | null>;
  /** The tail of moto_server's stderr (with stderr 'pipe'). */
  log(): string;
  stop(): Promise<void>;
}
export function startMotoServer(options: {
  port: number;
  env?: Record<string, string>;
  stderr?: 'pipe' | 'inherit';
  onStderr?: (text: string) => void;
}): Promise<StartedMotoServer>;
