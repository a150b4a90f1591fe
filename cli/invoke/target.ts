/**
 * Where `cli invoke` sends requests: --url, else --outputs-file (as `cli dev` and `cli deploy`
 * write it), else a running `cli dev` on the default port with the template's default stage.
 * The cloud (`--stage`/`--stack-name`, resolved from a deployed stack's outputs) plugs in here.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REGION, DEFAULT_STACK_NAME, localizeOutputs } from '../local/index.js';
import { buildStackModel } from '../local/stack-model.js';
import { readTemplate } from '../local/template.js';

export interface InvokeTarget {
  /** The stage's base URL: REST paths are appended to it. */
  apiEndpoint: string;
  /** Where RPC payloads go (the DynamoDBManager route). */
  rpcUrl: string;
  apiKey?: string;
  /** How it was chosen, for messages: `--url`, `--outputs-file F`, `local cli dev`. */
  source: string;
}

export interface TargetOptions {
  url?: string;
  outputsFile?: string;
  apiKey?: string;
}

const RPC_PATH = '/DynamoDBManager';

function fromUrl(url: string, source: string): Omit<InvokeTarget, 'apiKey'> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${source}: "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${source}: "${url}" is not an http(s) URL`);
  const base = url.replace(/\/+$/, '');
  // The original project's URL was the DynamoDBManager resource itself; accept it too.
  const apiEndpoint = base.endsWith(RPC_PATH) ? base.slice(0, -RPC_PATH.length) : base;
  return { apiEndpoint, rpcUrl: apiEndpoint + RPC_PATH, source };
}

async function fromOutputsFile(file: string): Promise<Omit<InvokeTarget, 'apiKey'>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--outputs-file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const outputs = value as Record<string, unknown> | null;
  if (!outputs || typeof outputs.ApiEndpoint !== 'string') throw new UsageError(`--outputs-file ${file}: no "ApiEndpoint" string in it`);
  const target = fromUrl(outputs.ApiEndpoint, `--outputs-file ${file}`);
  return typeof outputs.DynamoDBManagerUrl === 'string' ? { ...target, rpcUrl: outputs.DynamoDBManagerUrl } : target;
}

/** The URLs `cli dev` serves by default: the template's outputs with its default parameters. */
export async function localDevTarget(root: string): Promise<Omit<InvokeTarget, 'apiKey'>> {
  const loaded = await readTemplate(root);
  const model = buildStackModel(loaded, { region: DEFAULT_REGION, stackName: DEFAULT_STACK_NAME, apiKeyValue: '' });
  const origin = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
  const outputs = localizeOutputs(model.outputs, model, origin);
  const apiEndpoint = outputs.ApiEndpoint ?? `${origin}/${model.api.stages[0]!.name}`;
  return { apiEndpoint, rpcUrl: outputs.DynamoDBManagerUrl ?? apiEndpoint + RPC_PATH, source: 'local cli dev' };
}

export async function resolveInvokeTarget(options: TargetOptions, deps: { root: string; env: NodeJS.ProcessEnv }): Promise<InvokeTarget> {
  if (options.url !== undefined && options.outputsFile !== undefined) throw new UsageError('--url and --outputs-file exclude each other');
  const target =
    options.url !== undefined
      ? fromUrl(options.url, '--url')
      : options.outputsFile !== undefined
        ? await fromOutputsFile(options.outputsFile)
        : await localDevTarget(deps.root);
  const apiKey = options.apiKey ?? (deps.env.CLI_API_KEY || undefined);
  return { ...target, ...(apiKey ? { apiKey } : {}) };
}
