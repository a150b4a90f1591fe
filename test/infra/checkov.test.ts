/**
 * checkov (pinned in requirements-dev.txt, run from .venv, offline: --skip-download and
 * BC_SKIP_MAPPING=TRUE) on infra/cfn/template.yaml and infra/terraform: 0 failed.
 *
 * checkov cannot evaluate Conditions, so it would scan both branches of every Fn::If as one
 * template (and pass CKV_AWS_59 on `AuthorizationType: !If [...]` without knowing the branch). The
 * template is therefore scanned as deploys create it: once with its defaults, and once per
 * non-default mode that changes what the scan should say (test/support/resolve-conditions.ts).
 * A check that does not fit this API is skipped in the template's Metadata or by a
 * `#checkov:skip` comment in Terraform, each with its reason; README.md lists them all.
 *
 * Whatever the template and the Terraform files hold is scanned (resources added by other work
 * too), and a failure prints check id, resource and file:line.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CfnTemplate, TemplateValue } from '../../cli/template/cfn-template.js';
import { parseTemplate } from '../../cli/template/read-template.js';
import { resolveConditions } from '../support/resolve-conditions.js';
import { useTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const templatePath = join(root, 'infra', 'cfn', 'template.yaml');
const terraformDir = join(root, 'infra', 'terraform');
const checkov = join(root, '.venv', 'bin', 'checkov');

/** Values `cli deploy` always fills in; the scan needs some. */
const ARTIFACT = { ArtifactBucket: 'artifact-bucket', ArtifactKey: 'dist/handler-0123456789ab.zip' };
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

interface Scenario {
  file: string;
  what: string;
  overrides: Record<string, string>;
  /** "CHECK_ID Resource" pairs that must fail, and why that is right for this mode. */
  expectedFailures?: { checks: (t: CfnTemplate) => string[]; why: string };
  /** "CHECK_ID Resource" pairs that must pass (be evaluated, not skipped). */
  mustPass?: string[];
}

/** Methods other than OPTIONS: the ones CKV_AWS_59 looks at. */
const openMethods = (t: CfnTemplate) =>
  Object.entries(t.Resources)
    .filter(([, r]) => r.Type === 'AWS::ApiGateway::Method' && r.Properties?.HttpMethod !== 'OPTIONS')
    .map(([id]) => `CKV_AWS_59 AWS::ApiGateway::Method.${id}`);

const SCENARIOS: Scenario[] = [
  { file: 'defaults.json', what: 'the defaults', overrides: {} },
  {
    file: 'auth-none.json',
    what: 'AuthMode=NONE',
    overrides: { AuthMode: 'NONE' },
    expectedFailures: {
      checks: openMethods,
      why: 'NONE is an open API by choice (README, Security): every method is open, and checkov says so',
    },
  },
  {
    file: 'all-protections.json',
    what: 'every optional protection on',
    overrides: { AuthMode: 'AWS_IAM', TableKmsKey: 'CREATE', ReservedConcurrency: '5', WafEnabled: 'true' },
    mustPass: [
      'CKV_AWS_119 AWS::DynamoDB::Table.Table',
      'CKV_AWS_158 AWS::Logs::LogGroup.FunctionLogGroup',
      'CKV_AWS_158 AWS::Logs::LogGroup.AccessLogGroup',
      'CKV_AWS_7 AWS::KMS::Key.TableKey',
      'CKV_AWS_33 AWS::KMS::Key.TableKey',
      'CKV_AWS_115 AWS::Lambda::Function.Function',
      'CKV_AWS_192 AWS::WAFv2::WebACL.WebAcl',
      'CKV_AWS_59 AWS::ApiGateway::Method.ItemDelete',
    ],
  },
  { file: 'existing-key.json', what: 'TableKmsKey=<an existing key ARN>', overrides: { TableKmsKey: KEY_ARN }, mustPass: ['CKV_AWS_119 AWS::DynamoDB::Table.Table'] },
];


interface CheckResult {
  check_id: string;
  check_name: string;
  resource: string;
  file_path: string;
  file_line_range: [number, number];
  check_result: { result: string; suppress_comment?: string };
}

interface Report {
  check_type: string;
  results: { passed_checks: CheckResult[]; failed_checks: CheckResult[]; skipped_checks: CheckResult[] };
}

