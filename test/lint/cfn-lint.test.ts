import { expect } from 'chai';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, UsageError } from '../../cli/errors.js';
import { CfnLintNotInstalledError, runCfnLint } from '../../cli/lint/cfn-lint.js';
import { lint } from '../../cli/commands/lint.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const realCfnLint = join(root, '.venv', 'bin', 'cfn-lint');

// Line 3: unused parameter (W2001). Line 6: a table without Deletion/UpdateReplacePolicy
// (I3011, informational). Line 8: PROVISIONED by default without throughput (E3639).
// Line 9: an invalid BillingMode (E3030).
const BROKEN = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Unused:
    Type: String
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: FREE
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
`;

describe('cli/lint/cfn-lint', () => {
  let dir: string;
  let withRc: string; // a project root with the repository's .cfnlintrc and the broken template
  let bare: string; // a project root with no .cfnlintrc and no .venv
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lint-test-'));
    withRc = join(dir, 'with-rc');
    bare = join(dir, 'bare');
    await mkdir(withRc);
    await mkdir(bare);
    await copyFile(join(root, '.cfnlintrc'), join(withRc, '.cfnlintrc'));
    await writeFile(join(withRc, 'broken.yaml'), BROKEN);
    await writeFile(join(bare, 'broken.yaml'), BROKEN);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe('runCfnLint', () => {
    it('reports file:line:col, rule and level of every finding of a broken template', async () => {
      const result = await runCfnLint({ root: withRc, templates: ['broken.yaml'], env: { ...process.env, CFN_LINT: realCfnLint } });
      const brief = result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.level}`);
      expect(brief).to.deep.equal([
        'broken.yaml:3:3 W2001 warning',
        'broken.yaml:6:3 I3011 informational',
        'broken.yaml:6:3 I3011 informational',
        'broken.yaml:8:5 E3639 error',
        'broken.yaml:9:7 E3030 error',
      ]);
      expect(result.findings[4]?.message).to.include("'FREE' is not one of");
      expect({ errors: result.errors, warnings: result.warnings, informational: result.informational }).to.deep.equal({ errors: 2, warnings: 1, informational: 2 });
    });

    it("finds cfn-lint on PATH without CFN_LINT or .venv, and applies only the root's .cfnlintrc", async () => {
      // `bare` has no .cfnlintrc, so the informational rules the repository's .cfnlintrc adds are off.
      const result = await runCfnLint({ root: bare, templates: ['broken.yaml'], env: { PATH: dirname(realCfnLint) } });
      expect({ errors: result.errors, warnings: result.warnings, informational: result.informational }).to.deep.equal({ errors: 2, warnings: 1, informational: 0 });
    });

    it('throws CfnLintNotInstalledError with a one-line install hint when cfn-lint is nowhere', async () => {
      const err = await runCfnLint({ root: bare, templates: ['broken.yaml'], env: { PATH: '' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(CfnLintNotInstalledError).and.instanceOf(CliError);
      const message = (err as Error).message;
      expect(message).not.to.include('\n');
      expect(message).to.include('npm test').and.include('python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt');
      expect((err as CliError).details).to.deep.equal([]);
    });

    it('throws CfnLintNotInstalledError naming CFN_LINT when it points at a missing file', async () => {
      const err = await runCfnLint({ root: bare, templates: ['broken.yaml'], env: { CFN_LINT: '/nonexistent/cfn-lint', PATH: '' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(CfnLintNotInstalledError);
      expect((err as Error).message).to.include('CFN_LINT=/nonexistent/cfn-lint').and.not.include('\n');
    });

    it('throws a UsageError naming a template that does not exist', async () => {
      const err = await runCfnLint({ root: bare, templates: ['nope.yaml'], env: { PATH: '' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(UsageError);
      expect((err as Error).message).to.equal('template not found: nope.yaml');
    });

    it("throws a CliError carrying cfn-lint's stderr when it crashes instead of reporting", async () => {
      // Models a broken Python install: the interpreter dies with a traceback and no JSON report.
      const fake = join(dir, 'crashing-cfn-lint');
      await writeFile(fake, '#!/bin/sh\necho "Traceback (most recent call last):" >&2\necho "ModuleNotFoundError: No module named cfnlint" >&2\nexit 1\n');
      await chmod(fake, 0o755);
      const err = await runCfnLint({ root: bare, templates: ['broken.yaml'], env: { CFN_LINT: fake, PATH: '/usr/bin:/bin' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(CliError).and.not.instanceOf(CfnLintNotInstalledError);
      expect((err as CliError).message).to.equal('cfn-lint failed (exit code 1) without a JSON report');
      expect((err as CliError).details).to.include('ModuleNotFoundError: No module named cfnlint');
    });
  });

  describe('lint', () => {
    it('prints one "file:line:col rule level message" line per finding and fails on errors and warnings', async () => {
      const reporter = createMemoryReporter();
      const err = await lint({ templates: ['broken.yaml'], json: false }, { reporter, root: withRc, env: { ...process.env, CFN_LINT: realCfnLint } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(CliError).with.property('exitCode', 1);
      expect((err as Error).message).to.equal('lint failed: 2 errors, 1 warning, 2 informational (cfn-lint)');
      expect(reporter.stdout[0]).to.equal('broken.yaml:3:3 W2001 warning Parameter Unused not used.');
      expect(reporter.stdout).to.have.length(5);
      for (const line of reporter.stdout) expect(line).to.match(/^broken\.yaml:\d+:\d+ [EWI]\d{4} (error|warning|informational) \S/);
      expect(reporter.stderr).to.deep.equal(['broken.yaml: 2 errors, 1 warning, 2 informational (cfn-lint)']);
    });

    it('prints the findings as JSON with --json', async () => {
      const reporter = createMemoryReporter();
      await lint({ templates: ['broken.yaml'], json: true }, { reporter, root: withRc, env: { ...process.env, CFN_LINT: realCfnLint } }).catch(() => undefined);
      const parsed = JSON.parse(reporter.stdout.join('\n')) as { findings: { rule: string }[]; errors: number };
      expect(parsed.errors).to.equal(2);
      expect(parsed.findings.map((f) => f.rule)).to.include.members(['W2001', 'E3030']);
    });

    it("passes on the project's template and prints only the summary", async () => {
      const reporter = createMemoryReporter();
      const result = await lint({ templates: [], json: false }, { reporter, root, env: process.env });
      expect(result.findings).to.deep.equal([]);
      expect(reporter.stdout).to.deep.equal([]);
      expect(reporter.stderr).to.deep.equal(['infra/cfn/template.yaml: 0 errors, 0 warnings, 0 informational (cfn-lint)']);
    });
  });

  describe('serverless rules', () => {
    // A function without TracingConfig: awslabs' serverless rule WS1000 ("should have Tracing
    // property set to 'Active'"), https://awslabs.github.io/serverless-rules/rules/lambda/tracing/
    const UNTRACED = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: 'exports.handler = async () => 1'}
`;

    it('appends the serverless rules (cfn-lint-serverless) to cfn-lint\'s own', async () => {
      await writeFile(join(bare, 'untraced.yaml'), UNTRACED);
      const result = await runCfnLint({ root: bare, templates: ['untraced.yaml'], env: { ...process.env, CFN_LINT: realCfnLint } });
      expect(result.serverlessRules).to.equal('applied');
      expect(result.findings.map((f) => f.rule)).to.include('WS1000');
    });

    it('runs cfn-lint\'s own rules and says so when the plugin is not installed', async function () {
      // Two cfn-lint runs (the first one stops at the missing plugin), on a shared machine.
      this.timeout(120_000);
      await writeFile(join(bare, 'untraced.yaml'), UNTRACED);
      // The real cfn-lint, in an interpreter where the plugin cannot be imported.
      const python = join(root, '.venv', 'bin', 'python');
      const withoutPlugin = join(dir, 'cfn-lint-without-plugin');
      await writeFile(
        withoutPlugin,
        `#!/bin/sh
exec "${python}" -c '
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "cfn_lint_serverless":
            raise ModuleNotFoundError("No module named %r" % name)
sys.meta_path.insert(0, Hide())
from cfnlint.runner import main
sys.argv[0] = "cfn-lint"
sys.exit(main())
' "$@"
`,
      );
      await chmod(withoutPlugin, 0o755);
      const env = { ...process.env, CFN_LINT: withoutPlugin };
      const reporter = createMemoryReporter();
      await lint({ templates: ['untraced.yaml'], json: true }, { reporter, root: bare, env }).catch(() => undefined);
      const result = JSON.parse(reporter.stdout.join('\n')) as { serverlessRules: string; findings: { rule: string }[] };
      expect(result.serverlessRules).to.equal('missing');
      expect(result.findings.map((f) => f.rule)).to.not.include('WS1000');
      expect(reporter.stderr[0]).to.match(/^warning: the serverless rules did not run: cfn-lint-serverless is not installed next to cfn-lint; install it/);
    });
  });
});
