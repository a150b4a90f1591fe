/**
 * A real moto server (CloudFormation, S3, STS, Lambda, IAM, DynamoDB, API Gateway, Logs) on
 * 127.0.0.1 at a free port, from the project's .venv: scripts/moto-server.py (moto's own server
 * plus the project's fidelity fixes), started through scripts/moto.mjs as `npm run moto` does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsTargetFromEnv, createAwsClients, type AwsClients } from '../../cli/aws/clients.js';
import type { Artifact } from '../../cli/build/artifact.js';
import { freePort, MOTO_REGION, motoEnvironment, startMotoServer } from '../../scripts/moto.mjs';
import { deploy } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import type { DeployResult } from '../../cli/deploy/deploy-result.js';
import { syntheticArtifact } from './synthetic-artifact.js';
import { useTempDir } from './temp-dir.js';

export { freePort, MOTO_REGION };

/** One request as moto's recorder kept it (https://docs.getmoto.org/en/latest/docs/configuration/recorder/index.html). */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface MotoServer {
  endpoint: string;
  /** An env for the CLI's clients: endpoint, dummy credentials, region (never process.env). */
  env: NodeJS.ProcessEnv;
  region: string;
  /** The tail of moto_server's stderr (its tracebacks), for failure messages. */
  log(): string;
  /** Wipes every resource (moto's reset API) so tests do not see each other's stacks. */
  reset(): Promise<void>;
  /** Every request moto received so far (only with `record: true`). */
  recording(): Promise<RecordedRequest[]>;
  stop(): Promise<void>;
}

/** moto's fixed account. */
export const MOTO_ACCOUNT = '123456789012';

export async function startMoto(options: { region?: string; record?: boolean } = {}): Promise<MotoServer> {
  const region = options.region ?? MOTO_REGION;
  const recordings = options.record ? await mkdtemp(join(tmpdir(), 'moto-recording-')) : undefined;
  const server = await startMotoServer({
    port: await freePort(),
    ...(recordings ? { env: { MOTO_ENABLE_RECORDING: 'true', MOTO_RECORDER_FILEPATH: join(recordings, 'requests.jsonl') } } : {}),
  });
  // If this process dies without calling stop() (a killed test run), do not leave moto behind.
  const killOnExit = () => server.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    endpoint: server.endpoint,
    region,
    env: motoEnvironment(server.endpoint, region),
    log: server.log,
    async reset() {
      await fetch(`${server.endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async recording() {
      if (!recordings) throw new Error('startMoto({ record: true }) records requests; this server does not');
      const text = await (await fetch(`${server.endpoint}/moto-api/recorder/download-recording`)).text();
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as RecordedRequest);
    },
    async stop() {
      process.off('exit', killOnExit);
      await server.stop();
      if (recordings) await rm(recordings, { recursive: true, force: true });
    },
  };
}

/**
 * The CLI's AWS clients pointed at `moto`, fresh per call as each CLI invocation has them;
 * `destroyAll()` closes every set handed out (call it in `after`).
 */
export function motoClients(moto: () => MotoServer): { open(): Promise<AwsClients>; destroyAll(): void } {
  const opened: AwsClients[] = [];
  return {
    async open() {
      const aws = await createAwsClients(awsTargetFromEnv(moto().env, {}));
      opened.push(aws);
      return aws;
    },
    destroyAll() {
      for (const aws of opened.splice(0)) aws.destroy();
    },
  };
}

/** A handler that answers every event with 200 and `{}`: all a stack needs for the commands that do not call it. */
export const OK_HANDLER = 'exports.handler = async () => ({ statusCode: 200, body: "{}" });';

export interface MotoSuite {
  readonly moto: MotoServer;
  /** A scratch directory of the suite. */
  readonly dir: string;
  /** A zip of `handler` in `dir` (only with the `handler` option). */
  readonly artifact: Artifact;
  /** The CLI's clients, fresh per call as each CLI invocation has them; destroyed after the suite. */
  clients(): Promise<AwsClients>;
}

/**
 * For the tests of the enclosing describe block: a moto server and a scratch directory (with a
 * synthetic handler zip when `handler` gives its source), made in `before`; in `after` the clients
 * handed out are destroyed, moto stops and the directory goes.
 */
export function useMoto(prefix: string, options: { handler?: string } = {}): MotoSuite {
  let moto: MotoServer | undefined;
  let artifact: Artifact | undefined;
  const scratch = useTempDir(prefix);
  const pool = motoClients(() => started('moto', moto));
  before(async () => {
    [moto, artifact] = await Promise.all([startMoto(), options.handler === undefined ? undefined : syntheticArtifact(scratch.path, options.handler)]);
  });
  after(async () => {
    pool.destroyAll();
    await moto?.stop();
  });
  return {
    get moto() {
      return started('moto', moto);
    },
    get dir() {
      return scratch.path;
    },
    get artifact() {
      return started('artifact (pass the handler option)', artifact);
    },
    clients: () => pool.open(),
  };
}

/**
 * Deploys the project's template (from `root`) as `stackName` to the suite's moto with its
 * synthetic handler, no lint and no questions: what a test of a deployed stack needs first.
 */
export async function deploySynthetic(suite: MotoSuite, root: string, stackName: string, parameterOverrides: Record<string, string>): Promise<DeployResult> {
  return deploy(
    { stackName, yes: true, skipLint: true, parameterOverrides },
    {
      reporter: createMemoryReporter(),
      aws: await suite.clients(),
      build: async () => suite.artifact,
      lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }),
      loadTemplate: () => loadDeployTemplate(root),
      interactive: false,
      pollIntervalMs: 10,
    },
  );
}

function started<T>(what: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`useMoto: no ${what} yet; read it in a hook or a test`);
  return value;
}
