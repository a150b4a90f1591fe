/**
 * `cli invoke FILE...`: send request files to the API (a running `cli dev` by default) and show
 * status, latency and the JSON body; `--check DIR` runs a folder in name order as a smoke test.
 * The command's wiring is cli/commands/invoke.ts.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CliError, UsageError } from '../errors.js';
import { resolveStackEndpoint } from '../stack/endpoint.js';
import type { Reporter } from '../ui/reporter.js';
import { readRequestFile, subsetMismatch, type InvokeRequest } from './request-file.js';
import { chainSigner, signRequest } from './sign-request.js';
import { explainLocalForbidden, resolveInvokeTarget, type InvokeTarget } from './target.js';

export interface InvokeOptions {
  files: string[];
  check?: string;
  url?: string;
  outputsFile?: string;
  apiKey?: string;
  /** The Authorization header's value (a Cognito token, `$(npx cli token --stage S ...)`). */
  token?: string;
  /** A deployed stack (cli deploy): its ApiEndpoint output and API key. */
  stage?: string;
  stackName?: string;
  region?: string;
  profile?: string;
  /** Give up on a request after this many ms (API Gateway itself gives up after 29 s). */
  timeoutMs?: number;
  /** Where running `cli dev`s leave their state files (tests; default <root>/.local/cli-dev). */
  devStateDir?: string;
}

export interface InvokeDeps {
  reporter: Reporter;
  /** Project root: cli.config.json, infra/cfn/template.yaml, .local/cli-dev/. */
  root: string;
  env: NodeJS.ProcessEnv;
}

export interface InvokeResult {
  file: string;
  method: string;
  url: string;
  status: number;
  ms: number;
  /** The parsed JSON body, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
  /** The raw response text. */
  text: string;
  pass: boolean;
  /** Why it failed (unexpected status, body difference). */
  problem?: string;
}

/** Sends one request; network failures become a CliError that says what to check. */
export async function sendRequest(request: InvokeRequest, target: InvokeTarget, timeoutMs = 35_000): Promise<InvokeResult> {
  const url = request.kind === 'rpc' ? target.rpcUrl : target.apiEndpoint + request.path;
  let headers: Record<string, string> = { ...request.headers };
  if (target.apiKey && headers['x-api-key'] === undefined) headers['x-api-key'] = target.apiKey;
  if (target.authorization && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) headers.Authorization = target.authorization;
  // Signed last, over every header sent: a method with AuthorizationType AWS_IAM requires it, the others ignore it.
  if (target.signer && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
    headers = await signRequest({ url, method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) }, target.signer);
  }
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const inner = (err as { cause?: { code?: string; message?: string } }).cause;
    const cause = inner?.code ?? inner?.message ?? (err as Error).name;
    const hint =
      target.local?.via === 'default'
        ? ['is `npx cli dev` running? (or point elsewhere with --url / --outputs-file)']
        : target.local?.via === 'state'
          ? [`${target.source} does not answer: is it still running? (or point elsewhere with --url / --outputs-file)`]
          : [];
    throw new CliError(`${request.file}: ${request.method} ${url} failed: ${cause === 'TimeoutError' ? `no response within ${timeoutMs} ms` : cause}`, { details: hint, cause: err });
  }
  const text = await response.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
  } else {
    body = undefined;
  }
  const expect = request.expect;
  let problem: string | undefined;
  if (expect?.status !== undefined ? response.status !== expect.status : response.status < 200 || response.status > 299) {
    problem = `status ${response.status}, expected ${expect?.status ?? '2xx'}`;
  } else if (expect && 'body' in expect) {
    problem = subsetMismatch(expect.body, body);
  }
  return { file: request.file, method: request.method, url, status: response.status, ms, body, text, pass: problem === undefined, ...(problem ? { problem } : {}) };
}

async function checkFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new UsageError(`--check ${dir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`);
  }
  const files = names.filter((n) => n.endsWith('.json')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) throw new UsageError(`--check ${dir}: no .json request files in it`);
  return files.map((n) => join(dir, n));
}

