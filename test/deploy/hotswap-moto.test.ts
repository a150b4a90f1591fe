/**
 * `cli deploy --hotswap` against a real moto server (CloudFormation, S3, Lambda): the code goes
 * straight to the function, CloudFormation's view is left behind (the drift it prints), and the
 * next normal deploy puts it back in line. moto's UpdateFunctionCode always answers
 * LastUpdateStatus Successful at once, so the in-progress and failed paths run against a
 * scripted FunctionApi (described next to it).
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { FunctionApi, FunctionState } from '../../cli/aws/function-api.js';
import { lambdaCodeSha256 } from '../../cli/deploy/function-code.js';
import type { Artifact } from '../../cli/build/artifact.js';
import { deploy } from '../../cli/deploy/deploy.js';
import { hotswap, type HotswapDeps, type HotswapOptions } from '../../cli/deploy/hotswap.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { CliError, UsageError } from '../../cli/errors.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useMoto } from '../support/moto.js';
import { syntheticArtifact } from '../support/synthetic-artifact.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = 'it-hotswap';
const STAGE = { stage: 'dev', parameterOverrides: { AuthMode: 'NONE' } };

describe('cli/deploy/hotswap against moto', () => {
  const suite = useMoto('hotswap-moto-');
  const code = (status: number) => syntheticArtifact(suite.dir, `exports.handler = async () => ({ statusCode: ${status}, body: "" });`);
  let v1: Artifact;
  let v2: Artifact;
  let v3: Artifact;

  async function fullDeploy(artifact: Artifact) {
    const aws = await suite.clients();
    const reporter = createMemoryReporter();
    const result = await deploy(
      { stackName: STACK, ...STAGE, yes: true, skipLint: true },
      { reporter, aws, build: async () => artifact, lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }), loadTemplate: () => loadDeployTemplate(root), interactive: false, pollIntervalMs: 10 },
    );
    return { result, aws, stderr: reporter.stderr.join('\n') };
  }

  async function swap(artifact: Artifact, options: Partial<HotswapOptions> = {}, deps: Partial<HotswapDeps> = {}) {
    const aws = await suite.clients();
    const reporter = createMemoryReporter();
    const outcome = await hotswap(
      { stackName: STACK, ...STAGE, ...options },
      { aws, reporter, build: async () => artifact, loadTemplate: () => loadDeployTemplate(root), pollIntervalMs: 1, sleep: async () => {}, ...deps },
    );
    return { outcome, aws, stderr: reporter.stderr.join('\n') };
  }

  async function runningSha(): Promise<string> {
    const aws = await suite.clients();
    const stack = await aws.stacks.describeStack(STACK);
    const name = stack!.outputs.find((o) => o.key === 'FunctionName')!.value;
    return (await aws.functions.getState(name)).codeSha256;
  }

  before(async () => {
    [v1, v2, v3] = await Promise.all([code(200), code(201), code(202)]);
    await fullDeploy(v1);
  });

  it('updates only the function code, in at most 4 AWS calls, and prints the drift it leaves', async () => {
    const { outcome, aws, stderr } = await swap(v2);
    const calls = { ...aws.metrics.byOperation };
    expect(outcome.status).to.equal('hotswapped');
    expect(outcome.status === 'hotswapped' && outcome.alias).to.deep.equal({ name: 'live', version: '2' });
    expect(await runningSha()).to.equal(lambdaCodeSha256(v2.sha256));
    const stack = await aws.stacks.describeStack(STACK);
    expect(stack?.parameters.ArtifactKey).to.equal(`${STACK}/${v1.key}`);
    expect(stack?.status).to.equal('CREATE_COMPLETE');
    // The alias moved too: the API invokes it.
    const fn = stack!.outputs.find((o) => o.key === 'FunctionName')!.value;
    expect((await aws.functions.getState(fn, 'live')).codeSha256).to.equal(lambdaCodeSha256(v2.sha256));
    expect(calls).to.deep.equal({ 'CloudFormation.DescribeStacks': 1, 'CloudFormation.GetTemplate': 1, 'Lambda.UpdateFunctionCode': 1, 'Lambda.UpdateAlias': 1 });
    expect(stderr).to.include(`drift: stack ${STACK}'s ArtifactKey parameter is still ${STACK}/${v1.key}; the function runs ${STACK}/${v2.key}`);
    expect(stderr).to.include('The next `npx cli deploy` (without --hotswap)');
  });

  it('says "unchanged" when the function already runs this code', async () => {
    const { outcome } = await swap(v2);
    // The stack still names v1, so the code is compared, not the key: v2 is what runs.
    expect(outcome.status).to.equal('hotswapped');
    const again = await swap(v1);
    expect(again.outcome.status).to.equal('hotswapped');
    expect(await runningSha()).to.equal(lambdaCodeSha256(v1.sha256));
    const unchanged = await swap(v1);
    expect(unchanged.outcome).to.deep.equal({ status: 'unchanged', stackName: STACK, artifactKey: `${STACK}/${v1.key}` });
  });

  it('falls back, saying what changed, when a parameter changes besides the code', async () => {
    const { outcome } = await swap(v2, { parameterOverrides: { AuthMode: 'NONE', FunctionMemorySize: '512' } });
    expect(outcome.status).to.equal('fallback');
    // A configuration change is also a new version (its logical id is named after the function's definition).
    expect(outcome.status === 'fallback' && outcome.reasons.slice(0, 2)).to.deep.equal(['parameter FunctionMemorySize changes (256 -> 512)', 'Function (AWS::Lambda::Function) changes: Properties.MemorySize']);
    expect(outcome.status === 'fallback' && outcome.reasons.slice(2).map((r) => r.replace(/FunctionVersion[0-9a-f]{10}/, 'FunctionVersion<hash>'))).to.deep.equal([
      'FunctionVersion<hash> (AWS::Lambda::Version) is removed',
      'FunctionLiveAlias (AWS::Lambda::Alias) changes: Properties.FunctionVersion',
      'FunctionVersion<hash> (AWS::Lambda::Version) is added',
    ]);
    expect(await runningSha()).to.equal(lambdaCodeSha256(v1.sha256));
  });

  it('falls back when the stack does not exist', async () => {
    const { outcome } = await swap(v2, { stackName: 'it-hotswap-absent' });
    expect(outcome).to.deep.equal({ status: 'fallback', stackName: 'it-hotswap-absent', reasons: ['stack it-hotswap-absent does not exist yet'] });
  });

  it('refuses a prod stage without --force (exit 2), changing nothing', async () => {
    const err = await swap(v3, { stage: 'prod' }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(UsageError);
    expect((err as UsageError).message).to.equal(`Refusing to hotswap stack ${STACK}: its stage is prod.`);
    expect((err as UsageError).details.join('\n')).to.include('--force');
    expect(await runningSha()).to.equal(lambdaCodeSha256(v1.sha256));
  });

  it('reconciles on the next normal deploy: a new key goes through CloudFormation', async () => {
    await swap(v3);
    const { result, aws } = await fullDeploy(v3);
    expect(result.status).to.equal('deployed');
    expect(result.changeSet?.type).to.equal('UPDATE');
    expect((await aws.stacks.describeStack(STACK))?.parameters.ArtifactKey).to.equal(`${STACK}/${v3.key}`);
    expect(await runningSha()).to.equal(lambdaCodeSha256(v3.sha256));
    expect(result.reconciled).to.equal(undefined);
  });

  it("reconciles on the next normal deploy: the stack's own key, hotswapped away, is put back", async () => {
    await swap(v2);
    expect(await runningSha()).to.equal(lambdaCodeSha256(v2.sha256));
    const { result, stderr } = await fullDeploy(v3);
    expect(result.status).to.equal('no-changes');
    expect(result.reconciled?.functionName).to.be.a('string');
    expect(stderr).to.include('(an earlier --hotswap); putting the stack\'s code back');
    expect(await runningSha()).to.equal(lambdaCodeSha256(v3.sha256));
    // The alias the API invokes is back on the stack's own version, which runs v3.
    expect(result.reconciled?.alias?.name).to.equal('live');
    const aws = await suite.clients();
    expect((await aws.functions.getState(result.reconciled!.functionName, 'live')).codeSha256).to.equal(lambdaCodeSha256(v3.sha256));
    const again = await fullDeploy(v3);
    expect(again.result.reconciled).to.equal(undefined);
  });

  describe('with a scripted Lambda (moto always answers Successful at once)', () => {
    /**
     * Models Lambda's asynchronous code update (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html):
     * UpdateFunctionCode answers LastUpdateStatus InProgress; each GetFunctionConfiguration after
     * it answers InProgress `polls` times, then the scripted end state.
     */
    function scriptedLambda(end: Pick<FunctionState, 'lastUpdateStatus' | 'lastUpdateStatusReason'>, polls: number): FunctionApi & { calls: string[] } {
      const calls: string[] = [];
      const state = (status: Partial<FunctionState>): FunctionState => ({ functionName: 'fn', version: '$LATEST', codeSha256: 'x', ...status });
      return {
        calls,
        async updateCode(_name, _code, options) {
          calls.push('UpdateFunctionCode');
          return state({ lastUpdateStatus: 'InProgress', version: options.publish ? '2' : '$LATEST' });
        },
        async getState(_name, qualifier) {
          calls.push('GetFunctionConfiguration');
          const version = qualifier ?? '$LATEST';
          return calls.filter((c) => c === 'GetFunctionConfiguration').length <= polls ? state({ lastUpdateStatus: 'InProgress', version }) : state({ ...end, version });
        },
        async moveAlias() {
          calls.push('UpdateAlias');
        },
      };
    }

    it('waits while Lambda reports InProgress', async () => {
      const lambda = scriptedLambda({ lastUpdateStatus: 'Successful' }, 2);
      const aws = await suite.clients();
      const { outcome } = await swap(v2, {}, { aws: { ...aws, functions: lambda } });
      expect(outcome.status).to.equal('hotswapped');
      expect(lambda.calls).to.deep.equal(['UpdateFunctionCode', 'GetFunctionConfiguration', 'GetFunctionConfiguration', 'GetFunctionConfiguration', 'UpdateAlias']);
    });

    it("reports Lambda's reason when the update fails", async () => {
      const lambda = scriptedLambda({ lastUpdateStatus: 'Failed', lastUpdateStatusReason: 'Unzipped size must be smaller than 262144000 bytes' }, 0);
      const aws = await suite.clients();
      const err = await swap(v2, {}, { aws: { ...aws, functions: lambda } }).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(CliError);
      expect((err as CliError).message).to.match(/^Lambda could not update the code of .+: Unzipped size must be smaller than 262144000 bytes$/);
      expect((err as CliError).details).to.deep.equal(['The function keeps running its previous code. Fix the cause and deploy again.']);
    });
  });
});
