/**
 * Where `cli invoke` sends requests: --url, else --outputs-file (as `cli dev` and `cli deploy`
 * write it), else the running `cli dev` found through its state file (its port, stage and API
 * key), else the default port with the template's default stage.
 * The cloud (`--stage`/`--stack-name`, resolved from a deployed stack's outputs) plugs in here.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { UsageError } from '../errors.js';
import { API_KEY_VALUE_OUTPUT, devStateDir, readDevStates, type DevState } from '../local/dev-state.js';
import { DEFAULT_PORT, DEFAULT_REGION, isLoopbackEndpoint } from '../local/defaults.js';
import { LOCAL_CALLER } from '../local/local-caller.js';
import type { CognitoState } from '../local/cognito-issuer.js';
import { chainSigner, executeApiRegion, type RequestSigner } from './sign-request.js';

export interface InvokeTarget {
  /** The stage's base URL: REST paths are appended to it. */
  apiEndpoint: string;
  /** Where RPC payloads go (the DynamoDBManager route). */
  rpcUrl: string;
  apiKey?: string;
  /** The Authorization header to send (a Cognito token: --token, or minted for a running cli dev with a Cognito authorizer). */
  authorization?: string;
  /** Where the key came from, for messages: `--api-key`, `CLI_API_KEY`, the file it was read from. */
  apiKeySource?: string;
  /** How it was chosen, for messages: `--url`, `--outputs-file F`, `cli dev (pid N)`, `local cli dev`. */
  source: string;
  /** Set when the target is (or is assumed to be) a local stack: what a 403 explanation needs. */
  local?: LocalTarget;
  /** How requests are signed (SigV4, execute-api) for methods with AuthorizationType AWS_IAM; unsigned when absent. */
  signer?: RequestSigner;
}

export interface LocalTarget {
  /** `state`: a running cli dev's state file; `default`: none found, the template's defaults; `given`: a loopback --url/--outputs-file. */
  via: 'state' | 'default' | 'given';
  pid?: number;
  /** Where state files are looked for, as shown to the user. */
  stateDir: string;
}

export interface TargetOptions {
  url?: string;
  outputsFile?: string;
  apiKey?: string;
  /** Where running `cli dev`s leave their state (default <root>/.local/cli-dev; tests use their own). */
  devStateDir?: string;
  /** The signing region (default: the running cli dev's, else the URL's execute-api region, else AWS_REGION / us-east-1). */
  region?: string;
  /** AWS profile whose credentials sign requests to a non-local --url. */
  profile?: string;
  /** --token: the Authorization header's value. */
  token?: string;
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

async function fromOutputsFile(file: string): Promise<Omit<InvokeTarget, 'apiKey'> & { fileKey?: string }> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--outputs-file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const outputs = value as Record<string, unknown> | null;
  if (!outputs || typeof outputs.ApiEndpoint !== 'string') throw new UsageError(`--outputs-file ${file}: no "ApiEndpoint" string in it`);
  const target = fromUrl(outputs.ApiEndpoint, `--outputs-file ${file}`);
  return {
    ...target,
    ...(typeof outputs.DynamoDBManagerUrl === 'string' ? { rpcUrl: outputs.DynamoDBManagerUrl } : {}),
    ...(typeof outputs[API_KEY_VALUE_OUTPUT] === 'string' ? { fileKey: outputs[API_KEY_VALUE_OUTPUT] } : {}),
  };
}

function fromDevState(state: DevState, file: string): Omit<InvokeTarget, 'apiKey'> & { fileKey?: string; region?: string; cognito?: CognitoState } {
  const apiEndpoint = state.outputs.ApiEndpoint ?? `${state.origin}/${state.stage}`;
  return {
    ...(state.region ? { region: state.region } : {}),
    apiEndpoint,
    rpcUrl: state.outputs.DynamoDBManagerUrl ?? apiEndpoint + RPC_PATH,
    source: `cli dev (pid ${state.pid}, ${file})`,
    ...(state.outputs[API_KEY_VALUE_OUTPUT] ? { fileKey: state.outputs[API_KEY_VALUE_OUTPUT] } : {}),
    ...(state.cognito ? { cognito: state.cognito } : {}),
  };
}

/** The URLs `cli dev` serves by default: the template's outputs with its default parameters. */
export async function localDevTarget(root: string): Promise<Omit<InvokeTarget, 'apiKey'>> {
  // Loaded here only, and not through cli/local/index.ts, which loads the whole emulator (esbuild, dynalite).
  const { defaultLocalEndpoints } = await import('../local/local-endpoints.js');
  const { endpoint, outputs } = await defaultLocalEndpoints(root);
  const apiEndpoint = outputs.ApiEndpoint ?? endpoint;
  return { apiEndpoint, rpcUrl: outputs.DynamoDBManagerUrl ?? apiEndpoint + RPC_PATH, source: 'local cli dev' };
}

