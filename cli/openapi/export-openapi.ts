/**
 * `cli openapi`: the OpenAPI 3.0 document of the template's API, with its servers from a running
 * `cli dev` (--local), a given URL (--url), or a deployed stack's ApiEndpoint output (whose
 * parameter values also decide the auth the document describes).
 */
import { relative } from 'node:path';
import type { AwsClients } from '../aws/clients.js';
import { CliError, UsageError } from '../errors.js';
import { unwritableFile, writeFileAtomically } from '../fs/atomic-write.js';
import { devStateDir, readDevStates } from '../local/dev-state.js';
import { DEFAULT_REGION } from '../local/defaults.js';
import { DEFAULT_STACK_NAME } from '../template/project.js';
import { readTemplate } from '../template/read-template.js';
import type { Reporter } from '../ui/reporter.js';
import { describeApi } from './api-description.js';
import { buildOpenApiDocument, type OpenApiServer } from './openapi-document.js';

export interface OpenApiOptions {
  /** Servers from the running `cli dev` (or its default URL). */
  local?: boolean;
  /** This server URL (a stage base URL). */
  url?: string;
  out?: string;
  /** Template parameter values for --local and --url (a deployed stack uses its own). */
  parameterOverrides?: Record<string, string>;
}

/** The deployed stack, for servers and parameter values. */
export interface DeployedStack {
  stackName: string;
  aws: Pick<AwsClients, 'region' | 'stacks'>;
  hintFlags: string;
}

export async function exportOpenApi(
  options: OpenApiOptions,
  deps: { root: string; reporter: Reporter; deployed?: () => Promise<DeployedStack> },
): Promise<Record<string, unknown>> {
  if (options.local && options.url !== undefined) throw new UsageError('--local and --url exclude each other');
  let servers: OpenApiServer[];
  let overrides = options.parameterOverrides ?? {};
  let region = DEFAULT_REGION;
  let stackName = DEFAULT_STACK_NAME;
  if (options.url !== undefined) {
    if (!/^https?:\/\/[^/]+/.test(options.url)) throw new UsageError(`--url must be an http(s) URL of a stage, e.g. http://127.0.0.1:3000/prod; got ${JSON.stringify(options.url)}`);
    servers = [{ url: options.url.replace(/\/+$/, ''), description: 'given with --url' }];
  } else if (options.local) {
    servers = [await localServer(deps.root)];
  } else {
    if (!deps.deployed) throw new UsageError('give --local, --url, or a deployed stack (--stage / --stack-name)');
    if (options.parameterOverrides && Object.keys(options.parameterOverrides).length > 0) {
      throw new UsageError('--parameter-overrides applies to --local and --url; a deployed stack is described with its own parameter values');
    }
    const stack = await deps.deployed();
    const description = await stack.aws.stacks.describeStack(stack.stackName);
    if (!description) {
      throw new CliError(`stack ${stack.stackName} does not exist in ${stack.aws.region}`, {
        details: [`deploy it with \`npx cli deploy${stack.hintFlags}\`, or describe the local stack with \`npx cli openapi --local\``],
      });
    }
    const endpoint = description.outputs.find((o) => o.key === 'ApiEndpoint')?.value;
    if (!endpoint) throw new CliError(`stack ${stack.stackName} has no ApiEndpoint output (status ${description.status}); see \`npx cli status${stack.hintFlags}\``);
    servers = [{ url: endpoint, description: `stack ${stack.stackName} (${stack.aws.region})` }];
    overrides = description.parameters;
    region = stack.aws.region;
    stackName = stack.stackName;
  }
  const api = describeApi(await readTemplate(deps.root), { region, stackName, overrides });
  const document = buildOpenApiDocument(api, servers);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (options.out !== undefined) {
    try {
      await writeFileAtomically(options.out, text);
    } catch (err) {
      throw unwritableFile('--out', options.out, err);
    }
    deps.reporter.info(`wrote ${options.out} (OpenAPI ${String(document.openapi)}, ${api.methods.length} operations, server ${servers[0]!.url})`);
  } else {
    deps.reporter.result(text.trimEnd());
  }
  return document;
}

async function localServer(root: string): Promise<OpenApiServer> {
  const stateDir = devStateDir(root);
  const running = await readDevStates(stateDir);
  if (running.length > 1) {
    throw new UsageError(`${running.length} cli dev are running (state files in ${relative(process.cwd(), stateDir) || '.'}); choose one with --url:`, {
      details: running.map((s) => `--url ${s.outputs.ApiEndpoint ?? `${s.origin}/${s.stage}`}   (pid ${s.pid})`),
    });
  }
  const state = running[0];
  if (state) return { url: state.outputs.ApiEndpoint ?? `${state.origin}/${state.stage}`, description: `cli dev (pid ${state.pid})` };
  const { defaultLocalEndpoints } = await import('../local/local-endpoints.js');
  return { url: (await defaultLocalEndpoints(root)).endpoint, description: 'cli dev (the default URL; none is running)' };
}