/** Through withStack, as every stack command: its region checks, and AWS failures as one line. */
async function deployedEndpoint(options: InvokeOptions, deps: InvokeDeps) {
  const { withStack } = await import('../commands/stack-options.js');
  return withStack(options, deps, ({ target, aws, hintFlags }) => resolveStackEndpoint({ stackName: target.stackName, hintFlags }, { aws }));
}

export async function invoke(options: InvokeOptions, deps: InvokeDeps): Promise<InvokeResult[]> {
  const { reporter } = deps;
  const c = reporter.color;
  const paths = options.check !== undefined ? [...options.files, ...(await checkFiles(options.check))] : options.files;
  if (paths.length === 0) throw new UsageError('give at least one request file (e.g. samples/create.json) or --check DIR');
  // Every file is read and validated before anything is sent.
  const requests = await Promise.all(paths.map((p) => readRequestFile(p)));
  const deployed = options.stage !== undefined || options.stackName !== undefined;
  if (deployed && (options.url !== undefined || options.outputsFile !== undefined)) throw new UsageError('--stage/--stack-name exclude --url and --outputs-file');
  const target: InvokeTarget = deployed
    ? await deployedEndpoint(options, deps).then((e) => ({
        apiEndpoint: e.url,
        rpcUrl: e.dynamoDbManagerUrl ?? `${e.url}/DynamoDBManager`,
        apiKey: options.apiKey ?? e.apiKey,
        ...(options.token !== undefined ? { authorization: options.token } : {}),
        source: `stack ${e.stackName} (${e.region})`,
        signer: chainSigner(e.region, options.profile ?? deps.env.AWS_PROFILE),
      }))
    : await resolveInvokeTarget(
        {
          url: options.url,
          outputsFile: options.outputsFile,
          apiKey: options.apiKey,
          devStateDir: options.devStateDir,
          region: options.region,
          profile: options.profile,
          ...(options.token !== undefined ? { token: options.token } : {}),
        },
        deps,
      );

  const results: InvokeResult[] = [];
  for (const request of requests) {
    const result = await sendRequest(request, target, options.timeoutMs);
    results.push(result);
    const statusText = result.pass ? c.green(String(result.status)) : c.red(String(result.status));
    if (options.check === undefined) {
      reporter.info(`${result.method} ${result.url}  ${basename(result.file)}  -> ${statusText}  ${result.ms.toFixed(1)} ms`);
      reporter.result(result.text === '' ? '' : result.body === result.text ? result.text : JSON.stringify(result.body, null, 2));
      if (result.problem) reporter.warn(`${result.file}: ${result.problem}`);
    }
  }

  const failed = results.filter((r) => !r.pass);
  // A 403 of the local stack is mostly the wrong stage or key: say which invoke used (once).
  const forbidden = failed.find((r) => r.status === 403);
  const explanation = forbidden ? explainLocalForbidden(target, forbidden.body) : [];
  if (options.check !== undefined) {
    const nameWidth = Math.max(...results.map((r) => basename(r.file).length), 4);
    const routeOf = (r: InvokeResult) => `${r.method} ${new URL(r.url).pathname}`;
    const routeWidth = Math.max(...results.map((r) => routeOf(r).length), 7);
    reporter.result(`${'file'.padEnd(nameWidth)}  ${'request'.padEnd(routeWidth)}  status  ${'ms'.padStart(7)}  result`);
    for (const r of results) {
      const verdict = r.pass ? c.green('pass') : c.red(`FAIL  ${r.problem}`);
      reporter.result(`${basename(r.file).padEnd(nameWidth)}  ${routeOf(r).padEnd(routeWidth)}  ${String(r.status).padEnd(6)}  ${r.ms.toFixed(1).padStart(7)}  ${verdict}`);
    }
    reporter.result(`${results.length - failed.length} passed, ${failed.length} failed (${target.apiEndpoint})`);
  }
  if (failed.length > 0) {
    throw new CliError(`${failed.length} of ${results.length} request${results.length === 1 ? '' : 's'} did not get the expected response`, {
      details: [...failed.map((r) => `${r.file}: ${r.problem}`), ...explanation],
    });
  }
  return results;
}
