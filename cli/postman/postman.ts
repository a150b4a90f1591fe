/**
 * `cli postman`: the samples/ collection and one environment per target (the local stack, and each
 * deployed stage asked for), written as files Postman (and newman) import.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { unwritableFile, writeFileAtomically } from '../fs/atomic-write.js';
import { readRequestFile } from '../invoke/request-file.js';
import { readTemplate } from '../template/read-template.js';
import type { Reporter } from '../ui/reporter.js';
import { AUTH_MODES, buildCollection, buildEnvironment, type AuthMode, type EnvironmentTarget } from './collection.js';

export const COLLECTION_FILE = 'api.postman_collection.json';

export interface PostmanOptions {
  /** Directory the files go to. */
  out: string;
  /** Directory of request files (samples/). */
  samples: string;
  /** --auth-mode; default: the template's AuthMode default. */
  authMode?: string;
}

export interface PostmanDeps {
  root: string;
  reporter: Reporter;
  /** The environments to write: the local stack's first, then each deployed stage's. */
  targets(): Promise<EnvironmentTarget[]>;
}

export interface PostmanResult {
  collection: string;
  environments: string[];
  authMode: AuthMode;
  requests: number;
}

async function templateAuthMode(root: string): Promise<AuthMode> {
  const { template } = await readTemplate(root);
  const value = template.Parameters?.AuthMode?.Default;
  return AUTH_MODES.includes(value as AuthMode) ? (value as AuthMode) : 'NONE';
}

function checkAuthMode(value: string): AuthMode {
  if (AUTH_MODES.includes(value as AuthMode)) return value as AuthMode;
  throw new UsageError(`--auth-mode ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)} is not one of ${AUTH_MODES.join(', ')}`);
}

export async function writePostman(options: PostmanOptions, deps: PostmanDeps): Promise<PostmanResult> {
  const authMode = options.authMode !== undefined ? checkAuthMode(options.authMode) : await templateAuthMode(deps.root);
  let names: string[];
  try {
    names = (await readdir(options.samples)).filter((n) => n.endsWith('.json')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (err) {
    throw new UsageError(`--samples ${options.samples}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`);
  }
  if (names.length === 0) throw new UsageError(`--samples ${options.samples}: no .json request files in it`);
  // Every file is read and checked before anything is written.
  const requests = await Promise.all(names.map((n) => readRequestFile(join(options.samples, n))));
  const targets = await deps.targets();

  const out = resolve(options.out);
  await mkdir(out, { recursive: true }).catch((err: unknown) => {
    throw unwritableFile('--out', out, err);
  });
  const write = async (name: string, value: unknown) => {
    const file = join(out, name);
    await writeFileAtomically(file, JSON.stringify(value, null, 2) + '\n').catch((err: unknown) => {
      throw unwritableFile('--out', file, err);
    });
    return file;
  };
  const collection = await write(COLLECTION_FILE, buildCollection(requests, { name: 'serverless-api-gateway-lambda-dynamodb samples', authMode }));
  const environments: string[] = [];
  for (const target of targets) environments.push(await write(`${target.name}.postman_environment.json`, buildEnvironment(target, authMode)));
  const shown = (f: string) => relative(process.cwd(), f) || f;
  deps.reporter.info(`Wrote ${shown(collection)} (${requests.length} requests, auth ${authMode}) and ${environments.map(shown).join(', ')}`);
  return { collection, environments, authMode, requests: requests.length };
}