export async function resolveInvokeTarget(options: TargetOptions, deps: { root: string; env: NodeJS.ProcessEnv; reporter?: { warn(text: string): void } }): Promise<InvokeTarget> {
  if (options.url !== undefined && options.outputsFile !== undefined) throw new UsageError('--url and --outputs-file exclude each other');
  const stateDir = options.devStateDir ?? devStateDir(deps.root);
  const shownDir = relative(process.cwd(), stateDir) || '.';
  let target: Omit<InvokeTarget, 'apiKey'> & { fileKey?: string; region?: string; cognito?: CognitoState };
  if (options.url !== undefined) {
    target = fromUrl(options.url, '--url');
    if (isLoopbackEndpoint(target.apiEndpoint)) target.local = { via: 'given', stateDir: shownDir };
  } else if (options.outputsFile !== undefined) {
    target = await fromOutputsFile(options.outputsFile);
    if (isLoopbackEndpoint(target.apiEndpoint)) target.local = { via: 'given', stateDir: shownDir };
  } else {
    const running = await readDevStates(stateDir);
    if (running.length > 1) {
      throw new UsageError(`${running.length} cli dev are running (state files in ${shownDir}); choose one with --url:`, {
        details: running.map((s) => `--url ${s.outputs.ApiEndpoint ?? `${s.origin}/${s.stage}`}   (pid ${s.pid}, since ${s.startedAt})`),
      });
    }
    const state = running[0];
    target = state
      ? { ...fromDevState(state, `${shownDir}/${state.pid}.json`), local: { via: 'state', pid: state.pid, stateDir: shownDir } }
      : { ...(await localDevTarget(deps.root)), local: { via: 'default', stateDir: shownDir } };
  }
  const { fileKey, region: stateRegion, cognito, ...rest } = target;
  // A local stack accepts the local credentials only; anything else is signed as the caller.
  const region = options.region ?? stateRegion ?? executeApiRegion(rest.apiEndpoint) ?? deps.env.AWS_REGION ?? deps.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  rest.signer = rest.local
    ? { region, source: 'the local credentials of cli dev', credentials: () => Promise.resolve(LOCAL_CALLER) }
    : chainSigner(region, options.profile ?? deps.env.AWS_PROFILE, { warn: (text) => deps.reporter?.warn(text) });
  if (options.token !== undefined) rest.authorization = options.token;
  else if (cognito) {
    // A stack with a Cognito authorizer gets a token of its local issuer, as `cli token` mints it
    // (loaded only then: node:crypto and the token claims).
    const { invokeToken } = await import('../token/token.js');
    rest.authorization = invokeToken(cognito, Math.floor(Date.now() / 1000));
  }
  const [apiKey, apiKeySource] =
    options.apiKey !== undefined
      ? [options.apiKey, '--api-key']
      : deps.env.CLI_API_KEY
        ? [deps.env.CLI_API_KEY, 'CLI_API_KEY']
        : fileKey
          ? [fileKey, options.outputsFile !== undefined ? `--outputs-file ${options.outputsFile}` : 'the state file of cli dev']
          : [undefined, undefined];
  return { ...rest, ...(apiKey ? { apiKey, apiKeySource } : {}) };
}

/**
 * What to tell the user when the local stack answered 403: which stage and key invoke used, and
 * what to do. A pure function of the refusal (API Gateway's message) and the target, so every
 * case is unit-tested without a server. Empty for a target that is not local.
 */
export function explainLocalForbidden(target: InvokeTarget, body: unknown): string[] {
  if (!target.local) return [];
  const stage = new URL(target.apiEndpoint).pathname.split('/')[1] || '(none)';
  const message = body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : '';
  const where = target.local.via === 'state' ? `the running cli dev (pid ${target.local.pid})` : target.local.via === 'default' ? 'the default local target' : target.source;
  const lines = [`invoke used stage ${stage} of ${where} and ${target.apiKey ? `x-api-key ${target.apiKey} (from ${target.apiKeySource})` : 'no x-api-key'}.`];
  if (target.local.via === 'default') {
    lines.push(`No running cli dev was found (no live state file in ${target.local.stateDir}), so invoke assumed the template's default stage on port ${DEFAULT_PORT}: start \`npx cli dev\`, or pass --url http://HOST:PORT/<stage> or --outputs-file.`);
  }
  if (message === 'Forbidden') {
    if (!target.apiKey) lines.push('The method requires an API key (AuthMode=API_KEY): pass --api-key with the key cli dev printed at start, or --outputs-file of that cli dev.');
    else if (target.apiKeySource?.startsWith('--outputs-file')) lines.push('That key is not the stack\'s: cli dev makes a new key at every start (unless started with --api-key), so an outputs file of an earlier run holds an old one; rewrite it (cli dev --outputs-file) or pass --api-key.');
    else lines.push('That key is not the stack\'s: use the key cli dev printed at start (it changes at every start unless cli dev is given --api-key).');
    // A stage the API does not have is 403 Forbidden as well: https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
    lines.push('Or the stage: API Gateway answers Forbidden for a stage it does not have (the stage is the first segment of the URL, case-sensitive); cli dev prints its stages.');
  } else if (message.startsWith('Credential should be scoped to a valid region')) {
    // The request was signed for another region than the local stack's (cli dev --region).
    lines.push(`invoke signed for region ${target.signer?.region ?? '(none)'}, which is not the local stack's: pass --region with the region cli dev was started with.`);
  } else if (message === 'Missing Authentication Token' && target.local.via !== 'default') {
    lines.push(`The stack has no such route on stage ${stage} (it is not about authentication): cli dev prints its stages and routes; check the request file's path and method.`);
  }
  return lines;
}
