/**
 * What the local stack emulates, read from the template by walking its resources by type (never
 * by logical id): the Lambda functions, the DynamoDB tables, the REST API's routes, stages and
 * API keys, and the Outputs. Physical ids (`Ref`, `Fn::GetAtt`) are made up deterministically
 * from the stack name and logical id, so they are stable across restarts (a persisted table
 * keeps its generated name).
 */
import { createHash } from 'node:crypto';
import type { DynamoTableSpec } from './dynamodb.js';
import {
  TemplateError,
  TemplateResolver,
  UnsupportedTemplateError,
  type PseudoParameters,
  type ResourceResolver,
} from './intrinsics.js';
import type { LoadedTemplate } from '../template/read-template.js';

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** `index.handler`: module file (without .js) and export. */
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memorySize: number;
  environment: Record<string, string>;
  logGroupName: string;
}

export interface LocalTable {
  logicalId: string;
  spec: DynamoTableSpec;
}

export interface LocalRoute {
  /** The API Gateway resource path, e.g. `/items/{id}`. */
  resourcePath: string;
  resourceId: string;
  /** Upper case, or `ANY`. */
  httpMethod: string;
  functionLogicalId: string;
  apiKeyRequired: boolean;
  /** Integration timeout (TimeoutInMillis, 29 s by default). */
  timeoutMs: number;
  methodLogicalId: string;
}

export interface LocalStage {
  name: string;
  variables: Record<string, string> | null;
}

export interface LocalApi {
  logicalId: string;
  id: string;
  stages: LocalStage[];
  routes: LocalRoute[];
  /** RestApi BinaryMediaTypes: request bodies of these types reach the function base64-encoded. */
  binaryMediaTypes: string[];
  /** Values of the enabled API keys (a generated value for keys without `Value`). */
  apiKeys: { logicalId: string; id: string; value: string }[];
}

export interface StackModel {
  pseudo: PseudoParameters;
  parameters: Record<string, string | string[]>;
  functions: LocalFunction[];
  tables: LocalTable[];
  api: LocalApi;
  /** Output values as CloudFormation would resolve them (cloud URLs; index.ts rewrites them). */
  outputs: Record<string, string>;
}

export interface StackModelOptions {
  region: string;
  stackName: string;
  accountId?: string;
  overrides?: Record<string, string>;
  /** Value for API keys the template leaves to API Gateway to generate. */
  apiKeyValue: string;
}

/** A made-up but realistic account id: 12 digits, obviously not a real account. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export function pseudoParameters(options: { region: string; stackName: string; accountId?: string }): PseudoParameters {
  const partition = options.region.startsWith('cn-') ? 'aws-cn' : options.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  return {
    region: options.region,
    accountId,
    partition,
    urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    stackName: options.stackName,
    stackId: `arn:${partition}:cloudformation:${options.region}:${accountId}:stack/${options.stackName}/${uuidFrom(options.stackName)}`,
  };
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

function uuidFrom(seed: string): string {
  const h = digest('uuid', seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Lower-case alphanumeric id like API Gateway's (`a1b2c3d4e5`). */
function shortId(length: number, ...seed: string[]): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(seed.join('\0')).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** CloudFormation's generated physical name: `<stack>-<LogicalId>-<RANDOM>`, within `max`. */
function generatedName(stackName: string, logicalId: string, max: number): string {
  const suffix = shortId(12, stackName, logicalId).toUpperCase();
  const head = `${stackName}-${logicalId}`.slice(0, Math.max(1, max - suffix.length - 1));
  return `${head}-${suffix}`;
}

const NODE_RUNTIME = /^nodejs\d+\.x$/;

