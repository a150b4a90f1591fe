/**
 * infra/terraform is the Terraform twin of infra/cfn/template.yaml. Terraform and its AWS provider
 * cannot be installed here (no access to the Terraform registry), so `terraform validate` and
 * `plan` are not run: every .tf file is parsed with python-hcl2 (test/support/hcl2json.py) and
 * compared, resource by resource, with the template as parseTemplate reads it. What this proves:
 * valid HCL syntax, the same variables/defaults/constraints, routes, integrations, IAM, table
 * protection, stage settings and outputs. What it cannot prove: provider schema validity and
 * expression evaluation.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CfnTemplate, TemplateResource, TemplateValue } from '../../cli/template/cfn-template.js';
import { parseTemplate } from '../../cli/template/read-template.js';
import { withTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const terraformDir = join(root, 'infra', 'terraform');
const python = join(root, '.venv', 'bin', 'python');
const hcl2json = join(root, 'test', 'support', 'hcl2json.py');

type Hcl = string | number | boolean | null | Hcl[] | { [key: string]: Hcl };
type HclBody = Record<string, Hcl>;

interface TerraformConfig {
  files: string[];
  resources: Map<string, Map<string, HclBody>>;
  data: Map<string, Map<string, HclBody>>;
  variables: Map<string, HclBody>;
  outputs: Map<string, HclBody>;
  locals: Map<string, Hcl>;
  terraform: HclBody[];
}

async function parseDirectory(dir: string): Promise<Record<string, Record<string, Hcl>>> {
  try {
    const { stdout } = await run(python, [hcl2json, dir], { maxBuffer: 16 * 1024 * 1024 });
    return (JSON.parse(stdout) as { files: Record<string, Record<string, Hcl>> }).files;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${python} is missing: run node scripts/ensure-venv.mjs`);
    throw new Error(`hcl2json.py ${dir} failed: ${e.stderr ?? e.message}`);
  }
}

/** One view of every file, as Terraform merges a module's files; a duplicate address fails. */
function mergeFiles(files: Record<string, Record<string, Hcl>>): TerraformConfig {
  const config: TerraformConfig = {
    files: Object.keys(files).sort(),
    resources: new Map(),
    data: new Map(),
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    terraform: [],
  };
  const addNamed = (into: Map<string, HclBody>, what: string, name: string, body: Hcl) => {
    expect(into.has(name), `duplicate ${what} ${name}`).to.equal(false);
    into.set(name, body as HclBody);
  };
  for (const [file, top] of Object.entries(files)) {
    for (const [key, blocks] of Object.entries(top)) {
      for (const block of blocks as Record<string, Hcl>[]) {
        if (key === 'resource' || key === 'data') {
          const target = key === 'resource' ? config.resources : config.data;
          for (const [type, named] of Object.entries(block)) {
            if (!target.has(type)) target.set(type, new Map());
            for (const [name, body] of Object.entries(named as Record<string, Hcl>)) addNamed(target.get(type)!, `${key} ${type}`, name, body);
          }
        } else if (key === 'variable' || key === 'output') {
          for (const [name, body] of Object.entries(block)) addNamed(key === 'variable' ? config.variables : config.outputs, key, name, body);
        } else if (key === 'locals') {
          for (const [name, value] of Object.entries(block)) addNamed(config.locals as Map<string, HclBody>, 'local', name, value);
        } else if (key === 'terraform') {
          config.terraform.push(block);
        } else {
          expect(['provider'], `${file}: top-level block ${key}`).to.include(key);
        }
      }
    }
  }
  return config;
}

function resourcesOf(tf: TerraformConfig, type: string): Map<string, HclBody> {
  return tf.resources.get(type) ?? new Map();
}

function onlyResource(tf: TerraformConfig, type: string): [string, HclBody] {
  const found = [...resourcesOf(tf, type)];
  expect(found, type).to.have.length(1);
  return found[0] as [string, HclBody];
}

/** The one nested block `key` of a body (python-hcl2 gives blocks as lists). */
function block(body: HclBody | undefined, key: string): HclBody {
  const blocks = body?.[key];
  expect(blocks, `block ${key}`).to.be.an('array').with.length(1);
  return (blocks as HclBody[])[0] as HclBody;
}

/** The reference an expression is made of: "${aws_x.y.id}" -> "aws_x.y.id". */
function reference(value: Hcl | undefined): string {
  expect(value, 'an expression').to.be.a('string').that.matches(/^\$\{[^{}]+\}$/);
  return (value as string).slice(2, -1);
}

