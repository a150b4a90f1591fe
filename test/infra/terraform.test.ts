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

/** The path of a template resource id (`{Ref: ItemResource}` -> `/items/{id}`; the root is ''), walking ParentId. */
function cfnPathOf(t: CfnTemplate, id: TemplateValue | undefined): string {
  const ref = (id as { Ref?: string } | null)?.Ref;
  if (ref === undefined) return '';
  const p = cfnProps(t.Resources[ref] as TemplateResource);
  return `${cfnPathOf(t, p.ParentId)}/${String(p.PathPart)}`;
}

/** "METHOD /path" -> the method's Properties, walking ResourceId -> ParentId. */
function cfnRoutes(t: CfnTemplate): Map<string, Record<string, TemplateValue>> {
  const pathOf = (id: TemplateValue | undefined) => cfnPathOf(t, id);
  const out = new Map<string, Record<string, TemplateValue>>();
  for (const [, method] of cfnResources(t, 'AWS::ApiGateway::Method')) {
    const p = cfnProps(method);
    // The CORS preflights (OPTIONS MOCK methods) have their own describe block.
    if (p.HttpMethod === 'OPTIONS') continue;
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
    if (method.http_method === 'OPTIONS') continue;
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
  // `[0]`: a document that exists only in some modes (count), like its role policy.
  const match = /^data\.aws_iam_policy_document\.(\w+)(?:\[0\])?\.json$/.exec(reference(policyJson));
  expect(match, `policy ${String(policyJson)}`).to.not.equal(null);
  return match?.[1] as string;
}

/**
 * The blocks a `dynamic "<name>"` makes, for the one shape used here: for_each over a local list
 * of strings, content using `<name>.value` and `lower(<name>.value)`.
 */
function expandDynamic(tf: TerraformConfig, body: HclBody, name: string): HclBody[] {
  const blocks = ((body.dynamic as HclBody[] | undefined) ?? []).map((d) => d[name] as HclBody | undefined).filter((d): d is HclBody => d !== undefined);
  return blocks.flatMap((d) => {
    const local = /^\$\{local\.(\w+)\}$/.exec(String(d.for_each))?.[1];
    const values = tf.locals.get(local ?? '') as string[] | undefined;
    expect(values, `${name} for_each ${String(d.for_each)}`).to.be.an('array');
    const content = JSON.stringify(block(d, 'content'));
    return values!.map((v) => JSON.parse(content.split(`\${lower(${name}.value)}`).join(v.toLowerCase()).split(`\${${name}.value}`).join(v)) as HclBody);
  });
}

/** The Terraform configuration and the template, read for a describe block. */
async function readBoth(): Promise<{ tf: TerraformConfig; t: CfnTemplate }> {
  const [files, text] = await Promise.all([parseDirectory(terraformDir), readFile(join(root, 'infra', 'cfn', 'template.yaml'), 'utf8')]);
  return { tf: mergeFiles(files), t: parseTemplate(text, { file: 'infra/cfn/template.yaml' }) };
}

describe('infra/terraform', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await readBoth());
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
      if (typeof p.AllowedPattern === 'string' && p.Type === 'CommaDelimitedList') {
        // A comma-separated string variable: the pattern applies to each value, as CloudFormation's.
        const m = /regex\("((?:[^"\\]|\\.)*)", trimspace\((\w+)\)\)/.exec(all);
        expect(m, `${name} regex`).to.not.equal(null);
        expect(JSON.parse(`"${m?.[1]}"`), `${name} pattern`).to.equal(p.AllowedPattern);
        expect(all).to.include(`for ${m?.[2]} in split(",", var.${name})`);
      } else if (typeof p.AllowedPattern === 'string') {
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
    // Which key encrypts it: the 'infra/terraform security' block below.
    expect(block(table, 'server_side_encryption')).to.deep.include({ enabled: (c.SSESpecification as { SSEEnabled: boolean }).SSEEnabled });
    expect(block(table, 'point_in_time_recovery')).to.deep.equal({ enabled: (c.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled: boolean }).PointInTimeRecoveryEnabled });
    expect(block(table, 'lifecycle').prevent_destroy).to.equal(true);
  });

  it('writes every IAM policy as an aws_iam_policy_document, none with "*" in an action or a resource', () => {
    const statements = policyStatements(tf);
    expect(statements.length).to.be.at.least(4);
    // Two documented exceptions: a KMS key policy, whose Resource "*" means the key it is attached
    // to (and whose account administration may be the default kms:*); and X-Ray's write actions,
    // which take no resource-level permissions.
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
    const keyPolicies = new Set([...resourcesOf(tf, 'aws_kms_key').values()].map((k) => docOf(k.policy as Hcl)));
    for (const { doc, statement } of statements) {
      expect(statement, doc).not.to.have.any.keys('not_actions', 'not_resources', 'not_principals');
      expect(statement.effect ?? 'Allow', doc).to.equal('Allow');
      if (keyPolicies.has(doc)) {
        expect(statement.resources, doc).to.deep.equal(['*']);
        for (const p of (statement.principals as HclBody[] | undefined) ?? []) expect(p.identifiers, doc).not.to.include('*');
        continue;
      }
      const actions = (statement.actions as string[] | undefined) ?? [];
      if (actions.length > 0 && actions.every((a) => ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'].includes(a))) {
        expect(statement.resources, doc).to.deep.equal(['*']);
        continue;
      }
      for (const action of actions) expect(action, doc).not.to.include('*');
      for (const resource of (statement.resources as string[] | undefined) ?? []) {
        // The one allowed "*": the ":*" after a log group ARN (its log streams; the provider's arn
        // attribute drops the suffix the template's !GetAtt LogGroup.Arn carries).
        if (/^\$\{aws_cloudwatch_log_group\.\w+\.arn\}:\*$/.test(resource)) continue;
        // And the invoke policy's "any method, any path" of this API's stage (identity block below).
        if (resource === '${aws_api_gateway_rest_api.api.execution_arn}/${var.stage_name}/*/*') continue;
        expect(resource, doc).not.to.include('*');
      }
    }
    for (const [name, role] of resourcesOf(tf, 'aws_iam_role')) {
      expect(role, name).not.to.have.any.keys('inline_policy', 'managed_policy_arns');
      docOf(role.assume_role_policy);
    }
    for (const policy of resourcesOf(tf, 'aws_iam_role_policy').values()) docOf(policy.policy as Hcl);
    // The one customer managed policy is the optional invoke policy (identity block below).
    expect([...(tf.resources.get('aws_iam_policy')?.keys() ?? [])], 'customer managed policies').to.deep.equal(['invoke']);
  });

  it('lets the function use only the five item actions on its table and write only to its own log group', () => {
    const cfnRole = cfnProps(t.Resources[((cfnProps(cfnOnly(t, 'AWS::Lambda::Function')).Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]) as string] as TemplateResource);
    // Every policy the role can have: its own, and AWS::IAM::Policy resources on it (in some modes only).
    type CfnPolicy = { PolicyDocument: { Statement: { Action: string[] }[] } };
    const roleId = ((cfnProps(cfnOnly(t, 'AWS::Lambda::Function')).Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]) as string;
    const attachedPolicies = cfnResources(t, 'AWS::IAM::Policy')
      .map(([, r]) => cfnProps(r))
      .filter((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]));
    const cfnPolicies = [...(cfnRole.Policies as CfnPolicy[]), ...(attachedPolicies as unknown as CfnPolicy[])];
    const cfnActions = cfnPolicies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action));

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
      else if (service.has('kms')) expect(s.resources).to.deep.equal(['${local.table_kms_key_arn}']);
      else if (service.has('xray')) expect(s.resources).to.deep.equal(['*']);
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
    expect(logging.log_format).to.equal((c.LoggingConfig as { LogFormat?: string }).LogFormat ?? 'Text');
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
      expect(c.AuthorizationType, `template ${route}`).to.deep.equal({ 'Fn::If': ['AuthIam', 'AWS_IAM', { 'Fn::If': ['AuthCognito', 'COGNITO_USER_POOLS', 'NONE'] }] });
      expect(methods.get(r.method)?.authorization, route).to.equal('${var.auth_mode == "AWS_IAM" ? "AWS_IAM" : (local.auth_cognito ? "COGNITO_USER_POOLS" : "NONE")}');
      expect((c.Integration as { Type: string }).Type, `template ${route}`).to.equal('AWS_PROXY');
      expect(c.ApiKeyRequired, `template ${route}`).to.deep.equal({ 'Fn::If': ['ApiKeyEnabled', true, false] });
    }
    const [api] = onlyResource(tf, 'aws_api_gateway_rest_api');
    for (const [name, method] of methods) {
      if (method.http_method === 'OPTIONS') continue;
      expect(method.rest_api_id, name).to.equal(`\${aws_api_gateway_rest_api.${api}.id}`);
      expect(method.api_key_required, name).to.equal('${local.api_key_enabled}');
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

  it('redeploys whenever a resource, method, integration or the contract changes, creating the new deployment first', () => {
    const [deploymentName, deployment] = onlyResource(tf, 'aws_api_gateway_deployment');
    expect(deployment).not.to.have.property('stage_name');
    expect(block(deployment, 'lifecycle').create_before_destroy).to.equal(true);
    const trigger = (deployment.triggers as HclBody).redeployment as string;
    const m = /^\$\{sha1\(jsonencode\(\[(.*)\]\)\)\}$/.exec(trigger);
    expect(m, trigger).to.not.equal(null);
    const hashed = (m?.[1] as string).split(',').map((s) => s.trim());
    // The routes, the CORS preflights and gateway responses (cors.tf) and the contract (contract.tf)
    // are all part of the deployed snapshot, as they are in the template's Deployment hash.
    const snapshotTypes = [
      'aws_api_gateway_resource',
      'aws_api_gateway_method',
      'aws_api_gateway_method_response',
      'aws_api_gateway_integration',
      'aws_api_gateway_integration_response',
      'aws_api_gateway_gateway_response',
      'aws_api_gateway_model',
      'aws_api_gateway_request_validator',
    ];
    for (const type of snapshotTypes) expect(resourcesOf(tf, type).size, type).to.be.greaterThan(0);
    const expected = snapshotTypes.flatMap((type) => [...resourcesOf(tf, type).keys()].map((n) => `${type}.${n}`));
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

  it('creates the API key, a usage plan with the stage throttling and their link only when a key is required', () => {
    const when = '${local.api_key_enabled ? 1 : 0}';
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

describe('infra/terraform (identity: auth modes, quotas, the invoke policy)', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await readBoth());
  });

  it('defaults to AWS_IAM in both, and asks for API keys on AuthMode API_KEY or the older ApiKeyRequired', () => {
    expect(t.Parameters?.AuthMode?.Default).to.equal('AWS_IAM');
    expect(tf.variables.get('auth_mode')?.default).to.equal('AWS_IAM');
    expect(t.Conditions?.AuthApiKey).to.deep.equal({ 'Fn::Equals': [{ Ref: 'AuthMode' }, 'API_KEY'] });
    expect(t.Conditions?.ApiKeyEnabled).to.deep.equal({ 'Fn::Or': [{ Condition: 'AuthApiKey' }, { 'Fn::Equals': [{ Ref: 'ApiKeyRequired' }, 'true'] }] });
    expect(tf.locals.get('api_key_enabled')).to.equal('${var.auth_mode == "API_KEY" || var.api_key_required}');
  });

  it("sets the usage plan's quota from the same parameters, only when the limit is not 0", () => {
    const cfnQuota = cfnProps(cfnOnly(t, 'AWS::ApiGateway::UsagePlan')).Quota;
    expect(t.Conditions?.HasUsagePlanQuota).to.deep.equal({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'UsagePlanQuotaLimit' }, 0] }] });
    expect(cfnQuota).to.deep.equal({ 'Fn::If': ['HasUsagePlanQuota', { Limit: { Ref: 'UsagePlanQuotaLimit' }, Period: { Ref: 'UsagePlanQuotaPeriod' } }, { Ref: 'AWS::NoValue' }] });
    const [, plan] = onlyResource(tf, 'aws_api_gateway_usage_plan');
    const quota = block(plan, 'dynamic').quota_settings as HclBody;
    expect(quota.for_each).to.equal('${var.usage_plan_quota_limit != 0 ? [1] : []}');
    expect(block(quota, 'content')).to.deep.equal({ limit: '${var.usage_plan_quota_limit}', period: '${var.usage_plan_quota_period}' });
  });

  it('creates the invoke policy (execute-api:Invoke on this stage only) and its output only with AWS_IAM', () => {
    const cfn = cfnOnly(t, 'AWS::IAM::ManagedPolicy');
    expect(cfn.Condition).to.equal('AuthIam');
    const statement = (cfnProps(cfn).PolicyDocument as { Statement: { Effect: string; Action: string; Resource: { 'Fn::Sub': string } }[] }).Statement;
    expect(statement).to.deep.equal([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${StageName}/*/*' } }]);
    expect(t.Outputs?.InvokePolicyArn).to.deep.include({ Condition: 'AuthIam', Value: { Ref: 'InvokePolicy' } });
    const policy = resourcesOf(tf, 'aws_iam_policy').get('invoke')!;
    expect(policy.count).to.equal('${var.auth_mode == "AWS_IAM" ? 1 : 0}');
    expect(policy.policy).to.equal('${data.aws_iam_policy_document.invoke.json}');
    const doc = tf.data.get('aws_iam_policy_document')?.get('invoke');
    expect(doc?.statement).to.deep.equal([{ effect: 'Allow', actions: ['execute-api:Invoke'], resources: ['${aws_api_gateway_rest_api.api.execution_arn}/${var.stage_name}/*/*'] }]);
    expect(tf.outputs.get('invoke_policy_arn')?.value).to.equal('${one(aws_iam_policy.invoke[*].arn)}');
  });
});

