/**
 * infra/cfn/github-oidc.yaml, the roles `cli bootstrap-ci` deploys: cfn-lint and checkov report
 * nothing, and its least-privilege promises hold as the template changes: the deploy role passes
 * only the execution role, only to CloudFormation; no statement allows every action of a service;
 * and every AWS service the API template (infra/cfn/template.yaml) creates resources of has a
 * statement in the execution role, so a new resource type cannot make the first CI deploy fail
 * with AccessDenied unnoticed.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCfnLint } from '../../cli/lint/cfn-lint.js';
import type { TemplateValue } from '../../cli/template/cfn-template.js';
import { readTemplate } from '../../cli/template/read-template.js';
import { OIDC_TEMPLATE_PATH } from '../../cli/ci/bootstrap.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: TemplateValue;
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

// The IAM service prefix of each CloudFormation namespace whose resources the API template holds.
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
const SERVICE_PREFIX: Record<string, string> = {
  'AWS::ApiGateway': 'apigateway',
  'AWS::CloudWatch': 'cloudwatch',
  'AWS::CodeDeploy': 'codedeploy',
  'AWS::Cognito': 'cognito-idp',
  'AWS::DynamoDB': 'dynamodb',
  'AWS::IAM': 'iam',
  'AWS::KMS': 'kms',
  'AWS::Lambda': 'lambda',
  'AWS::Logs': 'logs',
  'AWS::SNS': 'sns',
  'AWS::WAFv2': 'wafv2',
};

describe('infra/cfn/github-oidc.yaml', function () {
  this.timeout(120_000);

  async function policies(logicalId: string): Promise<Statement[]> {
    const { template } = await readTemplate(root, join(root, OIDC_TEMPLATE_PATH));
    const props = template.Resources[logicalId]!.Properties as unknown as { Policies: { PolicyDocument: { Statement: Statement[] } }[] };
    return props.Policies.flatMap((p) => p.PolicyDocument.Statement);
  }

  it('is clean under cfn-lint in the six regions', async () => {
    const result = await runCfnLint({ root, templates: [OIDC_TEMPLATE_PATH], env: process.env });
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.rule} ${f.message}`)).to.deep.equal([]);
  });

  it('passes checkov with no failed check', async () => {
    const { stdout } = await run(join(root, '.venv', 'bin', 'checkov'), ['-f', join(root, OIDC_TEMPLATE_PATH), '--skip-download', '--output', 'json', '--quiet', '--compact'], {
      env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout) as { summary: { passed: number; failed: number }; results: { failed_checks: { check_id: string; resource: string }[] } };
    expect(report.results.failed_checks.map((c) => `${c.check_id} ${c.resource}`)).to.deep.equal([]);
    expect(report.summary.passed).to.be.greaterThan(0);
  });

  it('lets the deploy role pass only the execution role, and only to CloudFormation', async () => {
    const passes = (await policies('DeployRole')).filter((s) => list(s.Action).some((a) => a.startsWith('iam:')));
    expect(passes).to.have.length(1);
    expect(passes[0]!.Action).to.equal('iam:PassRole');
    expect(passes[0]!.Resource).to.deep.equal({ 'Fn::GetAtt': ['ExecutionRole', 'Arn'] });
    expect(passes[0]!.Condition).to.deep.equal({ StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } });
  });

  it('grants no wildcard action in either role', async () => {
    for (const role of ['DeployRole', 'ExecutionRole']) {
      const actions = (await policies(role)).flatMap((s) => list(s.Action));
      expect(actions.filter((a) => a.includes('*')), role).to.deep.equal([]);
    }
  });

  it("covers every AWS service of the API template's resources in the execution role", async () => {
    const { template } = await readTemplate(root);
    const namespaces = new Set(Object.values(template.Resources).map((r) => r.Type.split('::').slice(0, 2).join('::')));
    const granted = new Set((await policies('ExecutionRole')).flatMap((s) => list(s.Action).map((a) => a.split(':')[0])));
    for (const namespace of namespaces) {
      const prefix = SERVICE_PREFIX[namespace];
      expect(prefix, `${namespace}: add its IAM service prefix to SERVICE_PREFIX (and statements to ExecutionRole)`).to.be.a('string');
      expect(granted.has(prefix!), `ExecutionRole has no ${prefix}: statement for the template's ${namespace} resources`).to.equal(true);
    }
  });
});
