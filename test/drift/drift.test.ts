/**
 * `cli drift`: against moto (which lacks drift detection: the command says so, exit 1), and with
 * moto's real stack plus the scripted drift detection of test/support/scripted-drift.ts.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { deploy } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { formatDrift, stackDrift } from '../../cli/drift/stack-drift.js';
import { CliError } from '../../cli/errors.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { OK_HANDLER, useMoto } from '../support/moto.js';
import { ScriptedDrift } from '../support/scripted-drift.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = 'it-drift';

describe('cli/drift', () => {
  const suite = useMoto('drift-', { handler: OK_HANDLER });

  before(async () => {
    await deploy(
      { stackName: STACK, parameterOverrides: { AuthMode: 'NONE' }, yes: true, skipLint: true },
      { reporter: createMemoryReporter(), aws: await suite.clients(), build: async () => suite.artifact, lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }), loadTemplate: () => loadDeployTemplate(root), interactive: false, pollIntervalMs: 10 },
    );
  });

  it('says in one line that moto does not implement drift detection (exit 1)', async () => {
    const reporter = createMemoryReporter();
    const err = await createProgram({ reporter, root, env: suite.moto.env })
      .parseAsync(['node', 'cli', 'drift', '--stack-name', STACK])
      .then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(CliError);
    expect((err as CliError).exitCode).to.equal(1);
    expect((err as CliError).message).to.match(new RegExp(`^The endpoint ${suite.moto.endpoint} does not implement DetectStackDrift`));
    expect((err as CliError).details).to.deep.equal(['moto does not implement drift detection; run `cli drift` against AWS.']);
  });

  it('refuses a stack that does not exist', async () => {
    const aws = await suite.clients();
    const err = await stackDrift({ stackName: 'it-drift-absent', hintFlags: ' --stage dev' }, { aws: { ...aws, drift: new ScriptedDrift([]) } }).then(() => undefined, (e: unknown) => e);
    expect((err as CliError).message).to.equal('Stack it-drift-absent does not exist');
    expect((err as CliError).details).to.deep.equal(['Deploy it first: npx cli deploy --stage dev']);
  });

  it('waits for the detection and lists each drifted resource property by property', async () => {
    const aws = await suite.clients();
    const drift = new ScriptedDrift([
      { logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', status: 'IN_SYNC', differences: [] },
      { logicalId: 'Function', physicalId: 'fn', resourceType: 'AWS::Lambda::Function', status: 'MODIFIED', differences: [{ path: '/MemorySize', expected: '256', actual: '512', kind: 'NOT_EQUAL' }, { path: '/Environment/Variables/DEBUG', actual: '"1"', kind: 'ADD' }] },
      { logicalId: 'ApiKey', resourceType: 'AWS::ApiGateway::ApiKey', status: 'DELETED', differences: [] },
      { logicalId: 'Api', resourceType: 'AWS::ApiGateway::RestApi', status: 'IN_SYNC', differences: [] },
    ]);
    drift.inProgressPolls = 2;
    const result = await stackDrift({ stackName: STACK }, { aws: { ...aws, drift }, sleep: async () => {}, pollIntervalMs: 1 });
    const stackId = (await aws.stacks.describeStack(STACK))!.stackId;
    expect(drift.calls).to.deep.equal([
      `DetectStackDrift ${stackId}`,
      'DescribeStackDriftDetectionStatus detection-1',
      'DescribeStackDriftDetectionStatus detection-1',
      'DescribeStackDriftDetectionStatus detection-1',
      `DescribeStackResourceDrifts ${stackId}`,
    ]);
    expect(result.stackDriftStatus).to.equal('DRIFTED');
    expect(formatDrift(result, createMemoryReporter().color)).to.deep.equal([
      `Stack ${STACK}: DRIFTED (2 of 4 resources drifted)`,
      '  DELETED ApiKey (AWS::ApiGateway::ApiKey): deleted outside CloudFormation',
      '  MODIFIED Function (AWS::Lambda::Function)',
      '      ~ /MemorySize: expected 256, actual 512',
      '      + /Environment/Variables/DEBUG: expected (none), actual "1"',
      '  IN_SYNC Api, Table',
    ]);
  });

  it('reports IN_SYNC, and a failed detection with its reason', async () => {
    const aws = await suite.clients();
    const drift = new ScriptedDrift([{ logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', status: 'IN_SYNC', differences: [] }]);
    drift.failure = 'Failed to detect drift on resource [Stage]';
    const result = await stackDrift({ stackName: STACK }, { aws: { ...aws, drift }, sleep: async () => {}, pollIntervalMs: 1 });
    expect(result).to.deep.include({ stackDriftStatus: 'IN_SYNC', detectionStatus: 'DETECTION_FAILED', detectionReason: 'Failed to detect drift on resource [Stage]' });
    expect(formatDrift(result, createMemoryReporter().color)).to.deep.equal([`Stack ${STACK}: IN_SYNC (0 of 1 resources drifted)`, '  IN_SYNC Table']);
  });
});