describe('infra/terraform/release.tf (parity with FunctionVersion and FunctionLiveAlias)', () => {
  let t: CfnTemplate;
  let tf: TerraformConfig;
  before(async () => {
    ({ tf, t } = await readBoth());
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
    // Stopped by the composite alarm in both.
    expect(group.AlarmConfiguration).to.deep.equal({ Enabled: true, Alarms: [{ Name: { Ref: 'ApiUnhealthyAlarm' } }] });
    expect(block(tfGroup, 'alarm_configuration')).to.deep.include({ enabled: true, alarms: ['${aws_cloudwatch_composite_alarm.api_unhealthy.alarm_name}'] });
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

describe('infra/terraform/contract.tf', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await readBoth());
  });

  it("has the template's models, each schema read from the contract file the template's Model names", () => {
    const cfn = cfnResources(t, 'AWS::ApiGateway::Model').map(([, r]) => cfnProps(r));
    const files = tf.locals.get('contract_models') as Record<string, string>;
    expect(Object.fromEntries(cfn.map((p) => [String(p.Name), String(p.Description).replace('handler/contract/', '')]))).to.deep.equal(files);
    const [name, model] = onlyResource(tf, 'aws_api_gateway_model');
    expect(model.for_each, name).to.equal('${local.contract_models}');
    expect(model.name).to.equal('${each.key}');
    expect(model.content_type).to.equal('application/json');
    expect(model.schema).to.equal('${file("${path.module}/../../handler/contract/${each.value}")}');
  });

  it("validates each route as the template's method does: the same validator flags and body model", () => {
    const validators = resourcesOf(tf, 'aws_api_gateway_request_validator');
    expect(validators.size).to.equal(1);
    const [, v] = [...validators][0] as [string, HclBody];
    const flags = v.for_each as Record<string, { name: string; body: boolean }>;
    const byName = (n: string) => Object.values(flags).find((f) => f.name === n);
    for (const [, r] of cfnResources(t, 'AWS::ApiGateway::RequestValidator')) {
      const p = cfnProps(r);
      expect(byName(String(p.Name))?.body, String(p.Name)).to.equal(p.ValidateRequestBody);
      expect(p.ValidateRequestParameters).to.equal(true);
    }
    expect(v.validate_request_parameters).to.equal(true);
    const contract = tf.locals.get('route_contract') as Record<string, { validator: string; model: string | null; responses: Record<string, string> }>;
    const cfnRoute = cfnRoutes(t);
    expect(Object.keys(contract).sort()).to.deep.equal([...cfnRoute.keys()].sort());
    for (const [route, c] of Object.entries(contract)) {
      const p = cfnRoute.get(route)!;
      const validatorName = String(cfnProps(t.Resources[(p.RequestValidatorId as { Ref: string }).Ref]!).Name);
      expect(flags[c.validator]?.name, route).to.equal(validatorName);
      const model = (p.RequestModels as { $default?: { Ref: string } } | undefined)?.$default?.Ref;
      expect(c.model, route).to.equal(model === undefined ? null : String(cfnProps(t.Resources[model]!).Name));
      const responses = p.MethodResponses as { StatusCode: string; ResponseModels?: { 'application/json': { Ref: string } } }[];
      const expected = Object.fromEntries(responses.map((r) => [r.StatusCode, r.ResponseModels ? String(cfnProps(t.Resources[r.ResponseModels['application/json'].Ref]!).Name) : '']));
      expect(c.responses, route).to.deep.equal(expected);
    }
    const method = resourcesOf(tf, 'aws_api_gateway_method').get('route')!;
    expect(method.request_validator_id).to.equal('${aws_api_gateway_request_validator.contract[local.route_contract[each.key].validator].id}');
    expect(method.request_models).to.equal('${local.route_contract[each.key].model == null ? {} : {"$default" = aws_api_gateway_model.contract[local.route_contract[each.key].model].name}}');
  });
});

