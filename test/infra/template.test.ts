import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { runCfnLint } from '../../cli/lint/cfn-lint.js';
import type { CfnTemplate, TemplateResource, TemplateValue } from '../../cli/template/cfn-template.js';
import { parseTemplate } from '../../cli/template/read-template.js';
import { prepareTemplate, subReferences } from '../../cli/template/prepare-template.js';
import { withTempDir } from '../support/temp-dir.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const templatePath = join(root, 'infra', 'cfn', 'template.yaml');

function resourcesOfType(t: CfnTemplate, type: string): [string, TemplateResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

function only(t: CfnTemplate, type: string): [string, TemplateResource] {
  const found = resourcesOfType(t, type);
  expect(found, type).to.have.length(1);
  return found[0] as [string, TemplateResource];
}

function props(r: TemplateResource): Record<string, TemplateValue> {
  expect(r.Properties, `${r.Type} Properties`).to.be.an('object');
  return r.Properties as Record<string, TemplateValue>;
}

/** Every string inside a value (through intrinsic functions). */
function strings(value: TemplateValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const XRAY_WRITE = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/** Every IAM policy statement in the template (inline policies, policy resources, trust policies). */
/** A role's inline policies, a conditional one (`Fn::If [condition, policy, AWS::NoValue]`) included. */
function rolePolicies(role: Record<string, TemplateValue>): { PolicyDocument: { Statement: Record<string, TemplateValue>[] } }[] {
  return ((role.Policies as TemplateValue[] | undefined) ?? []).map((p) => {
    const branches = (p as { 'Fn::If'?: TemplateValue[] })['Fn::If'];
    return (branches ? branches[1] : p) as { PolicyDocument: { Statement: Record<string, TemplateValue>[] } };
  });
}

function iamStatements(t: CfnTemplate): Record<string, TemplateValue>[] {
  const docs: TemplateValue[] = [];
  for (const r of Object.values(t.Resources)) {
    const p = (r.Properties ?? {}) as Record<string, TemplateValue>;
    if (r.Type === 'AWS::IAM::Role') {
      docs.push(p.AssumeRolePolicyDocument ?? null);
      for (const policy of rolePolicies(p)) docs.push(policy.PolicyDocument ?? null);
    }
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') docs.push(p.PolicyDocument ?? null);
  }
  return docs.flatMap((d) => {
    const statement = (d as Record<string, TemplateValue> | null)?.Statement;
    return (Array.isArray(statement) ? statement : [statement]) as Record<string, TemplateValue>[];
  });
}

/** "METHOD /path" for every API Gateway method (without the CORS preflights unless `withOptions`), found by walking ResourceId -> ParentId. */
function routes(t: CfnTemplate, options: { withOptions?: boolean } = {}): Map<string, TemplateResource> {
  const pathOf = (resourceId: TemplateValue | undefined): string => {
    const ref = (resourceId as { Ref?: string; 'Fn::GetAtt'?: string[] })?.Ref;
    if (ref === undefined) return '';
    const r = t.Resources[ref];
    expect(r?.Type).to.equal('AWS::ApiGateway::Resource');
    const p = props(r as TemplateResource);
    return `${pathOf(p.ParentId)}/${String(p.PathPart)}`;
  };
  const out = new Map<string, TemplateResource>();
  for (const [, method] of resourcesOfType(t, 'AWS::ApiGateway::Method')) {
    const p = props(method);
    if (p.HttpMethod === 'OPTIONS' && !options.withOptions) continue;
    out.set(`${String(p.HttpMethod)} ${pathOf(p.ResourceId) || '/'}`, method);
  }
  return out;
}

/** "METHOD /path" for every API Gateway method, the CORS preflights included. */
function routesWithOptions(t: CfnTemplate): Map<string, TemplateResource> {
  return routes(t, { withOptions: true });
}

describe('infra/cfn/template.yaml', () => {
  let text: string;
  let t: CfnTemplate;
  before(async () => {
    text = await readFile(templatePath, 'utf8');
    t = parseTemplate(text, { file: templatePath });
  });

  it('passes the real cfn-lint with no errors, warnings or informational findings, as written and as prepared for deploy', async () => {
    // One cfn-lint run for both files: its start-up is most of the cost.
    await withTempDir('prepared-', async (dir) => {
      const prepared = join(dir, 'prepared.yaml');
      await writeFile(prepared, prepareTemplate(text).text);
      const result = await runCfnLint({ root, templates: [templatePath, prepared] });
      expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`)).to.deep.equal([]);
      expect(result.errors).to.equal(0);
      expect(result.warnings).to.equal(0);
    });
  });

  it('declares the parameters of the contract, all with defaults except the artifact location', () => {
    const params = t.Parameters ?? {};
    for (const name of ['StageName', 'TableName', 'ArtifactBucket', 'ArtifactKey', 'LogRetentionInDays', 'ApiKeyRequired', 'ThrottlingRateLimit', 'ThrottlingBurstLimit']) {
      expect(params, name).to.have.property(name);
    }
    expect(params.StageName?.Default).to.equal('prod');
    expect(params.TableName?.Default).to.equal('lambda-apigateway');
    expect(params.ApiKeyRequired?.Default).to.equal('false');
    const withoutDefault = Object.entries(params).filter(([, p]) => p.Default === undefined).map(([n]) => n);
    expect(withoutDefault.sort()).to.deep.equal(['ArtifactBucket', 'ArtifactKey']);
  });

  it('retains an encrypted, on-demand, point-in-time-recoverable table keyed by id', () => {
    const [, table] = only(t, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).to.equal('Retain');
    expect(table.UpdateReplacePolicy).to.equal('Retain');
    const p = props(table);
    expect(p.TableName).to.deep.equal({ Ref: 'TableName' });
    expect(p.BillingMode).to.equal('PAY_PER_REQUEST');
    expect(p.SSESpecification).to.deep.include({ SSEEnabled: true });
    expect(p.PointInTimeRecoverySpecification).to.deep.equal({ PointInTimeRecoveryEnabled: true });
    expect(p.KeySchema).to.deep.equal([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(p.AttributeDefinitions).to.deep.equal([{ AttributeName: 'id', AttributeType: 'S' }]);
  });

  it('has no IAM statement with "*" in Action or Resource, except X-Ray\'s write actions, which take no resource', () => {
    const statements = iamStatements(t);
    expect(statements.length).to.be.greaterThan(2);
    for (const s of statements) {
      // PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so "*" is
      // the only Resource IAM accepts for them.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
      const xrayWrite = strings(s.Action).every((a) => XRAY_WRITE.includes(a));
      for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
        if (key === 'Resource' && xrayWrite) {
          expect(s.Resource).to.equal('*');
          continue;
        }
        for (const value of strings(s[key])) {
          // The one "*": the invoke policy's "any method, any path" under this API's own stage.
          if (key === 'Resource' && value === 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${StageName}/*/*') continue;
          expect(value, `${key} ${JSON.stringify(s)}`).not.to.include('*');
        }
      }
    }
  });

  it('lets the function use only the item actions on its own table and write only to its own log group', () => {
    const [, fn] = only(t, 'AWS::Lambda::Function');
    const roleId = (props(fn).Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
    const role = t.Resources[roleId] as TemplateResource;
    expect(props(role)).not.to.have.property('ManagedPolicyArns');
    const statements = rolePolicies(props(role)).flatMap((p) => p.PolicyDocument.Statement);
    const [tableId] = only(t, 'AWS::DynamoDB::Table');
    const dynamo = statements.find((s) => strings(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo?.Resource).to.deep.equal({ 'Fn::GetAtt': [tableId, 'Arn'] });
    expect(strings(dynamo?.Action).sort()).to.deep.equal(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    const logGroupId = (props(fn).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const logs = statements.find((s) => strings(s.Action).some((a) => a.startsWith('logs:')));
    expect(logs?.Resource).to.deep.equal({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    expect(t.Resources[logGroupId]?.Properties?.RetentionInDays).to.deep.equal({ Ref: 'LogRetentionInDays' });
  });

  it('runs the function on nodejs22.x or newer, arm64, from the artifact, with TABLE_NAME and a timeout below 29 s', () => {
    const [, fn] = only(t, 'AWS::Lambda::Function');
    const p = props(fn);
    const runtime = /^nodejs(\d+)\.x$/.exec(String(p.Runtime));
    expect(Number(runtime?.[1])).to.be.at.least(22);
    expect(p.Architectures).to.deep.equal(['arm64']);
    expect(p.Handler).to.equal('index.handler');
    expect(p.Code).to.deep.equal({ S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: { Ref: 'ArtifactKey' } });
    const [tableId] = only(t, 'AWS::DynamoDB::Table');
    expect((p.Environment as { Variables: Record<string, TemplateValue> }).Variables.TABLE_NAME).to.deep.equal({ Ref: tableId });
    const timeout = p.Timeout as { Ref?: string } | number;
    if (typeof timeout === 'number') expect(timeout).to.be.below(29);
    else {
      const param = t.Parameters?.[timeout.Ref as string];
      expect(Number(param?.Default)).to.be.below(29);
      expect(Number(param?.MaxValue)).to.be.below(29);
    }
  });

  it('serves every route through a Lambda proxy integration of the function', () => {
    const found = routes(t);
    expect([...found.keys()].sort()).to.deep.equal(
      ['POST /DynamoDBManager', 'GET /items', 'POST /items', 'GET /items/{id}', 'PUT /items/{id}', 'PATCH /items/{id}', 'DELETE /items/{id}'].sort(),
    );
    const [fnId] = only(t, 'AWS::Lambda::Function');
    for (const [route, method] of found) {
      const integration = props(method).Integration as Record<string, TemplateValue>;
      expect(integration.Type, route).to.equal('AWS_PROXY');
      expect(integration.IntegrationHttpMethod, route).to.equal('POST');
      const uri = (integration.Uri as { 'Fn::Sub': string })['Fn::Sub'];
      // The `live` alias of the function (cloud-loop: a release is one alias move).
      expect(uri, route).to.include('/functions/${FunctionLiveAlias}/invocations');
      expect(props(t.Resources.FunctionLiveAlias!).FunctionName, route).to.deep.equal({ Ref: fnId });
      expect(props(method).ApiKeyRequired, route).to.deep.equal({ 'Fn::If': ['ApiKeyEnabled', true, false] });
    }
  });

  it('has a REGIONAL API and exactly one invoke permission scoped to it', () => {
    const [apiId, api] = only(t, 'AWS::ApiGateway::RestApi');
    expect((props(api).EndpointConfiguration as { Types: string[] }).Types).to.deep.equal(['REGIONAL']);
    const [, permission] = only(t, 'AWS::Lambda::Permission');
    const p = props(permission);
    expect(p.Principal).to.equal('apigateway.amazonaws.com');
    expect(p.Action).to.equal('lambda:InvokeFunction');
    const sourceArn = (p.SourceArn as { 'Fn::Sub': string })['Fn::Sub'];
    expect(sourceArn).to.match(/^arn:\$\{AWS::Partition\}:execute-api:\$\{AWS::Region\}:\$\{AWS::AccountId\}:/);
    expect(subReferences(sourceArn)).to.include(apiId);
  });

  it('deploys the API to a stage with throttling, metrics and JSON access logs', () => {
    const [deploymentId, deployment] = only(t, 'AWS::ApiGateway::Deployment');
    // Methods with a Condition (the CORS preflights) are waited for through Metadata: DependsOn cannot name them.
    const methodIds = resourcesOfType(t, 'AWS::ApiGateway::Method').filter(([, m]) => m.Condition === undefined).map(([id]) => id);
    expect(deployment.DependsOn).to.have.members(methodIds);
    const [, stage] = only(t, 'AWS::ApiGateway::Stage');
    const p = props(stage);
    expect(p.DeploymentId).to.deep.equal({ Ref: deploymentId });
    const settings = (p.MethodSettings as Record<string, TemplateValue>[])[0];
    expect(settings).to.deep.include({ ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true });
    expect(settings?.ThrottlingRateLimit).to.deep.equal({ Ref: 'ThrottlingRateLimit' });
    expect(settings?.ThrottlingBurstLimit).to.deep.equal({ Ref: 'ThrottlingBurstLimit' });
    const access = p.AccessLogSetting as { DestinationArn: TemplateValue; Format: string };
    const format = JSON.parse(access.Format) as Record<string, string>;
    expect(format.requestId).to.equal('$context.requestId');
    expect(format.status).to.equal('$context.status');
    const logGroupId = (access.DestinationArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
    expect(t.Resources[logGroupId]?.Type).to.equal('AWS::Logs::LogGroup');
    expect(t.Resources[logGroupId]?.Properties?.RetentionInDays).to.deep.equal({ Ref: 'LogRetentionInDays' });
  });

  it('creates the API key and usage plan only when AuthMode is API_KEY or (older stacks) ApiKeyRequired is true', () => {
    for (const type of ['AWS::ApiGateway::ApiKey', 'AWS::ApiGateway::UsagePlan', 'AWS::ApiGateway::UsagePlanKey']) {
      expect(only(t, type)[1].Condition, type).to.equal('ApiKeyEnabled');
    }
    expect(t.Conditions?.ApiKeyEnabled).to.deep.equal({ 'Fn::Or': [{ Condition: 'AuthApiKey' }, { 'Fn::Equals': [{ Ref: 'ApiKeyRequired' }, 'true'] }] });
    expect(t.Conditions?.AuthApiKey).to.deep.equal({ 'Fn::Equals': [{ Ref: 'AuthMode' }, 'API_KEY'] });
  });

  it('builds the URL outputs with Fn::Sub of the API id, never Fn::GetAtt', () => {
    const outputs = t.Outputs ?? {};
    for (const name of ['ApiEndpoint', 'DynamoDBManagerUrl', 'ItemsUrl', 'TableName', 'FunctionName', 'ApiKeyId']) expect(outputs, name).to.have.property(name);
    const [apiId] = only(t, 'AWS::ApiGateway::RestApi');
    const base = `https://\${${apiId}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/\${StageName}`;
    expect(outputs.ApiEndpoint?.Value).to.deep.equal({ 'Fn::Sub': base });
    expect(outputs.DynamoDBManagerUrl?.Value).to.deep.equal({ 'Fn::Sub': `${base}/DynamoDBManager` });
    expect(outputs.ItemsUrl?.Value).to.deep.equal({ 'Fn::Sub': `${base}/items` });
    expect(outputs.ApiKeyId?.Condition).to.equal('ApiKeyEnabled');
    expect(JSON.stringify(outputs)).not.to.include('Fn::GetAtt');
  });

  it('fixes no physical name except the table, so stacks can coexist', () => {
    for (const [id, r] of Object.entries(t.Resources)) {
      const p = (r.Properties ?? {}) as Record<string, TemplateValue>;
      if (r.Type !== 'AWS::DynamoDB::Table') expect(p, id).not.to.have.any.keys('TableName', 'RoleName', 'LogGroupName', 'UsagePlanName');
      if (r.Type === 'AWS::Lambda::Function') expect(p, id).not.to.have.property('FunctionName');
      // A model's or request validator's name is unique within its REST API only, which is this
      // stack's own; an alias name is scoped to its function, not to the account.
      const scoped = r.Type === 'AWS::ApiGateway::Model' || r.Type === 'AWS::ApiGateway::RequestValidator' || r.Type === 'AWS::Lambda::Alias';
      if (p.Name !== undefined && !scoped) expect(strings(p.Name).join(''), id).to.include('${AWS::StackName}');
    }
  });

  describe('CORS', () => {
    /** The OPTIONS methods, by resource path. */
    const preflights = () => new Map([...routesWithOptions(t)].filter(([route]) => route.startsWith('OPTIONS ')));

    it('answers a preflight on every resource with methods (not the root), only when CorsEnabled, with a MOCK and no credentials', () => {
      const found = preflights();
      expect([...found.keys()].sort()).to.deep.equal(['OPTIONS /DynamoDBManager', 'OPTIONS /items', 'OPTIONS /items/{id}']);
      for (const [route, method] of found) {
        expect(method.Condition, route).to.equal('CorsEnabled');
        const p = props(method);
        expect(p.AuthorizationType, route).to.equal('NONE');
        expect(p.ApiKeyRequired, route).to.equal(false);
        const integration = p.Integration as Record<string, TemplateValue>;
        expect(integration.Type).to.equal('MOCK');
        expect(integration.PassthroughBehavior).to.equal('NEVER');
        expect(integration).not.to.have.any.keys('Uri', 'IntegrationHttpMethod');
      }
    });

    it('adds the headers to API Gateway’s own 4xx and 5xx answers, and the Deployment waits for all of it', () => {
      const responses = resourcesOfType(t, 'AWS::ApiGateway::GatewayResponse');
      expect(responses.map(([, r]) => props(r).ResponseType).sort()).to.deep.equal(['DEFAULT_4XX', 'DEFAULT_5XX']);
      const conditional = [...resourcesOfType(t, 'AWS::ApiGateway::Method'), ...responses].filter(([, r]) => r.Condition === 'CorsEnabled').map(([id]) => ({ Ref: id }));
      const [, deployment] = only(t, 'AWS::ApiGateway::Deployment');
      expect((deployment.Metadata as Record<string, TemplateValue>).CorsDependency).to.deep.equal({ 'Fn::If': ['CorsEnabled', conditional, { Ref: 'AWS::NoValue' }] });
    });

    it('is off by default and lets a browser send JSON with the headers of every AuthMode', () => {
      const p = t.Parameters ?? {};
      expect(p.CorsAllowedOrigins).to.include({ Type: 'CommaDelimitedList', Default: '' });
      expect(String(p.CorsAllowedHeaders?.Default).split(',')).to.have.members(['Content-Type', 'Authorization', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Api-Key']);
      const fn = props(only(t, 'AWS::Lambda::Function')[1]);
      expect((fn.Environment as { Variables: Record<string, TemplateValue> }).Variables.CORS_ALLOWED_ORIGINS).to.deep.equal({ 'Fn::Join': [',', { Ref: 'CorsAllowedOrigins' }] });
    });
  });
});
