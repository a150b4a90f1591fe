/**
 * The state file of a running `cli dev`: where it serves, its stage, its API key and its pid, so
 * that `cli invoke` follows it (another port, another StageName, AuthMode=API_KEY) with no
 * flags. One file per process, `<root>/.local/cli-dev/<pid>.json` (.local/ is git-ignored), so
 * two `cli dev` on two ports never overwrite each other's; written atomically (a temporary file
 * renamed over it, so a reader never sees half a file) and removed on stop. A file whose process
 * is gone (`kill -9`, a crash) is ignored.
 */
import { rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../fs/atomic-write.js';
import type { CognitoState } from './cognito-issuer.js';
import type { LocalStack } from './index.js';

/**
 * The key of the local API key's value in `cli dev --outputs-file` and the state file. The
 * template cannot output a key's value (`AWS::ApiGateway::ApiKey` returns only its id, the
 * `ApiKeyId` output), so this is the one key that is not a template output: named after the
 * resource's `Value` property next to `ApiKeyId`, so it sorts and reads with it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-apikey.html
 */
export const API_KEY_VALUE_OUTPUT = 'ApiKeyValue';

export interface DevState {
  pid: number;
  /** http://HOST:PORT */
  origin: string;
  /** The stage `cli dev` serves first (the template's StageName). */
  stage: string;
  /** AWS::Region of the local stack: the region requests to AWS_IAM methods are signed for. */
  region?: string;
  /** The outputs, local URLs, plus ApiKeyValue when a method requires a key. */
  outputs: Record<string, string>;
  /** When it was ready (ISO time), for messages. */
  startedAt: string;
  /** The local Cognito issuer and its signing key, when a method has a Cognito authorizer (`cli token` mints with it). */
  cognito?: CognitoState;
}

export interface DevStateFile {
  file: string;
  remove(): Promise<void>;
}

export function devStateDir(root: string): string {
  return join(root, '.local', 'cli-dev');
}

/** The stack's outputs as `cli dev` writes them: the template's, plus the local key's value. */
export function localOutputs(stack: Pick<LocalStack, 'outputs' | 'apiKey'>): Record<string, string> {
  if (!stack.apiKey || API_KEY_VALUE_OUTPUT in stack.outputs) return stack.outputs;
  return { ...stack.outputs, [API_KEY_VALUE_OUTPUT]: stack.apiKey };
}

export function devState(stack: Pick<LocalStack, 'outputs' | 'apiKey' | 'origin' | 'model' | 'cognito'>, pid = process.pid, now = new Date()): DevState {
  return {
    pid,
    origin: stack.origin,
    stage: stack.model.api.stages[0]!.name,
    region: stack.model.pseudo.region,
    outputs: localOutputs(stack),
    startedAt: now.toISOString(),
    ...(stack.cognito ? { cognito: stack.cognito } : {}),
  };
}

export async function writeDevState(dir: string, state: DevState): Promise<DevStateFile> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${state.pid}.json`);
  // It holds the local API key and the local Cognito signing key: readable by this user only.
  await writeFileAtomically(file, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  // A process that ends without stopping the stack (a forced exit) removes its file all the same.
  const onExit = () => rmSync(file, { force: true });
  process.once('exit', onExit);
  return {
    file,
    remove: async () => {
      process.off('exit', onExit);
      await rm(file, { force: true });
    },
  };
}

/** Whether a process with this pid exists (signal 0 checks without signalling; EPERM: it exists, another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function asState(value: unknown): DevState | undefined {
  const v = value as Partial<DevState> | null;
  if (!v || typeof v !== 'object' || !Number.isInteger(v.pid) || (v.pid as number) <= 0) return undefined;
  if (typeof v.origin !== 'string' || typeof v.stage !== 'string' || typeof v.startedAt !== 'string') return undefined;
  if (v.region !== undefined && typeof v.region !== 'string') return undefined;
  if (!v.outputs || typeof v.outputs !== 'object' || Object.values(v.outputs).some((o) => typeof o !== 'string')) return undefined;
  return v as DevState;
}

/**
 * The running `cli dev`s, oldest first. Files of gone processes, temporary files and files that
 * are not a state file (hand-edited, another version's) are skipped.
 */
export async function readDevStates(dir: string, alive: (pid: number) => boolean = processAlive): Promise<DevState[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const states: DevState[] = [];
  for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
    let state: DevState | undefined;
    try {
      state = asState(JSON.parse(await readFile(join(dir, name), 'utf8')));
    } catch {
      continue;
    }
    if (state && `${state.pid}.json` === name && alive(state.pid)) states.push(state);
  }
  return states.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}