describe('infra/terraform security (issue 11 section 3: keys, deletion protection, concurrency, WAF)', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await readBoth());
  });
  const ifOf = (value: TemplateValue | undefined) => (value as { 'Fn::If': TemplateValue[] })['Fn::If'];
  const keyPolicyStatements = (doc: HclBody) => ((doc.statement as HclBody[]) ?? []).map((s) => ({ sid: s.sid, actions: s.actions, principals: s.principals }));

  it('encrypts the table with the key table_kms_key names, and protects it from deletion when table_deletion_protection is true', () => {
    const c = cfnProps(cfnOnly(t, 'AWS::DynamoDB::Table'));
    const sse = c.SSESpecification as Record<string, TemplateValue>;
    expect(ifOf(sse.KMSMasterKeyId)).to.deep.equal(['TableKeyCustomer', { 'Fn::If': ['CreateTableKey', { 'Fn::GetAtt': ['TableKey', 'Arn'] }, { Ref: 'TableKmsKey' }] }, { Ref: 'AWS::NoValue' }]);
    expect(t.Conditions?.CreateTableKey).to.deep.equal({ 'Fn::Equals': [{ Ref: 'TableKmsKey' }, 'CREATE'] });
    expect(t.Conditions?.TableKeyAwsManaged).to.deep.equal({ 'Fn::Equals': [{ Ref: 'TableKmsKey' }, 'AWS_MANAGED'] });
    expect(c.DeletionProtectionEnabled).to.deep.equal({ 'Fn::If': ['TableDeletionProtected', true, false] });
    const [, table] = onlyResource(tf, 'aws_dynamodb_table');
    expect(block(table, 'server_side_encryption')).to.deep.equal({ enabled: true, kms_key_arn: '${local.table_kms_key_arn}' });
    expect(table.deletion_protection_enabled).to.equal('${var.table_deletion_protection}');
    expect(tf.locals.get('table_kms_key_arn')).to.equal('${var.table_kms_key == "CREATE" ? aws_kms_key.table[0].arn : var.table_kms_key == "AWS_MANAGED" ? null : var.table_kms_key}');
  });

  it('creates a rotated, retained key with the same key policy only when table_kms_key is CREATE, and encrypts both log groups with it', () => {
    const cfnKey = t.Resources.TableKey as TemplateResource;
    expect(cfnKey.Condition).to.equal('CreateTableKey');
    expect(cfnKey.DeletionPolicy).to.equal('Retain');
    const key = resourcesOf(tf, 'aws_kms_key').get('table') as HclBody;
    expect(key.count).to.equal('${var.table_kms_key == "CREATE" ? 1 : 0}');
    expect(key.enable_key_rotation).to.equal(cfnProps(cfnKey).EnableKeyRotation).and.to.equal(true);
    expect(block(key, 'lifecycle').prevent_destroy, 'the twin of DeletionPolicy Retain').to.equal(true);

    const cfnStatements = ((cfnProps(cfnKey).KeyPolicy as { Statement: Record<string, TemplateValue>[] }).Statement).map((s) => {
      const principal = s.Principal as { AWS?: TemplateValue; Service?: TemplateValue };
      return { sid: s.Sid, actions: s.Action, type: principal.AWS ? 'AWS' : 'Service', resource: s.Resource };
    });
    const doc = tf.data.get('aws_iam_policy_document')?.get(docOf(key.policy as Hcl)) as HclBody;
    const tfStatements = keyPolicyStatements(doc).map((s) => ({ sid: s.sid, actions: s.actions, type: (s.principals as HclBody[])[0]?.type, resource: '*' }));
    expect(tfStatements).to.deep.equal(cfnStatements);

    for (const logicalId of ['FunctionLogGroup', 'AccessLogGroup']) {
      expect(cfnProps(t.Resources[logicalId] as TemplateResource).KmsKeyId, logicalId).to.deep.equal({ 'Fn::If': ['CreateTableKey', { 'Fn::GetAtt': ['TableKey', 'Arn'] }, { Ref: 'AWS::NoValue' }] });
    }
    const groups = resourcesOf(tf, 'aws_cloudwatch_log_group');
    expect(groups.size).to.equal(2);
    for (const [name, group] of groups) expect(group.kms_key_id, name).to.equal('${local.logs_kms_key_arn}');
    expect(tf.locals.get('logs_kms_key_arn')).to.equal('${var.table_kms_key == "CREATE" ? aws_kms_key.table[0].arn : null}');
  });

  it('lets the function use a customer managed table key through DynamoDB only, in the modes that have one', () => {
    const cfnPolicy = t.Resources.FunctionTableKeyPolicy as TemplateResource;
    expect(cfnPolicy.Condition).to.equal('TableKeyCustomer');
    expect(t.Conditions?.TableKeyCustomer).to.deep.equal({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'TableKmsKey' }, 'AWS_MANAGED'] }] });
    expect(cfnProps(cfnPolicy).Roles).to.deep.equal([{ Ref: 'FunctionRole' }]);
    const cfnStatement = (cfnProps(cfnPolicy).PolicyDocument as { Statement: Record<string, TemplateValue>[] }).Statement[0] as Record<string, TemplateValue>;
    expect(cfnStatement.Resource).to.deep.equal({ 'Fn::If': ['CreateTableKey', { 'Fn::GetAtt': ['TableKey', 'Arn'] }, { Ref: 'TableKmsKey' }] });
    expect(cfnStatement.Condition).to.deep.equal({ StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'dynamodb.${AWS::Region}.amazonaws.com' } } });

    const policy = resourcesOf(tf, 'aws_iam_role_policy').get('table_key') as HclBody;
    expect(policy.count).to.equal('${var.table_kms_key == "AWS_MANAGED" ? 0 : 1}');
    const doc = tf.data.get('aws_iam_policy_document')?.get(docOf(policy.policy as Hcl)) as HclBody;
    expect(doc.count).to.equal(policy.count);
    const statement = block(doc, 'statement');
    expect(statement.actions).to.deep.equal(cfnStatement.Action);
    expect(statement.condition).to.deep.equal([{ test: 'StringEquals', variable: 'kms:ViaService', values: ['dynamodb.${data.aws_region.current.region}.amazonaws.com'] }]);
  });

  it('reserves concurrency only when reserved_concurrency is not -1', () => {
    const c = cfnProps(cfnOnly(t, 'AWS::Lambda::Function'));
    expect(c.ReservedConcurrentExecutions).to.deep.equal({ 'Fn::If': ['ReserveConcurrency', { Ref: 'ReservedConcurrency' }, { Ref: 'AWS::NoValue' }] });
    expect(t.Conditions?.ReserveConcurrency).to.deep.equal({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ReservedConcurrency' }, '-1'] }] });
    // The provider's -1 is "unreserved", the same as leaving the property out.
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#reserved_concurrent_executions-1
    const [, fn] = onlyResource(tf, 'aws_lambda_function');
    expect(fn.reserved_concurrent_executions).to.equal('${var.reserved_concurrency}');
  });

  it('puts the same WAF web ACL (rules, priorities, actions, rate limit) on the stage only when waf_enabled is true', () => {
    const acl = t.Resources.WebAcl as TemplateResource;
    expect(acl.Condition).to.equal('WafOn');
    const c = cfnProps(acl);
    const [aclName, webAcl] = onlyResource(tf, 'aws_wafv2_web_acl');
    expect(webAcl.count).to.equal('${var.waf_enabled ? 1 : 0}');
    expect(webAcl.scope).to.equal(c.Scope).and.to.equal('REGIONAL');
    expect(block(webAcl, 'default_action')).to.have.keys('allow');
    const cfnRules = (c.Rules as Record<string, TemplateValue>[]).map((r) => {
      const statement = r.Statement as {
        RateBasedStatement?: { Limit: TemplateValue; AggregateKeyType: string };
        ManagedRuleGroupStatement?: { VendorName: string; Name: string; RuleActionOverrides?: { Name: string; ActionToUse: Record<string, unknown> }[] };
      };
      const overrides = statement.ManagedRuleGroupStatement?.RuleActionOverrides?.map((o) => ({ name: o.Name, action_to_use: Object.keys(o.ActionToUse)[0]?.toLowerCase() }));
      return {
        name: r.Name,
        priority: r.Priority,
        action: r.Action ? 'block' : 'none',
        rate: statement.RateBasedStatement ? { limit: asTerraform(t, statement.RateBasedStatement.Limit), aggregate_key_type: statement.RateBasedStatement.AggregateKeyType } : null,
        managed: statement.ManagedRuleGroupStatement ? { vendor_name: statement.ManagedRuleGroupStatement.VendorName, name: statement.ManagedRuleGroupStatement.Name, overrides: overrides ?? [] } : null,
      };
    });
    const managedOf = (m: HclBody) => ({
      vendor_name: m.vendor_name,
      name: m.name,
      overrides: ((m.rule_action_override as HclBody[] | undefined) ?? []).map((o) => ({ name: o.name, action_to_use: Object.keys(block(o, 'action_to_use'))[0] })),
    });
    const tfRules = (webAcl.rule as HclBody[]).map((r) => {
      const statement = block(r, 'statement');
      return {
        name: r.name,
        priority: r.priority,
        action: r.action ? Object.keys(block(r, 'action'))[0] : `${Object.keys(block(r, 'override_action'))[0]}`,
        rate: statement.rate_based_statement ? block(statement, 'rate_based_statement') : null,
        managed: statement.managed_rule_group_statement ? managedOf(block(statement, 'managed_rule_group_statement')) : null,
      };
    });
    expect(tfRules).to.deep.equal(cfnRules);
    expect(cfnRules.map((r) => r.managed?.name)).to.include.members(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);

    const association = cfnProps(t.Resources.WebAclAssociation as TemplateResource);
    expect(association.ResourceArn).to.deep.equal({ 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}' });
    const [, link] = onlyResource(tf, 'aws_wafv2_web_acl_association');
    const [stageName] = onlyResource(tf, 'aws_api_gateway_stage');
    expect(link).to.deep.include({ count: '${var.waf_enabled ? 1 : 0}', resource_arn: `\${aws_api_gateway_stage.${stageName}.arn}`, web_acl_arn: `\${aws_wafv2_web_acl.${aclName}[0].arn}` });
  });
});

describe('infra/terraform CORS (cors.tf) against the template', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await readBoth());
  });

  /** The template's OPTIONS methods by resource path. */
  function cfnPreflights(): Map<string, Record<string, TemplateValue>> {
    const out = new Map<string, Record<string, TemplateValue>>();
    for (const [, method] of cfnResources(t, 'AWS::ApiGateway::Method')) {
      const p = cfnProps(method);
      if (p.HttpMethod !== 'OPTIONS') continue;
      expect(method.Condition).to.equal('CorsEnabled');
      out.set(cfnPathOf(t, p.ResourceId), p);
    }
    return out;
  }

  /** The string literals of an HCL expression, decoded. */
  const literals = (expression: string) => [...expression.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);

  it('is off unless origins are given, as the CorsEnabled condition', () => {
    expect(t.Conditions?.CorsEnabled).to.deep.equal({ 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'CorsAllowedOrigins' }] }, ''] }] });
    expect(tf.locals.get('cors_enabled')).to.equal('${length(local.cors_origins) > 0}');
    expect(tf.locals.get('cors_origins')).to.equal('${compact([for o in split(",", var.cors_allowed_origins) : trimspace(o)])}');
  });

  it('has an OPTIONS method on the same resources, with no authorization and no API key', () => {
    const preflights = cfnPreflights();
    const resources = String(tf.locals.get('cors_resources'));
    const tfPaths = new Map([...resources.matchAll(/"([^"]+)" = aws_api_gateway_resource\.(\w+)\.id/g)].map((m) => [m[1]!, m[2]!]));
    expect([...tfPaths.keys()].sort()).to.deep.equal([...preflights.keys()].sort());
    const tfResources = resourcesOf(tf, 'aws_api_gateway_resource');
    for (const [path, name] of tfPaths) expect(`/${String(tfResources.get(name)?.path_part)}`, path).to.equal(`/${path.split('/').at(-1)}`);
    const method = resourcesOf(tf, 'aws_api_gateway_method').get('cors') as HclBody;
    expect(method).to.include({ for_each: '${local.cors_resources}', http_method: 'OPTIONS', authorization: 'NONE', api_key_required: false });
    for (const p of preflights.values()) expect(p).to.deep.include({ AuthorizationType: 'NONE', ApiKeyRequired: false });
  });

  it('answers them with the same MOCK integration: request template, headers, response template', () => {
    const integration = resourcesOf(tf, 'aws_api_gateway_integration').get('cors') as HclBody;
    const response = resourcesOf(tf, 'aws_api_gateway_integration_response').get('cors') as HclBody;
    const methodResponse = resourcesOf(tf, 'aws_api_gateway_method_response').get('cors') as HclBody;
    const headers = tf.locals.get('cors_preflight_headers') as HclBody;
    for (const [path, p] of cfnPreflights()) {
      const i = p.Integration as Record<string, TemplateValue>;
      expect(integration).to.include({ type: i.Type, passthrough_behavior: i.PassthroughBehavior });
      expect(integration.request_templates, path).to.deep.equal(i.RequestTemplates);
      const [ir] = i.IntegrationResponses as Record<string, TemplateValue>[];
      const params = ir!.ResponseParameters as Record<string, TemplateValue>;
      expect(Object.keys(headers).sort(), path).to.deep.equal(Object.keys(params).sort());
      for (const name of ['method.response.header.Access-Control-Max-Age', 'method.response.header.Vary']) expect(headers[name], name).to.equal(params[name]);
      expect(String(headers['method.response.header.Access-Control-Allow-Origin'])).to.equal(`'\${try(local.cors_origins[0], "")}'`);
      expect(params['method.response.header.Access-Control-Allow-Origin']).to.deep.equal({ 'Fn::Sub': ["'${Origin}'", { Origin: { 'Fn::Select': [0, { Ref: 'CorsAllowedOrigins' }] } }] });
      const [mr] = p.MethodResponses as Record<string, TemplateValue>[];
      expect(Object.keys(mr!.ResponseParameters as object).sort()).to.deep.equal(Object.keys(params).sort());
      expect(methodResponse.status_code).to.equal(mr!.StatusCode);
      expect(String(response.status_code)).to.include('aws_api_gateway_method_response.cors[each.key].status_code');
      // The response template: the same pieces, the origin list written as a JSON array by both.
      const cfnParts = ((ir!.ResponseTemplates as Record<string, TemplateValue>)['application/json'] as { 'Fn::Join': [string, TemplateValue[]] })['Fn::Join'][1];
      const tfParts = literals(String(tf.locals.get('cors_preflight_template'))).slice(1); // [0] is join's separator
      expect(tfParts).to.have.length(cfnParts.length);
      for (const i of [0, 1, 3]) expect(tfParts[i], `piece ${i}`).to.equal(cfnParts[i]);
      expect(tfParts[2]).to.equal('#set($allowed = ${jsonencode(local.cors_origins)})');
      expect(cfnParts[2]).to.deep.equal({ 'Fn::Sub': ['#set($allowed = ["${Origins}"])', { Origins: { 'Fn::Join': ['","', { Ref: 'CorsAllowedOrigins' }] } }] });
    }
    expect((response.response_templates as HclBody)['application/json']).to.equal('${local.cors_preflight_template}');
  });

  it('adds the same headers to the DEFAULT_4XX and DEFAULT_5XX gateway responses', () => {
    const cfn = cfnResources(t, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => cfnProps(r));
    expect(cfn.map((p) => p.ResponseType).sort()).to.deep.equal(['DEFAULT_4XX', 'DEFAULT_5XX']);
    const gw = resourcesOf(tf, 'aws_api_gateway_gateway_response').get('cors') as HclBody;
    expect(literals(String(gw.for_each))).to.deep.equal(['DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const p of cfn) {
      const params = p.ResponseParameters as Record<string, TemplateValue>;
      const tfParams = gw.response_parameters as HclBody;
      expect(Object.keys(tfParams).sort()).to.deep.equal(Object.keys(params).sort());
      expect(tfParams['gatewayresponse.header.Access-Control-Expose-Headers']).to.equal(params['gatewayresponse.header.Access-Control-Expose-Headers']);
      // One origin: that origin; several: '*', in both.
      expect((params['gatewayresponse.header.Access-Control-Allow-Origin'] as { 'Fn::If': TemplateValue[] })['Fn::If'][2]).to.equal("'*'");
      expect(String(tfParams['gatewayresponse.header.Access-Control-Allow-Origin'])).to.match(/^\$\{length\(local\.cors_origins\) == 1 \? .* : "'\*'"\}$/);
    }
  });

  it('hands the origins to the function as CORS_ALLOWED_ORIGINS', () => {
    const c = cfnProps(cfnOnly(t, 'AWS::Lambda::Function'));
    expect((c.Environment as { Variables: Record<string, TemplateValue> }).Variables.CORS_ALLOWED_ORIGINS).to.deep.equal({ 'Fn::Join': [',', { Ref: 'CorsAllowedOrigins' }] });
    const [, fn] = onlyResource(tf, 'aws_lambda_function');
    expect((block(fn, 'environment').variables as HclBody).CORS_ALLOWED_ORIGINS).to.equal('${join(",", local.cors_origins)}');
  });
});

