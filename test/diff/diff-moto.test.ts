/**
 * `cli diff` end to end (the program, as `npx cli diff` runs it) against a real moto server:
 * before the stack exists, after a deploy of the same build (no differences), and with
 * parameter changes that modify or replace resources.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { buildArtifact } from '../../cli/build/artifact.js';
import { deploy } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import type { StackDiffResult } from '../../cli/diff/stack-diff.js';
import { CliError } from '../../cli/errors.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = 'it-diff';
const AUTH = ['--parameter-overrides', 'AuthMode=NONE'];

describe('cli diff against moto', () => {
  const suite = useMoto('diff-moto-');

  async function cli(args: string[]) {
    const reporter = createMemoryReporter();
    const error = await createProgram({ reporter, root, env: suite.moto.env })
      .parseAsync(['node', 'cli', 'diff', '--stack-name', STACK, ...AUTH, ...args])
      .then(() => undefined, (e: unknown) => e);
    return { stdout: reporter.stdout.join('\n'), stderr: reporter.stderr.join('\n'), error };
  }

  it('shows every resource as added before the stack exists (exit 0)', async () => {
    const { stdout, stderr, error } = await cli([]);
    expect(error).to.equal(undefined);
    expect(stderr).to.include(`Stack ${STACK} does not exist yet`);
    expect(stdout).to.include('[+] AWS::DynamoDB::Table Table').and.include('[+] AWS::Lambda::Function Function');
  });

  describe('after a deploy', () => {
    before(async function () {
      this.timeout(60_000);
      const artifact = await buildArtifact({ root });
      await deploy(
        { stackName: STACK, parameterOverrides: { AuthMode: 'NONE' }, yes: true, skipLint: true },
        { reporter: createMemoryReporter(), aws: await suite.clients(), build: async () => artifact, lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }), loadTemplate: () => loadDeployTemplate(root), interactive: false, pollIntervalMs: 10 },
      );
    });

    it('finds no differences for the same build and parameters, even with --fail', async () => {
      const { stdout, stderr, error } = await cli(['--fail']);
      expect(error).to.equal(undefined);
      expect(stderr).to.include(`No differences: stack ${STACK} runs this template, code and parameters.`);
      expect(stdout).to.equal('');
    });

    it('shows a parameter change property by property and exits 1 with --fail', async () => {
      const { stdout, error } = await cli(['--parameter-overrides', 'FunctionMemorySize=512', '--fail']);
      expect(error).to.be.instanceOf(CliError);
      expect((error as CliError).exitCode).to.equal(1);
      // A configuration change publishes a new version: FunctionVersion is renamed after the function's definition.
      expect(stdout.replace(/FunctionVersion[0-9a-f]{10}/g, 'FunctionVersion<hash>').split('\n')).to.deep.equal([
        'Parameters',
        '[~] FunctionMemorySize: 256 -> 512',
        'Resources',
        '[~] AWS::Lambda::Function Function',
        ' └─ [~] Properties.MemorySize: {"Ref":"FunctionMemorySize"} (via parameter FunctionMemorySize)',
        '[-] AWS::Lambda::Version FunctionVersion<hash>',
        '[~] AWS::Lambda::Alias FunctionLiveAlias',
        ' └─ [~] Properties.FunctionVersion: {"Fn::GetAtt":["FunctionVersion<hash>","Version"]} -> {"Fn::GetAtt":["FunctionVersion<hash>","Version"]}',
        '[+] AWS::Lambda::Version FunctionVersion<hash>',
      ]);
    });

    // TableName: "Update requires: Replacement"; the table is Retain on replacement:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
    it('warns that a new TableName replaces the table and that the old one is retained', async () => {
      const { stdout, stderr } = await cli(['--parameter-overrides', 'TableName=other-table', '--json']);
      const result = JSON.parse(stdout) as StackDiffResult;
      expect(result.empty).to.equal(false);
      const table = result.diff.resources.find((r) => r.logicalId === 'Table');
      expect(table).to.include({ action: 'Modify', replacement: 'yes', dataRisk: 'retained' });
      expect(stderr).to.equal('');
      const text = await cli(['--parameter-overrides', 'TableName=other-table']);
      expect(text.stdout).to.include('[~] AWS::DynamoDB::Table Table (requires replacement)');
      expect(text.stderr).to.include('warning: Table (AWS::DynamoDB::Table) is replaced: the old resource and its data are retained (Retain policy)');
    });
  });
});