export function buildStackModel(loaded: LoadedTemplate, options: StackModelOptions): StackModel {
  const pseudo = pseudoParameters(options);
  const resolver = new TemplateResolver({ template: loaded.template, file: loaded.displayPath, pseudo, overrides: options.overrides, locate: loaded.locate });
  const { template } = loaded;
  const { partition, region, accountId, stackName } = pseudo;
  const prop = (id: string, name: string): unknown => {
    const value = template.Resources[id]!.Properties?.[name];
    return value === undefined ? undefined : resolver.resolve(value, `Resources.${id}.Properties.${name}`);
  };
  const propString = (id: string, name: string): string | undefined => {
    const value = template.Resources[id]!.Properties?.[name];
    return value === undefined ? undefined : resolver.resolveString(value, `Resources.${id}.Properties.${name}`);
  };

  const refs = new Map<string, string>();
  const refGuard = new Set<string>();
  const physicalId = (id: string): string => {
    const cached = refs.get(id);
    if (cached !== undefined) return cached;
    if (refGuard.has(id)) throw new TemplateError(`${resolver.where(`Resources.${id}`)}: its name refers to itself`);
    refGuard.add(id);
    try {
      const type = template.Resources[id]!.Type;
      let value: string;
      switch (type) {
        case 'AWS::DynamoDB::Table':
          value = propString(id, 'TableName') ?? generatedName(stackName, id, 255);
          break;
        case 'AWS::Lambda::Function':
          value = propString(id, 'FunctionName') ?? generatedName(stackName, id, 64);
          break;
        case 'AWS::Logs::LogGroup':
          value = propString(id, 'LogGroupName') ?? generatedName(stackName, id, 512);
          break;
        case 'AWS::IAM::Role':
          value = propString(id, 'RoleName') ?? generatedName(stackName, id, 64);
          break;
        case 'AWS::ApiGateway::Stage':
          value = propString(id, 'StageName') ?? shortId(6, stackName, id);
          break;
        case 'AWS::ApiGateway::RestApi':
        case 'AWS::ApiGateway::ApiKey':
        case 'AWS::ApiGateway::UsagePlan':
          value = shortId(10, stackName, id);
          break;
        case 'AWS::ApiGateway::Resource':
        case 'AWS::ApiGateway::Deployment':
          value = shortId(6, stackName, id);
          break;
        default:
          value = generatedName(stackName, id, 128);
      }
      refs.set(id, value);
      return value;
    } finally {
      refGuard.delete(id);
    }
  };

  const resources: ResourceResolver = {
    ref: (id) => physicalId(id),
    getAtt(id, attribute, path) {
      const type = template.Resources[id]!.Type;
      const attrs: Record<string, () => unknown> = {};
      switch (type) {
        case 'AWS::DynamoDB::Table': {
          const arn = `arn:${partition}:dynamodb:${region}:${accountId}:table/${physicalId(id)}`;
          attrs.Arn = () => arn;
          attrs.StreamArn = () => `${arn}/stream/1970-01-01T00:00:00.000`;
          break;
        }
        case 'AWS::Lambda::Function':
          attrs.Arn = () => `arn:${partition}:lambda:${region}:${accountId}:function:${physicalId(id)}`;
          break;
        case 'AWS::ApiGateway::RestApi':
          attrs.RootResourceId = () => shortId(10, stackName, id, 'root');
          attrs.RestApiId = () => physicalId(id);
          break;
        case 'AWS::ApiGateway::Resource':
          attrs.ResourceId = () => physicalId(id);
          break;
        case 'AWS::ApiGateway::Deployment':
          attrs.DeploymentId = () => physicalId(id);
          break;
        case 'AWS::ApiGateway::ApiKey':
          attrs.APIKeyId = () => physicalId(id);
          break;
        case 'AWS::IAM::Role':
          attrs.Arn = () => `arn:${partition}:iam::${accountId}:role/${physicalId(id)}`;
          attrs.RoleId = () => `AROA${shortId(17, stackName, id).toUpperCase()}`;
          break;
        case 'AWS::Logs::LogGroup':
          attrs.Arn = () => `arn:${partition}:logs:${region}:${accountId}:log-group:${physicalId(id)}:*`;
          break;
      }
      const get = attrs[attribute];
      if (!get) {
        throw new UnsupportedTemplateError(`${resolver.where(path)}: Fn::GetAtt ${id}.${attribute} (${type}) is not emulated by the local stack`, {
          details: Object.keys(attrs).length > 0 ? [`attributes of ${type} it emulates: ${Object.keys(attrs).join(', ')}`] : [],
        });
      }
      return get();
    },
  };
  resolver.resources = resources;

  const functions = resolver.resourcesOfType('AWS::Lambda::Function').map((id): LocalFunction => {
    const at = (p: string) => resolver.where(`Resources.${id}.Properties.${p}`);
    if (template.Resources[id]!.Properties?.PackageType === 'Image') throw new UnsupportedTemplateError(`${at('PackageType')}: container image functions are not emulated`);
    const runtime = propString(id, 'Runtime') ?? '';
    if (!NODE_RUNTIME.test(runtime)) throw new UnsupportedTemplateError(`${at('Runtime')}: runtime "${runtime}" is not emulated (the local stack runs nodejs*.x functions)`);
    const handler = propString(id, 'Handler');
    if (!handler || !/^[^.]+\.[\w$.]+$/.test(handler)) throw new TemplateError(`${at('Handler')}: expected "file.export", got ${JSON.stringify(handler)}`);
    const timeoutSeconds = Number(prop(id, 'Timeout') ?? 3);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) throw new TemplateError(`${at('Timeout')}: must be 1-900 seconds, got ${timeoutSeconds}`);
    const memorySize = Number(prop(id, 'MemorySize') ?? 128);
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) throw new TemplateError(`${at('MemorySize')}: must be 128-10240 MB, got ${memorySize}`);
    const variablesRaw = (template.Resources[id]!.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const environment: Record<string, string> = {};
    for (const key of Object.keys(variablesRaw)) {
      const value = resolver.resolve(variablesRaw[key], `Resources.${id}.Properties.Environment.Variables.${key}`);
      if (value === undefined) continue;
      if (typeof value === 'object') throw new TemplateError(`${at(`Environment.Variables.${key}`)}: must be a string`);
      environment[key] = String(value);
    }
    const loggingGroup = (template.Resources[id]!.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
    const name = physicalId(id);
    return {
      logicalId: id,
      name,
      arn: `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
      handler,
      runtime,
      timeoutSeconds,
      memorySize,
      environment,
      logGroupName: loggingGroup === undefined ? `/aws/lambda/${name}` : resolver.resolveString(loggingGroup, `Resources.${id}.Properties.LoggingConfig.LogGroup`),
    };
  });

  const tables = resolver.resourcesOfType('AWS::DynamoDB::Table').map((id): LocalTable => {
    const spec: DynamoTableSpec = {
      TableName: physicalId(id),
      KeySchema: prop(id, 'KeySchema') as DynamoTableSpec['KeySchema'],
      AttributeDefinitions: prop(id, 'AttributeDefinitions') as DynamoTableSpec['AttributeDefinitions'],
    };
    if (!Array.isArray(spec.KeySchema) || !Array.isArray(spec.AttributeDefinitions)) {
      throw new TemplateError(`${resolver.where(`Resources.${id}.Properties`)}: KeySchema and AttributeDefinitions are required`);
    }
    for (const name of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'BillingMode', 'ProvisionedThroughput', 'StreamSpecification'] as const) {
      const value = prop(id, name);
      if (value !== undefined) (spec as unknown as Record<string, unknown>)[name] = value;
    }
    return { logicalId: id, spec };
  });

  const api = buildApi(resolver, physicalId, functions, options.apiKeyValue);

  const outputs: Record<string, string> = {};
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !resolver.condition(output.Condition, `Outputs.${key}.Condition`)) continue;
    const value = resolver.resolve(output.Value, `Outputs.${key}.Value`);
    outputs[key] = Array.isArray(value) ? value.join(',') : String(value);
  }

  return { pseudo, parameters: resolver.parameterValues(), functions, tables, api, outputs };
}

function buildApi(
  resolver: TemplateResolver,
  physicalId: (id: string) => string,
  functions: LocalFunction[],
  apiKeyValue: string,
): LocalApi {
  const template = resolver.template;
  const apis = resolver.resourcesOfType('AWS::ApiGateway::RestApi');
  if (apis.length !== 1) {
    throw new UnsupportedTemplateError(`${resolver.file}: the local stack serves exactly one AWS::ApiGateway::RestApi; the template has ${apis.length}`);
  }
  const apiLogicalId = apis[0]!;
  const apiProps = template.Resources[apiLogicalId]!.Properties ?? {};
  for (const unsupported of ['Body', 'BodyS3Location', 'CloneFrom']) {
    if (apiProps[unsupported] !== undefined) {
      throw new UnsupportedTemplateError(`${resolver.where(`Resources.${apiLogicalId}.Properties.${unsupported}`)}: an API defined by ${unsupported} is not emulated (define AWS::ApiGateway::Resource and Method resources)`);
    }
  }
  const apiId = physicalId(apiLogicalId);
  const rootId = resolver.resolveString({ 'Fn::GetAtt': [apiLogicalId, 'RootResourceId'] }, `Resources.${apiLogicalId}`);
  const belongsToApi = (id: string) => {
    const value = template.Resources[id]!.Properties?.RestApiId;
    return value !== undefined && resolver.resolve(value, `Resources.${id}.Properties.RestApiId`) === apiId;
  };

  // Resource tree: id -> full path. Parents may be declared after children, so resolve lazily.
  const resourceIds = resolver.resourcesOfType('AWS::ApiGateway::Resource').filter(belongsToApi);
  const byPhysical = new Map(resourceIds.map((id) => [physicalId(id), id]));
  const paths = new Map<string, string>([[rootId, '/']]);
  const pathOf = (physical: string, seen: Set<string>, at: string): string => {
    const known = paths.get(physical);
    if (known !== undefined) return known;
    const logicalId = byPhysical.get(physical);
    if (!logicalId) throw new TemplateError(`${resolver.where(at)}: refers to no resource of API ${apiLogicalId}`);
    if (seen.has(logicalId)) throw new TemplateError(`${resolver.where(`Resources.${logicalId}.Properties.ParentId`)}: resource tree has a cycle`);
    seen.add(logicalId);
    const parent = resolver.resolveString(template.Resources[logicalId]!.Properties?.ParentId, `Resources.${logicalId}.Properties.ParentId`);
    const part = resolver.resolveString(template.Resources[logicalId]!.Properties?.PathPart, `Resources.${logicalId}.Properties.PathPart`);
    const parentPath = pathOf(parent, seen, `Resources.${logicalId}.Properties.ParentId`);
    const full = parentPath === '/' ? `/${part}` : `${parentPath}/${part}`;
    paths.set(physical, full);
    return full;
  };
  for (const id of resourceIds) pathOf(physicalId(id), new Set(), `Resources.${id}`);

  const routes: LocalRoute[] = [];
  for (const id of resolver.resourcesOfType('AWS::ApiGateway::Method').filter(belongsToApi)) {
    const p = (name: string) => `Resources.${id}.Properties.${name}`;
    const props = template.Resources[id]!.Properties ?? {};
    const resourceId = resolver.resolveString(props.ResourceId, p('ResourceId'));
    const resourcePath = pathOf(resourceId, new Set(), p('ResourceId'));
    const httpMethod = resolver.resolveString(props.HttpMethod, p('HttpMethod')).toUpperCase();
    const authorization = props.AuthorizationType === undefined ? 'NONE' : resolver.resolveString(props.AuthorizationType, p('AuthorizationType'));
    if (authorization !== 'NONE') {
      throw new UnsupportedTemplateError(`${resolver.where(p('AuthorizationType'))}: ${authorization} authorization is not emulated by the local stack (NONE and API keys are)`);
    }
    const integration = resolver.resolve(props.Integration, p('Integration')) as
      | { Type?: string; Uri?: string; TimeoutInMillis?: number | string }
      | undefined;
    if (!integration || integration.Type !== 'AWS_PROXY') {
      throw new UnsupportedTemplateError(`${resolver.where(p('Integration.Type'))}: integration type ${integration?.Type ?? '(none)'} is not emulated; the local stack runs Lambda proxy (AWS_PROXY) integrations`);
    }
    // arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations
    const target = /\/functions\/(.+)\/invocations$/.exec(String(integration.Uri ?? ''))?.[1];
    const fn = functions.find((f) => target === f.arn || target?.startsWith(`${f.arn}:`));
    if (!fn) {
      throw new UnsupportedTemplateError(`${resolver.where(p('Integration.Uri'))}: ${integration.Uri} does not invoke a Lambda function of this template`);
    }
    const apiKeyRequired = props.ApiKeyRequired === undefined ? false : resolver.resolve(props.ApiKeyRequired, p('ApiKeyRequired'));
    const timeoutMs = integration.TimeoutInMillis === undefined ? 29_000 : Number(integration.TimeoutInMillis);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > 29_000) {
      throw new TemplateError(`${resolver.where(p('Integration.TimeoutInMillis'))}: must be 50-29000, got ${integration.TimeoutInMillis}`);
    }
    routes.push({
      resourcePath,
      resourceId,
      httpMethod,
      functionLogicalId: fn.logicalId,
      apiKeyRequired: apiKeyRequired === true || apiKeyRequired === 'true',
      timeoutMs,
      methodLogicalId: id,
    });
  }

  const stages: LocalStage[] = [];
  const variablesOf = (raw: unknown, path: string): Record<string, string> | null => {
    if (raw === undefined) return null;
    const value = resolver.resolve(raw, path) as Record<string, unknown> | undefined;
    const entries = Object.entries(value ?? {}).map(([k, v]) => [k, String(v)] as const);
    return entries.length === 0 ? null : Object.fromEntries(entries);
  };
  for (const id of resolver.resourcesOfType('AWS::ApiGateway::Stage').filter(belongsToApi)) {
    const raw = template.Resources[id]!.Properties?.Variables;
    stages.push({ name: physicalId(id), variables: variablesOf(raw, `Resources.${id}.Properties.Variables`) });
  }
  for (const id of resolver.resourcesOfType('AWS::ApiGateway::Deployment').filter(belongsToApi)) {
    const props = template.Resources[id]!.Properties ?? {};
    if (props.StageName === undefined) continue;
    const raw = (props.StageDescription as { Variables?: unknown } | undefined)?.Variables;
    stages.push({
      name: resolver.resolveString(props.StageName, `Resources.${id}.Properties.StageName`),
      variables: variablesOf(raw, `Resources.${id}.Properties.StageDescription.Variables`),
    });
  }
  if (stages.length === 0) {
    throw new TemplateError(`${resolver.file}: API ${apiLogicalId} has no AWS::ApiGateway::Stage (nor a Deployment with StageName), so API Gateway would serve nothing`);
  }

  const binary = apiProps.BinaryMediaTypes === undefined ? [] : (resolver.resolve(apiProps.BinaryMediaTypes, `Resources.${apiLogicalId}.Properties.BinaryMediaTypes`) as unknown[]);
  const apiKeys = resolver
    .resourcesOfType('AWS::ApiGateway::ApiKey')
    .filter((id) => {
      const enabled = template.Resources[id]!.Properties?.Enabled;
      const value = enabled === undefined ? false : resolver.resolve(enabled, `Resources.${id}.Properties.Enabled`);
      return value === true || value === 'true';
    })
    .map((id) => {
      const value = template.Resources[id]!.Properties?.Value;
      return {
        logicalId: id,
        id: physicalId(id),
        value: value === undefined ? apiKeyValue : resolver.resolveString(value, `Resources.${id}.Properties.Value`),
      };
    });

  return {
    logicalId: apiLogicalId,
    id: apiId,
    stages,
    routes,
    // CloudFormation accepts `image/png`; the API Gateway API itself escapes `/` as `~1`.
    binaryMediaTypes: binary.map((t) => String(t).replace(/~1/g, '/')),
    apiKeys,
  };
}