describe('infra/terraform/cognito.tf (AuthMode COGNITO_USER_POOLS)', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await readBoth());
  });
  const props = (type: string) => cfnProps(cfnOnly(t, type));

  it('has the same conditions as the template: Cognito mode, a pool unless user_pool_arn names one, scopes when given', () => {
    expect(t.Conditions?.AuthCognito).to.deep.equal({ 'Fn::Equals': [{ Ref: 'AuthMode' }, 'COGNITO_USER_POOLS'] });
    expect(t.Conditions?.CreateUserPool).to.deep.equal({ 'Fn::And': [{ Condition: 'AuthCognito' }, { 'Fn::Equals': [{ Ref: 'UserPoolArn' }, ''] }] });
    const locals = tf.locals;
    expect(locals.get('auth_cognito')).to.equal('${var.auth_mode == "COGNITO_USER_POOLS"}');
    expect(locals.get('create_user_pool')).to.equal('${local.auth_cognito && var.user_pool_arn == ""}');
    expect(locals.get('cognito_scopes')).to.equal('${local.auth_cognito && length(local.authorization_scopes) > 0}');
    expect(cfnOnly(t, 'AWS::Cognito::UserPool').Condition).to.equal('CreateUserPool');
    expect(onlyResource(tf, 'aws_cognito_user_pool')[1].count).to.equal('${local.create_user_pool ? 1 : 0}');
    expect(cfnOnly(t, 'AWS::Cognito::UserPoolResourceServer').Condition).to.equal('CreateResourceServer');
    expect(onlyResource(tf, 'aws_cognito_resource_server')[1].count).to.equal('${local.create_user_pool && local.cognito_scopes ? 1 : 0}');
    for (const [type, tfType] of [['AWS::Cognito::UserPoolClient', 'aws_cognito_user_pool_client'], ['AWS::ApiGateway::Authorizer', 'aws_api_gateway_authorizer']]) {
      expect(cfnOnly(t, type!).Condition, type).to.equal('AuthCognito');
      expect(onlyResource(tf, tfType!)[1].count, tfType).to.equal('${local.auth_cognito ? 1 : 0}');
    }
  });

  it('creates the same user pool: email sign-in, admin-only sign-up, password policy, recovery, protected from deletion', () => {
    const p = props('AWS::Cognito::UserPool');
    const cfn = cfnOnly(t, 'AWS::Cognito::UserPool');
    const [, pool] = onlyResource(tf, 'aws_cognito_user_pool');
    expect(pool.username_attributes).to.deep.equal(p.UsernameAttributes);
    expect(pool.auto_verified_attributes).to.deep.equal(p.AutoVerifiedAttributes);
    expect(pool.deletion_protection).to.equal(p.DeletionProtection);
    expect(block(pool, 'admin_create_user_config').allow_admin_create_user_only).to.equal((p.AdminCreateUserConfig as Record<string, unknown>).AllowAdminCreateUserOnly);
    const policy = (p.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy;
    expect(block(pool, 'password_policy')).to.deep.equal(Object.fromEntries(Object.entries(policy).map(([k, v]) => [snake(k), v])));
    const mechanisms = (p.AccountRecoverySetting as { RecoveryMechanisms: Record<string, unknown>[] }).RecoveryMechanisms;
    expect(block(pool, 'account_recovery_setting').recovery_mechanism).to.deep.equal(mechanisms.map((m) => ({ name: m.Name, priority: m.Priority })));
    // The template retains the pool (its users are data); Terraform refuses to destroy it.
    expect(cfn.DeletionPolicy).to.equal('Retain');
    expect(block(pool, 'lifecycle').prevent_destroy).to.equal(true);
  });

  it('creates the same public app client, resource server and authorizer', () => {
    const c = props('AWS::Cognito::UserPoolClient');
    const [, client] = onlyResource(tf, 'aws_cognito_user_pool_client');
    expect(client.generate_secret).to.equal(c.GenerateSecret);
    expect(client.explicit_auth_flows).to.deep.equal(c.ExplicitAuthFlows);
    expect(client.prevent_user_existence_errors).to.equal(c.PreventUserExistenceErrors);
    expect(client.enable_token_revocation).to.equal(c.EnableTokenRevocation);
    expect([client.access_token_validity, client.id_token_validity, client.refresh_token_validity]).to.deep.equal([c.AccessTokenValidity, c.IdTokenValidity, c.RefreshTokenValidity]);
    expect(block(client, 'token_validity_units')).to.deep.equal(Object.fromEntries(Object.entries(c.TokenValidityUnits as Record<string, unknown>).map(([k, v]) => [snake(k), v])));
    expect(client.user_pool_id).to.equal('${local.user_pool_id}');

    const s = props('AWS::Cognito::UserPoolResourceServer');
    const [, server] = onlyResource(tf, 'aws_cognito_resource_server');
    expect(server.identifier).to.equal(s.Identifier);
    expect(server.scope).to.deep.equal((s.Scopes as Record<string, unknown>[]).map((x) => ({ scope_name: x.ScopeName, scope_description: x.ScopeDescription })));

    const a = props('AWS::ApiGateway::Authorizer');
    const [, authorizer] = onlyResource(tf, 'aws_api_gateway_authorizer');
    expect(authorizer.type).to.equal(a.Type);
    expect(authorizer.identity_source).to.equal(a.IdentitySource);
    expect(authorizer.provider_arns).to.deep.equal(['${local.create_user_pool ? aws_cognito_user_pool.users[0].arn : var.user_pool_arn}']);
  });

  it('puts every method behind the authorizer, with the scopes when given, as the template does', () => {
    for (const [route, c] of cfnRoutes(t)) {
      expect(c.AuthorizerId, route).to.deep.equal({ 'Fn::If': ['AuthCognito', { Ref: 'ApiAuthorizer' }, { Ref: 'AWS::NoValue' }] });
      expect(c.AuthorizationScopes, route).to.deep.equal({ 'Fn::If': ['CognitoScopes', { Ref: 'AuthorizationScopes' }, { Ref: 'AWS::NoValue' }] });
    }
    for (const [name, method] of resourcesOf(tf, 'aws_api_gateway_method')) {
      // The CORS preflights (cors.tf) are open by design: a browser sends them without credentials.
      if (name === 'cors') continue;
      expect(method.authorizer_id, name).to.equal('${local.auth_cognito ? aws_api_gateway_authorizer.cognito[0].id : null}');
      expect(method.authorization_scopes, name).to.equal('${local.cognito_scopes ? local.authorization_scopes : null}');
    }
  });
});

