/**
 * `cli sync --watch` against a real moto server and a real source watcher on a scratch
 * directory: every save is rebuilt and hotswapped, a build error is printed and the loop waits
 * for the next save, Ctrl-C ends it with exit code 130 and the watcher closed.
 */
import { expect } from 'chai';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '../../cli/build/artifact.js';
import { deploy } from '../../cli/deploy/deploy.js';
import { lambdaCodeSha256 } from '../../cli/deploy/function-code.js';
import { hotswap } from '../../cli/deploy/hotswap.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { CliError, InterruptedError, UsageError } from '../../cli/errors.js';
import { watchSources } from '../../cli/local/source-watcher.js';
import { syncWatch, type SyncRound } from '../../cli/sync/sync-watch.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useMoto } from '../support/moto.js';
import { syntheticArtifact } from '../support/synthetic-artifact.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = 'it-sync';

describe('cli/sync/sync-watch against moto', () => {
  const suite = useMoto('sync-moto-');
  let src: string;
  let project: string;

  /** A build of the scratch source, as buildArtifact reports one (its inputs), failing as esbuild does on a syntax error. */
  async function build(): Promise<Artifact> {
    const text = await readFile(src, 'utf8');
    if (text.includes('SYNTAX ERROR')) throw new CliError('bundling handler/index.ts failed', { details: [`${src}:1:1: Expected ";" but found "ERROR"`] });
    return { ...(await syntheticArtifact(suite.dir, text)), inputs: [src] };
  }

  async function runningSha(): Promise<string> {
    const aws = await suite.clients();
    const stack = await aws.stacks.describeStack(STACK);
    return (await aws.functions.getState(stack!.outputs.find((o) => o.key === 'FunctionName')!.value)).codeSha256;
  }

  before(async () => {
    project = join(suite.dir, 'project');
    await mkdir(project, { recursive: true });
    src = join(project, 'index.js');
    await writeFile(src, 'exports.handler = async () => ({ statusCode: 200, body: "v1" });');
    const first = await build();
    await deploy(
      { stackName: STACK, stage: 'dev', parameterOverrides: { AuthMode: 'NONE' }, yes: true, skipLint: true },
      { reporter: createMemoryReporter(), aws: await suite.clients(), build: async () => first, lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }), loadTemplate: () => loadDeployTemplate(root), interactive: false, pollIntervalMs: 10 },
    );
  });

  function start(options: { stage?: string } = {}) {
    const controller = new AbortController();
    const reporter = createMemoryReporter();
    const rounds: SyncRound[] = [];
    const waiters: (() => void)[] = [];
    const nextRound = (count: number) => new Promise<void>((resolve) => (rounds.length >= count ? resolve() : waiters.push(() => rounds.length >= count && resolve())));
    let closed = false;
    const running = (async () => {
      const aws = await suite.clients();
      return syncWatch({
        reporter,
        build,
        hotswap: (b) => hotswap({ stackName: STACK, stage: options.stage ?? 'dev', parameterOverrides: { AuthMode: 'NONE' } }, { aws, reporter, build: b, loadTemplate: () => loadDeployTemplate(root), pollIntervalMs: 1 }),
        initialInputs: async () => [src],
        watch: (inputs, onChange) => {
          const w = watchSources({ root: project, inputs, onChange, onWarning: (m) => reporter.warn(m) });
          return { track: (i, at) => w.track(i, at), close: () => ((closed = true), w.close()) };
        },
        signal: controller.signal,
        onRound: (round) => {
          rounds.push(round);
          for (const w of waiters.splice(0)) w();
        },
      });
    })();
    const result = running.then(() => undefined, (e: unknown) => e);
    return { controller, reporter, rounds, nextRound, result, closed: () => closed };
  }

  it('hotswaps at start and on every save, survives a build error, and stops on Ctrl-C with exit 130', async () => {
    const sync = start();
    await sync.nextRound(1);
    expect(sync.rounds[0]).to.deep.include({ ok: true });
    expect(sync.rounds[0]!.ok && sync.rounds[0]!.outcome.status).to.equal('unchanged');

    await writeFile(src, 'exports.handler = async () => ({ statusCode: 200, body: "v2" });');
    await sync.nextRound(2);
    const v2 = await build();
    expect(sync.rounds[1]!.ok && sync.rounds[1]!.outcome.status).to.equal('hotswapped');
    expect(await runningSha()).to.equal(lambdaCodeSha256(v2.sha256));

    await writeFile(src, 'SYNTAX ERROR');
    await sync.nextRound(3);
    expect(sync.rounds[2]!.ok).to.equal(false);
    expect(sync.reporter.stderr.join('\n')).to.include('error: bundling handler/index.ts failed').and.include('Waiting for the next save.');
    expect(await runningSha()).to.equal(lambdaCodeSha256(v2.sha256));

    await writeFile(src, 'exports.handler = async () => ({ statusCode: 200, body: "v3" });');
    await sync.nextRound(4);
    expect(sync.rounds[3]!.ok && sync.rounds[3]!.outcome.status).to.equal('hotswapped');
    expect(await runningSha()).to.equal(lambdaCodeSha256((await build()).sha256));

    sync.controller.abort();
    const err = await sync.result;
    expect(err).to.be.instanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).to.equal(130);
    expect(sync.closed()).to.equal(true);
  });

  it('ends at once on a prod stage (bad input), the watcher closed', async () => {
    const sync = start({ stage: 'prod' });
    const err = await sync.result;
    expect(err).to.be.instanceOf(UsageError);
    expect((err as UsageError).message).to.equal(`Refusing to hotswap stack ${STACK}: its stage is prod.`);
    expect(sync.closed()).to.equal(true);
  });
});