async function runCheckov(dir: string): Promise<Report[]> {
  const args = ['-d', dir, '--framework', 'cloudformation', 'terraform', '--skip-download', '--output', 'json', '--soft-fail'];
  try {
    const { stdout } = await run(checkov, args, { env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' }, maxBuffer: 64 * 1024 * 1024 });
    const parsed = JSON.parse(stdout) as Report | Report[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${checkov} is missing: run node scripts/ensure-venv.mjs`);
    throw new Error(`checkov failed: ${e.stderr ?? e.message}`);
  }
}

const key = (r: CheckResult) => `${r.check_id} ${r.resource}`;

/** `CKV_X AWS::T.Id infra/cfn/template.yaml:42 (name)`, pointing at the source, not the resolved copy. */
function describeFailure(r: CheckResult, templateText: string): string {
  if (r.resource.startsWith('AWS::')) {
    const id = r.resource.slice(r.resource.lastIndexOf('.') + 1);
    const line = templateText.split('\n').findIndex((l) => l === `  ${id}:`) + 1;
    return `${key(r)} infra/cfn/template.yaml:${line} (${r.check_name}; scanned as ${r.file_path.replace(/^\//, '')})`;
  }
  return `${key(r)} infra/${r.file_path.replace(/^\//, '')}:${r.file_line_range[0]} (${r.check_name})`;
}

/** `Metadata.checkov.skip` ids per resource of a resolved template. */
function declaredSkips(t: CfnTemplate): string[] {
  return Object.entries(t.Resources).flatMap(([id, r]) => {
    const skips = ((r.Metadata as { checkov?: { skip?: { id: string }[] } } | undefined)?.checkov?.skip ?? []) as { id: string }[];
    return skips.map((s) => `${s.id} ${r.Type}.${id}`);
  });
}

describe('checkov (infra/cfn/template.yaml resolved per mode, and infra/terraform)', function () {
  this.timeout(300_000);
  const scratch = useTempDir('checkov-');
  let templateText: string;
  let template: CfnTemplate;
  const resolved = new Map<string, CfnTemplate>();
  const cfn = new Map<string, Report['results']>();
  let terraform: Report['results'];

  before(async () => {
    templateText = await readFile(templatePath, 'utf8');
    template = parseTemplate(templateText, { file: 'infra/cfn/template.yaml' });
    for (const s of SCENARIOS) {
      const t = resolveConditions(template, { ...ARTIFACT, ...s.overrides }, 'infra/cfn/template.yaml');
      resolved.set(s.file, t);
      await writeFile(join(scratch.path, s.file), JSON.stringify(t, null, 1));
    }
    // One checkov process for everything (its start-up is most of its run time) and one directory
    // (with two, it prints two JSON documents): the Terraform files are copied next to the
    // resolved templates, under terraform/.
    await cp(terraformDir, join(scratch.path, 'terraform'), { recursive: true });
    const reports = await runCheckov(scratch.path);
    const empty = { passed_checks: [], failed_checks: [], skipped_checks: [] };
    const byType = (type: string) => reports.find((r) => r.check_type === type)?.results ?? empty;
    for (const s of SCENARIOS) {
      const of = (list: CheckResult[]) => list.filter((r) => r.file_path === `/${s.file}`);
      const all = byType('cloudformation');
      cfn.set(s.file, { passed_checks: of(all.passed_checks), failed_checks: of(all.failed_checks), skipped_checks: of(all.skipped_checks) });
    }
    terraform = byType('terraform');
  });

  const unexpected = (failed: CheckResult[], expected: Set<string>) => failed.filter((r) => !expected.has(key(r)));

  for (const s of SCENARIOS) {
    describe(`the template with ${s.what}`, () => {
      it(`fails no check${s.expectedFailures ? ` but the expected ones (${s.expectedFailures.why})` : ''}`, () => {
        const results = cfn.get(s.file)!;
        expect(results.passed_checks.length, `checkov evaluated ${s.file}`).to.be.greaterThan(10);
        const expected = new Set(s.expectedFailures?.checks(resolved.get(s.file)!) ?? []);
        const failedKeys = new Set(results.failed_checks.map(key));
        for (const e of expected) expect(failedKeys.has(e), `${e} is expected to fail with ${s.what}`).to.equal(true);
        expect(unexpected(results.failed_checks, expected).map((r) => describeFailure(r, templateText))).to.deep.equal([]);
      });

      if (s.mustPass) {
        it('evaluates and passes the checks its optional protections are for (not skipped)', () => {
          const passed = new Set(cfn.get(s.file)!.passed_checks.map(key));
          for (const k of s.mustPass!) expect(passed.has(k), k).to.equal(true);
        });
      }

      it('skips exactly the checks its Metadata skips, each with a reason', () => {
        const results = cfn.get(s.file)!;
        expect(results.skipped_checks.map(key).sort()).to.deep.equal(declaredSkips(resolved.get(s.file)!).sort());
        for (const r of results.skipped_checks) expect(r.check_result.suppress_comment, key(r)).to.be.a('string').with.length.greaterThan(20);
      });
    });
  }

  describe('infra/terraform', () => {
    it('fails no check', () => {
      expect(terraform.passed_checks.length, 'checkov evaluated infra/terraform').to.be.greaterThan(10);
      expect(unexpected(terraform.failed_checks, new Set()).map((r) => describeFailure(r, templateText))).to.deep.equal([]);
    });

    it('skips only with a #checkov:skip comment that gives a reason', async () => {
      expect(terraform.skipped_checks.length).to.be.greaterThan(0);
      for (const r of terraform.skipped_checks) expect(r.check_result.suppress_comment, key(r)).to.be.a('string').with.length.greaterThan(20);
    });
  });

  it("lists every skipped check in README.md's Security section", async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Security\n');
    expect(start, 'README.md has a "## Security" section').to.be.greaterThan(-1);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end === -1 ? undefined : end);
    const skipped = new Set([...[...cfn.values()].flatMap((r) => r.skipped_checks), ...terraform.skipped_checks].map((r) => r.check_id));
    expect([...skipped].filter((id) => !section.includes(`\`${id}\``)), 'skipped checks missing from README.md, Security').to.deep.equal([]);
  });
});

describe('test/support/resolve-conditions', () => {
  describe('resolveConditions', () => {
    const t: CfnTemplate = {
      Parameters: { Mode: { Type: 'String', Default: 'a', AllowedValues: ['a', 'b'] }, Size: { Type: 'Number', Default: 1 } },
      Conditions: { IsA: { 'Fn::Equals': [{ Ref: 'Mode' }, 'a'] }, IsB: { 'Fn::Not': [{ Condition: 'IsA' }] } },
      Resources: {
        Always: {
          Type: 'AWS::Test::Thing',
          Metadata: { checkov: { skip: [{ 'Fn::If': ['IsA', { id: 'CKV_1', comment: 'only in a' }, { Ref: 'AWS::NoValue' }] }] } },
          Properties: {
            Size: { Ref: 'Size' },
            Picked: { 'Fn::If': ['IsA', 'from-a', 'from-b'] },
            Optional: { 'Fn::If': ['IsB', { 'Fn::GetAtt': ['OnlyB', 'Arn'] }, { Ref: 'AWS::NoValue' }] },
            Other: { Ref: 'OnlyB' },
            Name: { 'Fn::Sub': '${AWS::StackName}-x' },
          },
        },
        OnlyB: { Type: 'AWS::Test::Thing', Condition: 'IsB' },
      },
      Outputs: { B: { Condition: 'IsB', Value: { Ref: 'OnlyB' } }, Both: { Value: { Ref: 'Mode' } } },
    };

    it('takes the defaults: picks each Fn::If branch, drops AWS::NoValue and what a false Condition guards, and substitutes parameters', () => {
      const r = resolveConditions(t);
      expect(r).not.to.have.property('Conditions');
      expect(Object.keys(r.Resources)).to.deep.equal(['Always']);
      expect(r.Resources.Always?.Properties).to.deep.equal({ Size: '1', Picked: 'from-a', Other: { Ref: 'OnlyB' }, Name: { 'Fn::Sub': '${AWS::StackName}-x' } });
      expect(r.Resources.Always?.Metadata).to.deep.equal({ checkov: { skip: [{ id: 'CKV_1', comment: 'only in a' }] } });
      expect(r.Outputs).to.deep.equal({ Both: { Value: 'a' } });
    });

    it('applies overrides, keeping Ref and Fn::GetAtt of resources as written', () => {
      const r = resolveConditions(t, { Mode: 'b', Size: '3' });
      expect(Object.keys(r.Resources)).to.deep.equal(['Always', 'OnlyB']);
      expect(r.Resources.OnlyB).to.deep.equal({ Type: 'AWS::Test::Thing' });
      expect(r.Resources.Always?.Properties).to.deep.include({ Size: '3', Picked: 'from-b', Optional: { 'Fn::GetAtt': ['OnlyB', 'Arn'] } });
      expect(r.Resources.Always?.Metadata).to.deep.equal({ checkov: { skip: [] } });
      expect((r.Parameters?.Mode as { Default?: TemplateValue }).Default).to.equal('b');
      expect(Object.keys(r.Outputs ?? {})).to.deep.equal(['B', 'Both']);
    });

    it('refuses a value the parameter does not allow, as cli deploy does', () => {
      expect(() => resolveConditions(t, { Mode: 'c' })).to.throw(/Mode/);
    });

    it('names an undefined condition and where it is used', () => {
      const broken: CfnTemplate = { Resources: { X: { Type: 'AWS::Test::Thing', Properties: { P: { 'Fn::If': ['Missing', 1, 2] } } } } };
      expect(() => resolveConditions(broken, {}, 'my.yaml')).to.throw(/my\.yaml: Resources\.X\.Properties\.P\.Fn::If: condition Missing is not defined/);
    });
  });
});