describe('infra/terraform observability.tf (the template\'s monitoring)', () => {
  let tf: TerraformConfig;
  let t: CfnTemplate;
  before(async () => {
    ({ tf, t } = await readBoth());
  });

  /** Template alarm id -> Terraform resource name: Api5xxRateAlarm -> api5xx_rate. */
  const tfAlarm = (id: string) => snake(id.replace(/Alarm$/, ''));

  it('traces the function and the stage, and logs JSON at the same levels', () => {
    const [, fn] = onlyResource(tf, 'aws_lambda_function');
    const c = cfnProps(cfnOnly(t, 'AWS::Lambda::Function'));
    expect(block(fn, 'tracing_config')).to.deep.equal({ mode: (c.TracingConfig as { Mode: string }).Mode });
    const logging = c.LoggingConfig as Record<string, TemplateValue>;
    expect(block(fn, 'logging_config')).to.deep.include({
      log_format: logging.LogFormat,
      application_log_level: asTerraform(t, logging.ApplicationLogLevel),
      system_log_level: asTerraform(t, logging.SystemLogLevel),
    });
    const env = block(fn, 'environment').variables as HclBody;
    expect(env.METRICS_NAMESPACE).to.equal('ItemsApi/${var.name}');
    const [, stage] = onlyResource(tf, 'aws_api_gateway_stage');
    expect(stage.xray_tracing_enabled).to.equal(cfnProps(cfnOnly(t, 'AWS::ApiGateway::Stage')).TracingEnabled);
  });

  it('has the same alarms: metric, statistic, threshold variable, comparison, periods, and the topic', () => {
    const alarms = cfnResources(t, 'AWS::CloudWatch::Alarm');
    expect([...resourcesOf(tf, 'aws_cloudwatch_metric_alarm').keys()].sort()).to.deep.equal(alarms.map(([id]) => tfAlarm(id)).sort());
    for (const [id, alarm] of alarms) {
      const c = cfnProps(alarm);
      const a = resourcesOf(tf, 'aws_cloudwatch_metric_alarm').get(tfAlarm(id)) as HclBody;
      expect(a.threshold, id).to.equal(asTerraform(t, c.Threshold));
      expect([a.comparison_operator, a.evaluation_periods, a.datapoints_to_alarm, a.treat_missing_data], id).to.deep.equal([c.ComparisonOperator, c.EvaluationPeriods, c.DatapointsToAlarm, c.TreatMissingData]);
      expect(a.alarm_actions, id).to.deep.equal(['${aws_sns_topic.alarms.arn}']);
      expect(a.ok_actions, id).to.deep.equal(['${aws_sns_topic.alarms.arn}']);
      if (c.MetricName !== undefined) {
        expect([a.namespace, a.metric_name, a.statistic ?? a.extended_statistic, a.period], id).to.deep.equal([c.Namespace, c.MetricName, c.Statistic ?? c.ExtendedStatistic, c.Period]);
        expect(Object.keys(a.dimensions as HclBody).sort(), id).to.deep.equal((c.Dimensions as { Name: string }[]).map((d) => d.Name).sort());
      } else {
        const queries = [...expandDynamic(tf, a, 'metric_query'), ...((a.metric_query as HclBody[] | undefined) ?? [])];
        const cfnQueries = c.Metrics as { Id: string; Expression?: TemplateValue; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: TemplateValue }[] }; Stat: string; Period: number } }[];
        expect(queries.map((q) => q.id), id).to.deep.equal(cfnQueries.map((q) => q.Id));
        cfnQueries.forEach((q, i) => {
          const tq = queries[i] as HclBody;
          if (q.MetricStat) {
            const m = block(tq, 'metric');
            expect([m.namespace, m.metric_name, m.stat, m.period], `${id}.${q.Id}`).to.deep.equal([q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName, q.MetricStat.Stat, q.MetricStat.Period]);
            const op = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'Operation');
            if (op) expect((m.dimensions as HclBody).Operation, `${id}.${q.Id}`).to.equal(op.Value);
          } else {
            const expression = typeof q.Expression === 'string' ? q.Expression : (q.Expression as { 'Fn::Sub': string })['Fn::Sub'].replace('${FunctionTimeout}', '${var.function_timeout}');
            expect(tq.expression, `${id}.${q.Id}`).to.equal(expression);
            expect(tq.return_data, `${id}.${q.Id}`).to.equal(true);
          }
        });
      }
    }
  });

  it('has the composite alarm over the same alarms, the encrypted topic and the optional e-mail subscription', () => {
    const [, composite] = onlyResource(tf, 'aws_cloudwatch_composite_alarm');
    const rule = (cfnProps(cfnOnly(t, 'AWS::CloudWatch::CompositeAlarm')).AlarmRule as { 'Fn::Sub': string })['Fn::Sub'];
    expect(composite.alarm_rule).to.equal(rule.replace(/\$\{(\w+)\.Arn\}/g, (_, id: string) => `\${aws_cloudwatch_metric_alarm.${tfAlarm(id)}.arn}`));
    const keyName = 'alarm_topic';
    const key = resourcesOf(tf, 'aws_kms_key').get(keyName) as HclBody;
    expect(key.enable_key_rotation).to.equal(true);
    const [, topic] = onlyResource(tf, 'aws_sns_topic');
    expect(topic.kms_master_key_id).to.equal(`\${aws_kms_key.${keyName}.arn}`);
    const keyDoc = tf.data.get('aws_iam_policy_document')?.get(docOf(key.policy)) as HclBody;
    const cloudwatch = (keyDoc.statement as HclBody[]).find((s) => JSON.stringify(s.principals).includes('cloudwatch.amazonaws.com'));
    expect(cloudwatch?.actions).to.deep.equal(['kms:Decrypt', 'kms:GenerateDataKey*']);
    const [, subscription] = onlyResource(tf, 'aws_sns_topic_subscription');
    expect(subscription).to.deep.include({ count: '${var.alarm_email == "" ? 0 : 1}', protocol: 'email', endpoint: '${var.alarm_email}' });
  });

  it('builds the dashboard from the same body as the template', async () => {
    const [, dashboard] = onlyResource(tf, 'aws_cloudwatch_dashboard');
    expect(String(dashboard.dashboard_body)).to.match(/^\$\{templatefile\("\$\{path\.module\}\/dashboard\.json\.tftpl", \{/);
    const tftpl = await readFile(join(terraformDir, 'dashboard.json.tftpl'), 'utf8');
    const cfnBody = (cfnProps(cfnOnly(t, 'AWS::CloudWatch::Dashboard')).DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    // Both with their ${...} as the template's names in snake_case: the same JSON.
    const canonical = (name: string) => (name === 'AWS::Region' ? 'region' : name === 'AWS::StackName' ? 'name' : name.endsWith('.Arn') ? `${snake(name.slice(0, -4))}_arn` : snake(name));
    const fromCfn = JSON.parse(cfnBody.replace(/\$\{([^}]+)\}/g, (_, n: string) => `<${canonical(n)}>`)) as unknown;
    const fromTf = JSON.parse(tftpl.replace(/\$\{([^}]+)\}/g, (_, n: string) => `<${n}>`)) as unknown;
    expect(fromTf).to.deep.equal(fromCfn);
    // Every name the file uses is passed to templatefile.
    const passed = [...String(dashboard.dashboard_body).matchAll(/(\w+)\s*=/g)].map((m) => m[1]);
    for (const name of new Set([...tftpl.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]))) expect(passed, name).to.include(name);
  });
});