function snake(name: string): string {
  return name
    .replace(/DynamoDB/g, 'Dynamodb')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

function cfnResources(t: CfnTemplate, type: string): [string, TemplateResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

function cfnOnly(t: CfnTemplate, type: string): TemplateResource {
  const found = cfnResources(t, type);
  expect(found, type).to.have.length(1);
  return (found[0] as [string, TemplateResource])[1];
}

function cfnProps(r: TemplateResource): Record<string, TemplateValue> {
  return (r.Properties ?? {}) as Record<string, TemplateValue>;
}

/** A template value as the Terraform configuration should spell it: Ref of a parameter -> var. */
function asTerraform(t: CfnTemplate, value: TemplateValue | undefined): Hcl {
  const ref = (value as { Ref?: string } | null)?.Ref;
  if (ref !== undefined && t.Parameters?.[ref]) return `\${var.${snake(ref)}}`;
  return value as Hcl;
}

/** "METHOD /path" -> the method's Properties, walking ResourceId -> ParentId. */
function cfnRoutes(t: CfnTemplate): Map<string, Record<string, TemplateValue>> {
  const pathOf = (id: TemplateValue | undefined): string => {
    const ref = (id as { Ref?: string } | null)?.Ref;
    if (ref === undefined) return '';
    const p = cfnProps(t.Resources[ref] as TemplateResource);
    return `${pathOf(p.ParentId)}/${String(p.PathPart)}`;
  };
  const out = new Map<string, Record<string, TemplateValue>>();
  for (const [, method] of cfnResources(t, 'AWS::ApiGateway::Method')) {
    const p = cfnProps(method);
    out.set(`${String(p.HttpMethod)} ${pathOf(p.ResourceId) || '/'}`, p);
  }
  return out;
}

interface TfRoute {
  method: string;
  http_method: Hcl;
  resource_id: Hcl;
  request_parameters: Hcl;
}

/** "METHOD /path" -> the route, for methods written one per resource or with for_each over a local map. */
function tfRoutes(tf: TerraformConfig): Map<string, TfRoute> {
  const resources = resourcesOf(tf, 'aws_api_gateway_resource');
  const pathOf = (id: Hcl): string => {
    const ref = reference(id);
    if (/^aws_api_gateway_rest_api\.\w+\.root_resource_id$/.test(ref)) return '';
    const match = /^aws_api_gateway_resource\.(\w+)\.id$/.exec(ref);
    expect(match, `resource reference ${ref}`).to.not.equal(null);
    const r = resources.get(match?.[1] as string);
    expect(r, ref).to.be.an('object');
    return `${pathOf(r?.parent_id as Hcl)}/${String(r?.path_part)}`;
  };
  const out = new Map<string, TfRoute>();
  const add = (key: string | undefined, route: TfRoute) => {
    const name = `${String(route.http_method)} ${pathOf(route.resource_id) || '/'}`;
    if (key !== undefined) expect(key, `local route key of ${name}`).to.equal(name);
    expect(out.has(name), `duplicate route ${name}`).to.equal(false);
    out.set(name, route);
  };
  for (const [name, method] of resourcesOf(tf, 'aws_api_gateway_method')) {
    if (method.for_each === undefined) {
      add(undefined, { method: name, http_method: method.http_method as Hcl, resource_id: method.resource_id as Hcl, request_parameters: method.request_parameters ?? {} });
      continue;
    }
    const local = /^local\.(\w+)$/.exec(reference(method.for_each));
    expect(local, `for_each of aws_api_gateway_method.${name}`).to.not.equal(null);
    expect(method.http_method).to.equal('${each.value.http_method}');
    expect(method.resource_id).to.equal('${each.value.resource_id}');
    expect(method.request_parameters).to.equal('${each.value.request_parameters}');
    for (const [key, value] of Object.entries(tf.locals.get(local?.[1] as string) as Record<string, HclBody>)) {
      add(key, { method: name, http_method: value.http_method as Hcl, resource_id: value.resource_id as Hcl, request_parameters: value.request_parameters ?? {} });
    }
  }
  return out;
}

/** Every statement of every aws_iam_policy_document, with the document's name. */
function policyStatements(tf: TerraformConfig): { doc: string; statement: HclBody }[] {
  return [...(tf.data.get('aws_iam_policy_document') ?? new Map<string, HclBody>())].flatMap(([doc, body]) =>
    ((body.statement as HclBody[] | undefined) ?? []).map((statement) => ({ doc, statement })),
  );
}

function docOf(policyJson: Hcl | undefined): string {
  const match = /^data\.aws_iam_policy_document\.(\w+)\.json$/.exec(reference(policyJson));
  expect(match, `policy ${String(policyJson)}`).to.not.equal(null);
  return match?.[1] as string;
}

/** The Terraform configuration (all files merged) and the CloudFormation template it twins. */
async function loadBoth(): Promise<{ tf: TerraformConfig; t: CfnTemplate }> {
  const [files, text] = await Promise.all([parseDirectory(terraformDir), readFile(join(root, 'infra', 'cfn', 'template.yaml'), 'utf8')]);
  return { tf: mergeFiles(files), t: parseTemplate(text, { file: 'infra/cfn/template.yaml' }) };
}

describe('infra/terraform', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await loadBoth());
  });

  it('parses as HCL in every file and pins terraform >= 1.5 and the hashicorp/aws provider 6.x', () => {
    expect(tf.files).to.include.members(['versions.tf', 'variables.tf', 'outputs.tf']);
    expect(tf.files.length).to.be.at.least(4);
    const settings = tf.terraform[0];
    expect(tf.terraform).to.have.length(1);
    expect(settings?.required_version).to.equal('>= 1.5');
    const aws = (block(settings, 'required_providers').aws ?? {}) as HclBody;
    expect(aws.source).to.equal('hashicorp/aws');
    expect(aws.version).to.equal('~> 6.0');
  });

  it("declares one variable per template parameter (plus name, the stack name's counterpart), with the same types and defaults", () => {
    const params = t.Parameters ?? {};
    const expected = Object.keys(params).map(snake);
    expect([...tf.variables.keys()].sort()).to.deep.equal([...expected, 'name'].sort());
    for (const [param, p] of Object.entries(params)) {
      const v = tf.variables.get(snake(param)) as HclBody;
      const isBool = p.Type === 'String' && JSON.stringify(p.AllowedValues) === JSON.stringify(['false', 'true']);
      const type = isBool ? 'bool' : p.Type === 'Number' ? 'number' : 'string';
      expect(v.type, param).to.equal(type);
      expect(v.description, param).to.be.a('string').and.not.equal('');
      if (p.Default === undefined) expect(v, param).not.to.have.property('default');
      else expect(v.default, param).to.equal(isBool ? p.Default === 'true' : type === 'number' ? Number(p.Default) : p.Default);
    }
  });

  it("enforces each parameter's constraints in a validation block", () => {
    for (const [param, p] of Object.entries(t.Parameters ?? {})) {
      const name = snake(param);
      const conditions = (((tf.variables.get(name) as HclBody).validation as HclBody[] | undefined) ?? []).map((v) => String(v.condition));
      const all = conditions.join('\n');
      if (typeof p.AllowedPattern === 'string') {
        const m = /regex\("((?:[^"\\]|\\.)*)", var\.(\w+)\)/.exec(all);
        expect(m, `${name} regex`).to.not.equal(null);
        expect(JSON.parse(`"${m?.[1]}"`), `${name} pattern`).to.equal(p.AllowedPattern);
        expect(m?.[2]).to.equal(name);
      }
      if (p.Type === 'Number' && p.AllowedValues) {
        const m = /contains\(\[([\d, ]+)\], var\.(\w+)\)/.exec(all);
        expect(m?.[1]?.split(',').map(Number), `${name} allowed values`).to.deep.equal(p.AllowedValues.map(Number));
      }
      if (p.MinValue !== undefined) expect(all, name).to.include(`var.${name} >= ${String(p.MinValue)}`);
      if (p.MaxValue !== undefined) expect(all, name).to.include(`var.${name} <= ${String(p.MaxValue)}`);
      if (p.MaxLength !== undefined) expect(all, name).to.include(`length(var.${name}) <= ${String(p.MaxLength)}`);
      if (p.MinLength !== undefined && p.AllowedPattern === undefined) expect(all, name).to.include(`length(var.${name}) >= ${String(p.MinLength)}`);
      for (const c of conditions) expect(c, `${name}: a condition refers to its own variable`).to.include(`var.${name}`);
    }
  });

  it('keeps an encrypted, on-demand, point-in-time-recoverable table keyed by id, protected by prevent_destroy', () => {
    const cfn = cfnOnly(t, 'AWS::DynamoDB::Table');
    expect(cfn.DeletionPolicy).to.equal('Retain');
    const c = cfnProps(cfn);
    const [, table] = onlyResource(tf, 'aws_dynamodb_table');
    expect(table.name).to.equal(asTerraform(t, c.TableName));
    expect(table.billing_mode).to.equal(c.BillingMode);
    const keySchema = c.KeySchema as { AttributeName: string; KeyType: string }[];
    expect(keySchema).to.deep.equal([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(table.hash_key).to.equal(keySchema[0]?.AttributeName);
    expect(table).not.to.have.property('range_key');
    const attributes = (c.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]).map((a) => ({ name: a.AttributeName, type: a.AttributeType }));
    expect(table.attribute).to.deep.equal(attributes);
    expect(block(table, 'server_side_encryption')).to.deep.equal({ enabled: (c.SSESpecification as { SSEEnabled: boolean }).SSEEnabled });
    expect(block(table, 'point_in_time_recovery')).to.deep.equal({ enabled: (c.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled: boolean }).PointInTimeRecoveryEnabled });
    expect(block(table, 'lifecycle').prevent_destroy).to.equal(true);
  });

  it('writes every IAM policy as an aws_iam_policy_document, none with "*" in an action or a resource', () => {
    const statements = policyStatements(tf);
    expect(statements.length).to.be.at.least(4);
    for (const { doc, statement } of statements) {
      expect(statement, doc).not.to.have.any.keys('not_actions', 'not_resources', 'not_principals');
      expect(statement.effect ?? 'Allow', doc).to.equal('Allow');
      for (const action of (statement.actions as string[] | undefined) ?? []) expect(action, doc).not.to.include('*');
      for (const resource of (statement.resources as string[] | undefined) ?? []) {
        // The one allowed "*": the ":*" after a log group ARN (its log streams; the provider's arn
        // attribute drops the suffix the template's !GetAtt LogGroup.Arn carries).
        if (/^\$\{aws_cloudwatch_log_group\.\w+\.arn\}:\*$/.test(resource)) continue;
        expect(resource, doc).not.to.include('*');
      }
    }
    for (const [name, role] of resourcesOf(tf, 'aws_iam_role')) {
      expect(role, name).not.to.have.any.keys('inline_policy', 'managed_policy_arns');
      docOf(role.assume_role_policy);
    }
    for (const policy of resourcesOf(tf, 'aws_iam_role_policy').values()) docOf(policy.policy as Hcl);
    expect(tf.resources.has('aws_iam_policy'), 'no customer managed policies').to.equal(false);
  });

  it('lets the function use only the five item actions on its table and write only to its own log group', () => {
    const cfnRole = cfnProps(t.Resources[((cfnProps(cfnOnly(t, 'AWS::Lambda::Function')).Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]) as string] as TemplateResource);
    const cfnActions = (cfnRole.Policies as { PolicyDocument: { Statement: { Action: string[] }[] } }[]).flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action));

    const [fnName, fn] = onlyResource(tf, 'aws_lambda_function');
    const roleName = /^aws_iam_role\.(\w+)\.arn$/.exec(reference(fn.role))?.[1] as string;
    expect(resourcesOf(tf, 'aws_iam_role').has(roleName), `role of ${fnName}`).to.equal(true);
    const documents = [...(tf.data.get('aws_iam_policy_document') ?? new Map<string, HclBody>())];
    const assume = documents.find(([n]) => n === docOf(resourcesOf(tf, 'aws_iam_role').get(roleName)?.assume_role_policy))?.[1];
    expect(block(assume, 'statement').principals).to.deep.equal([{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }]);

    const rolePolicies = [...resourcesOf(tf, 'aws_iam_role_policy')].filter(([, p]) => new RegExp(`^aws_iam_role\\.${roleName}\\.(id|name)$`).test(reference(p.role)));
    expect(rolePolicies.length).to.be.at.least(1);
    const attached = [...resourcesOf(tf, 'aws_iam_role_policy_attachment')].filter(([, a]) => String(a.role).includes(`aws_iam_role.${roleName}.`));
    expect(attached, 'no managed policy on the function role').to.deep.equal([]);
    const statements = rolePolicies.flatMap(([, p]) => (documents.find(([n]) => n === docOf(p.policy as Hcl))?.[1].statement as HclBody[]) ?? []);
    const actions = statements.flatMap((s) => s.actions as string[]);
    expect(actions.sort()).to.deep.equal([...cfnActions].sort());

    const [tableName] = onlyResource(tf, 'aws_dynamodb_table');
    const logGroup = /^aws_cloudwatch_log_group\.(\w+)\.name$/.exec(reference(block(fn, 'logging_config').log_group))?.[1];
    for (const s of statements) {
      const service = new Set((s.actions as string[]).map((a) => a.split(':')[0]));
      expect(service.size, 'one service per statement').to.equal(1);
      if (service.has('dynamodb')) expect(s.resources).to.deep.equal([`\${aws_dynamodb_table.${tableName}.arn}`]);
      else expect(s.resources).to.deep.equal([`\${aws_cloudwatch_log_group.${logGroup}.arn}:*`]);
    }
    // The function starts only once its policies exist (CloudFormation: inline Policies on the role).
    expect(fn.depends_on).to.have.members(rolePolicies.map(([n]) => `\${aws_iam_role_policy.${n}}`));
  });

  it('runs the same function as the template: runtime, architecture, handler, artifact, memory, timeout, TABLE_NAME, its own log group', () => {
    const c = cfnProps(cfnOnly(t, 'AWS::Lambda::Function'));
    const [, fn] = onlyResource(tf, 'aws_lambda_function');
    expect(fn.runtime).to.equal(c.Runtime);
    expect(fn.architectures).to.deep.equal(c.Architectures);
    expect(fn.handler).to.equal(c.Handler);
    const code = c.Code as Record<string, TemplateValue>;
    expect(fn.s3_bucket).to.equal(asTerraform(t, code.S3Bucket));
    expect(fn.s3_key).to.equal(asTerraform(t, code.S3Key));
    // The content-addressed key is what redeploys new code; nothing else may stand in for it.
    // (publish = true is the template's FunctionVersion: see the release.tf block below.)
    expect(fn).not.to.have.any.keys('source_code_hash', 'filename', 'image_uri', 's3_object_version');
    expect(fn.memory_size).to.equal(asTerraform(t, c.MemorySize));
    expect(fn.timeout).to.equal(asTerraform(t, c.Timeout));
    const [tableName] = onlyResource(tf, 'aws_dynamodb_table');
    expect((block(fn, 'environment').variables as HclBody).TABLE_NAME).to.equal(`\${aws_dynamodb_table.${tableName}.name}`);
    const logging = block(fn, 'logging_config');
    expect(logging.log_format).to.equal('Text');
    const groupName = /^aws_cloudwatch_log_group\.(\w+)\.name$/.exec(reference(logging.log_group))?.[1] as string;
    const cfnGroup = t.Resources[(c.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref] as TemplateResource;
    expect(resourcesOf(tf, 'aws_cloudwatch_log_group').get(groupName)?.retention_in_days).to.equal(asTerraform(t, cfnProps(cfnGroup).RetentionInDays));
  });

  it('serves the same routes as the template, each through an AWS_PROXY integration of the function', () => {
    const cfn = cfnRoutes(t);
    const routes = tfRoutes(tf);
    expect([...routes.keys()].sort()).to.deep.equal([...cfn.keys()].sort());
    const methods = resourcesOf(tf, 'aws_api_gateway_method');
    for (const [route, r] of routes) {
      const c = cfn.get(route) as Record<string, TemplateValue>;
      expect(r.request_parameters, route).to.deep.equal(c.RequestParameters ?? {});
      expect(c.AuthorizationType, `template ${route}`).to.deep.equal({ 'Fn::If': ['AuthIam', 'AWS_IAM', 'NONE'] });
      expect(methods.get(r.method)?.authorization, route).to.equal('${var.auth_mode == "AWS_IAM" ? "AWS_IAM" : "NONE"}');
      expect((c.Integration as { Type: string }).Type, `template ${route}`).to.equal('AWS_PROXY');
      expect(c.ApiKeyRequired, `template ${route}`).to.deep.equal({ 'Fn::If': ['ApiKeyEnabled', true, false] });
    }
    const [api] = onlyResource(tf, 'aws_api_gateway_rest_api');
    for (const [name, method] of methods) {
      expect(method.rest_api_id, name).to.equal(`\${aws_api_gateway_rest_api.${api}.id}`);
      expect(method.api_key_required, name).to.equal('${var.api_key_required}');
      // Each method resource has exactly one integration, for every instance (for_each over it).
      const integrations = [...resourcesOf(tf, 'aws_api_gateway_integration')].filter(([, i]) => i.for_each === `\${aws_api_gateway_method.${name}}`);
      expect(integrations, `integration of aws_api_gateway_method.${name}`).to.have.length(1);
      const [, integration] = integrations[0] as [string, HclBody];
      expect(integration.type).to.equal('AWS_PROXY');
      expect(integration.integration_http_method).to.equal('POST');
      // The `live` alias (release.tf), as the template's methods invoke FunctionLiveAlias.
      expect(integration.uri).to.equal('${aws_lambda_alias.live.invoke_arn}');
      expect(integration.resource_id).to.equal('${each.value.resource_id}');
      expect(integration.http_method).to.equal('${each.value.http_method}');
    }
    expect(resourcesOf(tf, 'aws_api_gateway_integration').size).to.equal(resourcesOf(tf, 'aws_api_gateway_method').size);
  });

  it('has a REGIONAL API and exactly one invoke permission, scoped to its stage in this account', () => {
    const [api, restApi] = onlyResource(tf, 'aws_api_gateway_rest_api');
    const cfnApi = cfnProps(cfnOnly(t, 'AWS::ApiGateway::RestApi'));
    expect(block(restApi, 'endpoint_configuration').types).to.deep.equal((cfnApi.EndpointConfiguration as { Types: string[] }).Types);
    const c = cfnProps(cfnOnly(t, 'AWS::Lambda::Permission'));
    const [, permission] = onlyResource(tf, 'aws_lambda_permission');
    const [fnName] = onlyResource(tf, 'aws_lambda_function');
    expect(permission.action).to.equal(c.Action);
    expect(permission.principal).to.equal(c.Principal);
    expect(permission.function_name).to.equal(`\${aws_lambda_function.${fnName}.function_name}`);
    expect(permission.qualifier).to.equal('${aws_lambda_alias.live.name}');
    expect(permission.source_account).to.equal('${data.aws_caller_identity.current.account_id}');
    expect(String((c.SourceArn as { 'Fn::Sub': string })['Fn::Sub'])).to.match(/\/\$\{StageName\}\/\*$/);
    expect(permission.source_arn).to.equal(`\${aws_api_gateway_rest_api.${api}.execution_arn}/\${var.stage_name}/*`);
  });

  it('redeploys whenever a resource, method or integration changes, creating the new deployment first', () => {
    const [deploymentName, deployment] = onlyResource(tf, 'aws_api_gateway_deployment');
    expect(deployment).not.to.have.property('stage_name');
    expect(block(deployment, 'lifecycle').create_before_destroy).to.equal(true);
    const trigger = (deployment.triggers as HclBody).redeployment as string;
    const m = /^\$\{sha1\(jsonencode\(\[(.*)\]\)\)\}$/.exec(trigger);
    expect(m, trigger).to.not.equal(null);
    const hashed = (m?.[1] as string).split(',').map((s) => s.trim());
    const expected = ['aws_api_gateway_resource', 'aws_api_gateway_method', 'aws_api_gateway_integration'].flatMap((type) => [...resourcesOf(tf, type).keys()].map((n) => `${type}.${n}`));
    expect(expected.length).to.equal(resourcesOf(tf, 'aws_api_gateway_resource').size + 2);
    expect(hashed).to.have.members(expected);
    const [, stage] = onlyResource(tf, 'aws_api_gateway_stage');
    expect(stage.deployment_id).to.equal(`\${aws_api_gateway_deployment.${deploymentName}.id}`);
  });

  it('runs the stage with the template’s throttling, metrics, logging level and JSON access log fields', () => {
    const c = cfnProps(cfnOnly(t, 'AWS::ApiGateway::Stage'));
    const [stageName, stage] = onlyResource(tf, 'aws_api_gateway_stage');
    expect(stage.stage_name).to.equal(asTerraform(t, c.StageName));

    const cfnSettings = (c.MethodSettings as Record<string, TemplateValue>[])[0] as Record<string, TemplateValue>;
    expect(cfnSettings).to.deep.include({ ResourcePath: '/*', HttpMethod: '*' });
    const [, methodSettings] = onlyResource(tf, 'aws_api_gateway_method_settings');
    expect(methodSettings.method_path).to.equal('*/*');
    expect(methodSettings.stage_name).to.equal(`\${aws_api_gateway_stage.${stageName}.stage_name}`);
    const s = block(methodSettings, 'settings');
    const pairs: [string, string][] = [
      ['throttling_rate_limit', 'ThrottlingRateLimit'],
      ['throttling_burst_limit', 'ThrottlingBurstLimit'],
      ['metrics_enabled', 'MetricsEnabled'],
      ['logging_level', 'LoggingLevel'],
      ['data_trace_enabled', 'DataTraceEnabled'],
    ];
    for (const [tfKey, cfnKey] of pairs) expect(s[tfKey], tfKey).to.deep.equal(asTerraform(t, cfnSettings[cfnKey]));

    const access = block(stage, 'access_log_settings');
    const body = /^\$\{jsonencode\(\{(.*)\}\)\}$/s.exec(String(access.format))?.[1] ?? '';
    const fields: Record<string, string> = {};
    const items = body.split(',').map((x) => x.trim()).filter((x) => x !== '');
    for (const item of items) {
      const m = /^(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"$/.exec(item);
      expect(m, `access log field ${item}`).to.not.equal(null);
      fields[m?.[1] as string] = JSON.parse(`"${m?.[2]}"`) as string;
    }
    const cfnAccess = c.AccessLogSetting as { Format: string; DestinationArn: { 'Fn::GetAtt': string[] } };
    expect(fields).to.deep.equal(JSON.parse(cfnAccess.Format));
    const group = /^aws_cloudwatch_log_group\.(\w+)\.arn$/.exec(reference(access.destination_arn))?.[1] as string;
    const cfnGroup = t.Resources[cfnAccess.DestinationArn['Fn::GetAtt'][0] as string] as TemplateResource;
    expect(resourcesOf(tf, 'aws_cloudwatch_log_group').get(group)?.retention_in_days).to.equal(asTerraform(t, cfnProps(cfnGroup).RetentionInDays));
  });

  it('sets the account logging role only when configure_api_gateway_account is true, and the stage waits for it', () => {
    const when = '${var.configure_api_gateway_account ? 1 : 0}';
    const [accountName, account] = onlyResource(tf, 'aws_api_gateway_account');
    expect(account.count).to.equal(when);
    const roleName = /^aws_iam_role\.(\w+)\[0\]\.arn$/.exec(reference(account.cloudwatch_role_arn))?.[1] as string;
    const role = resourcesOf(tf, 'aws_iam_role').get(roleName) as HclBody;
    expect(role.count).to.equal(when);
    const assume = tf.data.get('aws_iam_policy_document')?.get(docOf(role.assume_role_policy));
    expect(block(assume, 'statement').principals).to.deep.equal([{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }]);
    // The template's one managed-policy exception, on the same role only.
    const cfnRole = cfnProps(t.Resources[(cfnProps(cfnOnly(t, 'AWS::ApiGateway::Account')).CloudWatchRoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string] as TemplateResource);
    const cfnPolicy = String((cfnRole.ManagedPolicyArns as { 'Fn::Sub': string }[])[0]?.['Fn::Sub']).replace('${AWS::Partition}', '${data.aws_partition.current.partition}');
    // (release.tf attaches CodeDeploy's policy to its own role.)
    const attachment = resourcesOf(tf, 'aws_iam_role_policy_attachment').get('apigateway_cloudwatch') as HclBody;
    expect(attachment.count).to.equal(when);
    expect(attachment.role).to.equal(`\${aws_iam_role.${roleName}[0].name}`);
    expect(attachment.policy_arn).to.equal(cfnPolicy);
    const [, stage] = onlyResource(tf, 'aws_api_gateway_stage');
    expect(stage.depends_on).to.include(`\${aws_api_gateway_account.${accountName}}`);
  });

  it('creates the API key, a usage plan with the stage throttling and their link only when api_key_required is true', () => {
    const when = '${var.api_key_required ? 1 : 0}';
    const [keyName, key] = onlyResource(tf, 'aws_api_gateway_api_key');
    const [planName, plan] = onlyResource(tf, 'aws_api_gateway_usage_plan');
    const [, link] = onlyResource(tf, 'aws_api_gateway_usage_plan_key');
    for (const r of [key, plan, link]) expect(r.count).to.equal(when);
    expect(key.enabled).to.equal(true);
    expect(link).to.deep.include({ key_id: `\${aws_api_gateway_api_key.${keyName}[0].id}`, key_type: 'API_KEY', usage_plan_id: `\${aws_api_gateway_usage_plan.${planName}[0].id}` });
    const [api] = onlyResource(tf, 'aws_api_gateway_rest_api');
    const [stageName] = onlyResource(tf, 'aws_api_gateway_stage');
    expect(block(plan, 'api_stages')).to.deep.equal({ api_id: `\${aws_api_gateway_rest_api.${api}.id}`, stage: `\${aws_api_gateway_stage.${stageName}.stage_name}` });
    const cfnThrottle = cfnProps(cfnOnly(t, 'AWS::ApiGateway::UsagePlan')).Throttle as Record<string, TemplateValue>;
    expect(block(plan, 'throttle_settings')).to.deep.equal({ rate_limit: asTerraform(t, cfnThrottle.RateLimit), burst_limit: asTerraform(t, cfnThrottle.BurstLimit) });
  });

  it('has the template’s outputs in snake_case, URLs built from the stage URL, and never the API key value', () => {
    const outputs = t.Outputs ?? {};
    expect([...tf.outputs.keys()].sort()).to.deep.equal(Object.keys(outputs).map(snake).sort());
    const [stageName] = onlyResource(tf, 'aws_api_gateway_stage');
    const base = `\${aws_api_gateway_stage.${stageName}.invoke_url}`;
    const cfnBase = String((outputs.ApiEndpoint?.Value as { 'Fn::Sub': string })['Fn::Sub']);
    for (const name of ['ApiEndpoint', 'DynamoDBManagerUrl', 'ItemsUrl']) {
      const sub = String((outputs[name]?.Value as { 'Fn::Sub': string })['Fn::Sub']);
      expect(sub.startsWith(cfnBase), name).to.equal(true);
      expect(tf.outputs.get(snake(name))?.value, name).to.equal(base + sub.slice(cfnBase.length));
    }
    const [table] = onlyResource(tf, 'aws_dynamodb_table');
    const [fn] = onlyResource(tf, 'aws_lambda_function');
    const [key] = onlyResource(tf, 'aws_api_gateway_api_key');
    expect(tf.outputs.get('table_name')?.value).to.equal(`\${aws_dynamodb_table.${table}.name}`);
    expect(tf.outputs.get('function_name')?.value).to.equal(`\${aws_lambda_function.${fn}.function_name}`);
    expect(tf.outputs.get('api_key_id')?.value).to.equal(`\${one(aws_api_gateway_api_key.${key}[*].id)}`);
    for (const [name, output] of tf.outputs) {
      expect(output.description, name).to.be.a('string').and.not.equal('');
      expect(String(output.value), name).not.to.match(/\.value\b/);
    }
  });
});

describe('infra/terraform/release.tf (parity with FunctionVersion and FunctionLiveAlias)', () => {
  let t: CfnTemplate;
  let tf: TerraformConfig;
  before(async () => {
    ({ tf, t } = await loadBoth());
  });

  it('publishes a version per change and points a `live` alias at it, as the template does', () => {
    const [fnName, fn] = onlyResource(tf, 'aws_lambda_function');
    expect(fn.publish).to.equal(true);
    const version = cfnProps(cfnOnly(t, 'AWS::Lambda::Version'));
    const alias = cfnProps(cfnOnly(t, 'AWS::Lambda::Alias'));
    const [cfnFn] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
    expect(version.FunctionName).to.deep.equal({ Ref: cfnFn });
    expect(alias.FunctionName).to.deep.equal({ Ref: cfnFn });
    const [aliasName, tfAlias] = onlyResource(tf, 'aws_lambda_alias');
    expect(tfAlias.name).to.equal(alias.Name);
    expect(tfAlias.function_name).to.equal(`\${aws_lambda_function.${fnName}.function_name}`);
    expect(tfAlias.function_version).to.equal(`\${aws_lambda_function.${fnName}.version}`);
    expect(tf.outputs.get('function_alias_arn')?.value).to.equal(`\${aws_lambda_alias.${aliasName}.arn}`);
    expect(t.Outputs?.FunctionAliasArn?.Value).to.deep.equal({ Ref: 'FunctionLiveAlias' });
  });

  it('creates the CodeDeploy application, role and deployment group only for a gradual DeploymentPreference, with the same configuration', () => {
    expect(t.Conditions?.GradualDeployment).to.deep.equal({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'DeploymentPreference' }, 'AllAtOnce'] }] });
    for (const id of ['CodeDeployApplication', 'CodeDeployRole', 'FunctionDeploymentGroup']) expect(t.Resources[id]?.Condition, id).to.equal('GradualDeployment');
    const group = cfnProps(cfnOnly(t, 'AWS::CodeDeploy::DeploymentGroup'));
    const [, tfGroup] = onlyResource(tf, 'aws_codedeploy_deployment_group');
    for (const type of ['aws_codedeploy_app', 'aws_iam_role_policy_attachment', 'aws_codedeploy_deployment_group']) {
      for (const [name, r] of resourcesOf(tf, type)) if (name === 'function' || name === 'codedeploy') expect(r.count, `${type}.${name}`).to.equal('${var.deployment_preference == "AllAtOnce" ? 0 : 1}');
    }
    expect(group.DeploymentConfigName).to.deep.equal({ 'Fn::Sub': 'CodeDeployDefault.Lambda${DeploymentPreference}' });
    expect(tfGroup.deployment_config_name).to.equal('CodeDeployDefault.Lambda${var.deployment_preference}');
    const style = group.DeploymentStyle as Record<string, string>;
    expect(block(tfGroup, 'deployment_style')).to.deep.include({ deployment_type: style.DeploymentType, deployment_option: style.DeploymentOption });
    const rollback = group.AutoRollbackConfiguration as { Enabled: boolean; Events: string[] };
    expect(block(tfGroup, 'auto_rollback_configuration')).to.deep.include({ enabled: rollback.Enabled, events: rollback.Events });
    const alias = cfnOnly(t, 'AWS::Lambda::Alias');
    expect(alias.UpdatePolicy).to.deep.equal({
      CodeDeployLambdaAliasUpdate: { 'Fn::If': ['GradualDeployment', { ApplicationName: { Ref: 'CodeDeployApplication' }, DeploymentGroupName: { Ref: 'FunctionDeploymentGroup' } }, { Ref: 'AWS::NoValue' }] },
    });
  });
});

describe('test/support/hcl2json.py', () => {
  it('refuses a file that is not valid HCL, naming the file and the line', async () => {
    await withTempDir('hcl-', async (dir) => {
      await writeFile(join(dir, 'good.tf'), 'variable "a" {\n  default = 1\n}\n');
      await writeFile(join(dir, 'broken.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n');
      const err = await parseDirectory(dir).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.match(/broken\.tf: .*line 2/);
      await rm(join(dir, 'broken.tf'));
      expect((await parseDirectory(dir))['good.tf']).to.deep.equal({ variable: [{ a: { default: 1 } }] });
    });
  });
});
