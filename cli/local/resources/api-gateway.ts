/**
 * AWS::ApiGateway::* as the local stack emulates them: one REST API, its resource tree and Lambda
 * proxy methods (the routes), its stages and its API keys. `Ref` and `Fn::GetAtt` as documented
 * under "Return values" of each type, e.g.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-restapi.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-resource.html
 */
import { readGatewayResponse } from '../gateway-responses.js';
import { TemplateError, UnsupportedTemplateError, type TemplateResolver } from '../intrinsics.js';
import { readMockIntegration } from '../mock-integration.js';
import type { LocalApi, LocalFunction, LocalRoute, LocalStage, LocalUsagePlan } from '../stack-model.js';
import type { QuotaSettings, ThrottleSettings } from '../throttle.js';
import { readRequestValidation } from './api-gateway-validation.js';
import { readCognitoAuth, readUserPools } from './cognito.js';
import { generatedName, shortId } from './names.js';
import type { ResourceType, ResourceValue } from './resource-type.js';

/** API Gateway's own ids (`a1b2c3d4e5`): 10 characters for APIs, keys and plans, 6 for the rest. */
const apiGatewayId = (length: number): ResourceValue => (id, resolver) => shortId(length, resolver.pseudo.stackName, id);

/** An attribute that is the id `Ref` gives. */
const refId: ResourceValue = (id, resolver) => resolver.physicalId(id);

/** The emulated API's parts, given to the readers of its children. */
interface ApiContext {
  /** The full path (`/items/{id}`) of a resource id of the API; `at` locates the reference. */
  pathOf(resourceId: string, at: string): string;
  functions: readonly LocalFunction[];
  apiKeyValue: string;
}

export const restApi = {
  type: 'AWS::ApiGateway::RestApi',
  physicalId: apiGatewayId(10),
  attributes: {
    RootResourceId: (id, resolver) => shortId(10, resolver.pseudo.stackName, id, 'root'),
    RestApiId: refId,
  },
  read(apiLogicalId: string, resolver: TemplateResolver, functions: readonly LocalFunction[], apiKeyValue: string): LocalApi {
    const template = resolver.template;
    const apiProps = template.Resources[apiLogicalId]!.Properties ?? {};
    for (const unsupported of ['Body', 'BodyS3Location', 'CloneFrom']) {
      if (apiProps[unsupported] !== undefined) {
        throw new UnsupportedTemplateError(`${resolver.where(`Resources.${apiLogicalId}.Properties.${unsupported}`)}: an API defined by ${unsupported} is not emulated (define AWS::ApiGateway::Resource and Method resources)`);
      }
    }
    const apiId = resolver.physicalId(apiLogicalId);
    const belongsToApi = (id: string) => {
      const value = template.Resources[id]!.Properties?.RestApiId;
      return value !== undefined && resolver.resolve(value, `Resources.${id}.Properties.RestApiId`) === apiId;
    };
    const childrenOf = (type: string) => resolver.resourcesOfType(type).filter(belongsToApi);
    const api: ApiContext = {
      pathOf: resourceTree(resolver, apiLogicalId, restApi.attributes.RootResourceId(apiLogicalId, resolver), childrenOf(apiResource.type)),
      functions,
      apiKeyValue,
    };

    const routes = childrenOf(apiMethod.type).map((id) => apiMethod.read(id, resolver, api));
    const stages = [
      ...childrenOf(apiStage.type).map((id) => apiStage.read(id, resolver)),
      ...childrenOf(apiDeployment.type).flatMap((id) => apiDeployment.read(id, resolver) ?? []),
    ];
    if (stages.length === 0) {
      throw new TemplateError(`${resolver.file}: API ${apiLogicalId} has no AWS::ApiGateway::Stage (nor a Deployment with StageName), so API Gateway would serve nothing`);
    }
    const binary = apiProps.BinaryMediaTypes === undefined ? [] : (resolver.resolve(apiProps.BinaryMediaTypes, `Resources.${apiLogicalId}.Properties.BinaryMediaTypes`) as unknown[]);
    const apiKeys = resolver.resourcesOfType(apiKey.type).flatMap((id) => apiKey.read(id, resolver, api) ?? []);
    const usagePlans = resolver.resourcesOfType(usagePlan.type).flatMap((id) => usagePlan.read(id, resolver, apiId) ?? []);
    const gatewayResponses = childrenOf(gatewayResponse.type).map((id) => readGatewayResponse(id, resolver));

    return {
      logicalId: apiLogicalId,
      id: apiId,
      stages,
      routes,
      // CloudFormation accepts `image/png`; the API Gateway API itself escapes `/` as `~1`.
      binaryMediaTypes: binary.map((t) => String(t).replace(/~1/g, '/')),
      apiKeys,
      usagePlans,
      gatewayResponses,
      userPools: readUserPools(resolver, routes.flatMap((r) => r.cognito ?? [])),
    };
  },
} satisfies ResourceType;

/** The one REST API the local stack serves. */
export function readApi(resolver: TemplateResolver, functions: readonly LocalFunction[], apiKeyValue: string): LocalApi {
  const apis = resolver.resourcesOfType(restApi.type);
  if (apis.length !== 1) {
    throw new UnsupportedTemplateError(`${resolver.file}: the local stack serves exactly one AWS::ApiGateway::RestApi; the template has ${apis.length}`);
  }
  return restApi.read(apis[0]!, resolver, functions, apiKeyValue);
}

export const apiResource: ResourceType = {
  type: 'AWS::ApiGateway::Resource',
  physicalId: apiGatewayId(6),
  attributes: {
    ResourceId: refId,
  },
};

/** Resource id -> full path, for the API's resources (`resourceIds`) under its root. */
export function resourceTree(resolver: TemplateResolver, apiLogicalId: string, rootId: string, resourceIds: readonly string[]): (resourceId: string, at: string) => string {
  const template = resolver.template;
  // Parents may be declared after children, so resolve lazily.
  const byPhysical = new Map(resourceIds.map((id) => [resolver.physicalId(id), id]));
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
  for (const id of resourceIds) pathOf(resolver.physicalId(id), new Set(), `Resources.${id}`);
  return (resourceId, at) => pathOf(resourceId, new Set(), at);
}

export const apiMethod = {
  type: 'AWS::ApiGateway::Method',
  physicalId: (id, resolver) => generatedName(resolver.pseudo.stackName, id, 128),
  attributes: {},
  read(id: string, resolver: TemplateResolver, api: ApiContext): LocalRoute {
    const p = (name: string) => `Resources.${id}.Properties.${name}`;
    const props = resolver.template.Resources[id]!.Properties ?? {};
    const resourceId = resolver.resolveString(props.ResourceId, p('ResourceId'));
    const resourcePath = api.pathOf(resourceId, p('ResourceId'));
    const httpMethod = resolver.resolveString(props.HttpMethod, p('HttpMethod')).toUpperCase();
    const authorization = props.AuthorizationType === undefined ? 'NONE' : resolver.resolveString(props.AuthorizationType, p('AuthorizationType'));
    if (authorization !== 'NONE' && authorization !== 'AWS_IAM' && authorization !== 'COGNITO_USER_POOLS') {
      throw new UnsupportedTemplateError(`${resolver.where(p('AuthorizationType'))}: ${authorization} authorization is not emulated by the local stack (NONE, AWS_IAM, COGNITO_USER_POOLS and API keys are)`);
    }
    const cognito = authorization === 'COGNITO_USER_POOLS' ? readCognitoAuth(id, resolver) : undefined;
    const integration = resolver.resolve(props.Integration, p('Integration')) as
      | { Type?: string; Uri?: string; TimeoutInMillis?: number | string }
      | undefined;
    const apiKeyRequired = props.ApiKeyRequired === undefined ? false : resolver.resolve(props.ApiKeyRequired, p('ApiKeyRequired'));
    if (integration?.Type === 'MOCK') {
      // API Gateway answers a MOCK itself: no function, no integration timeout to wait for.
      const mock = readMockIntegration(integration as Record<string, unknown>, resolver.resolve(props.MethodResponses, p('MethodResponses')), (name) => resolver.where(p(name)));
      return { resourcePath, resourceId, httpMethod, functionLogicalId: '', apiKeyRequired: apiKeyRequired === true || apiKeyRequired === 'true', authorizationType: authorization, timeoutMs: 29_000, methodLogicalId: id, mock };
    }
    if (!integration || integration.Type !== 'AWS_PROXY') {
      throw new UnsupportedTemplateError(`${resolver.where(p('Integration.Type'))}: integration type ${integration?.Type ?? '(none)'} is not emulated; the local stack runs Lambda proxy (AWS_PROXY) and MOCK integrations`);
    }
    // arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations
    const target = /\/functions\/(.+)\/invocations$/.exec(String(integration.Uri ?? ''))?.[1];
    const fn = api.functions.find((f) => target === f.arn || target?.startsWith(`${f.arn}:`));
    if (!fn) {
      throw new UnsupportedTemplateError(`${resolver.where(p('Integration.Uri'))}: ${integration.Uri} does not invoke a Lambda function of this template`);
    }
    const timeoutMs = integration.TimeoutInMillis === undefined ? 29_000 : Number(integration.TimeoutInMillis);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > 29_000) {
      throw new TemplateError(`${resolver.where(p('Integration.TimeoutInMillis'))}: must be 50-29000, got ${integration.TimeoutInMillis}`);
    }
    return {
      resourcePath,
      resourceId,
      httpMethod,
      functionLogicalId: fn.logicalId,
      apiKeyRequired: apiKeyRequired === true || apiKeyRequired === 'true',
      authorizationType: authorization,
      timeoutMs,
      methodLogicalId: id,
      validation: readRequestValidation(id, resolver),
      ...(cognito ? { cognito } : {}),
    };
  },
} satisfies ResourceType;

function stageVariables(resolver: TemplateResolver, raw: unknown, path: string): Record<string, string> | null {
  if (raw === undefined) return null;
  const value = resolver.resolve(raw, path) as Record<string, unknown> | undefined;
  const entries = Object.entries(value ?? {}).map(([k, v]) => [k, String(v)] as const);
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

export const apiStage = {
  type: 'AWS::ApiGateway::Stage',
  physicalId: (id, resolver) => resolver.propertyString(id, 'StageName') ?? apiGatewayId(6)(id, resolver),
  attributes: {},
  read(id: string, resolver: TemplateResolver): LocalStage {
    const props = resolver.template.Resources[id]!.Properties ?? {};
    const throttle = stageThrottle(resolver, props.MethodSettings, `Resources.${id}.Properties.MethodSettings`);
    return {
      name: resolver.physicalId(id),
      variables: stageVariables(resolver, props.Variables, `Resources.${id}.Properties.Variables`),
      deploymentId: props.DeploymentId === undefined ? '' : resolver.resolveString(props.DeploymentId, `Resources.${id}.Properties.DeploymentId`),
      ...(throttle ? { throttle } : {}),
    };
  },
} satisfies ResourceType;

/** A positive number from the template, or a TemplateError naming where. */
function positiveNumber(resolver: TemplateResolver, raw: unknown, path: string): number {
  const n = Number(resolver.resolve(raw, path));
  if (!Number.isFinite(n) || n < 0) throw new TemplateError(`${resolver.where(path)}: must be a number of at least 0, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * The stage-wide throttle: the MethodSettings entry for every method (`ResourcePath: '/*'`,
 * `HttpMethod: '*'`). Per-method entries are not emulated (the README's known differences).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigateway-stage-methodsetting.html
 */
function stageThrottle(resolver: TemplateResolver, raw: unknown, path: string): ThrottleSettings | undefined {
  if (raw === undefined) return undefined;
  const settings = resolver.resolve(raw, path) as { ResourcePath?: string; HttpMethod?: string; ThrottlingRateLimit?: unknown; ThrottlingBurstLimit?: unknown }[] | undefined;
  const index = (settings ?? []).findIndex((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');
  const all = settings?.[index];
  if (!all || all.ThrottlingRateLimit === undefined || all.ThrottlingBurstLimit === undefined) return undefined;
  return {
    rateLimit: positiveNumber(resolver, all.ThrottlingRateLimit, `${path}.${index}.ThrottlingRateLimit`),
    burstLimit: positiveNumber(resolver, all.ThrottlingBurstLimit, `${path}.${index}.ThrottlingBurstLimit`),
  };
}

export const apiDeployment = {
  type: 'AWS::ApiGateway::Deployment',
  physicalId: apiGatewayId(6),
  attributes: {
    DeploymentId: refId,
  },
  /** The stage a Deployment with `StageName` creates; none without. */
  read(id: string, resolver: TemplateResolver): LocalStage | undefined {
    const props = resolver.template.Resources[id]!.Properties ?? {};
    if (props.StageName === undefined) return undefined;
    const raw = (props.StageDescription as { Variables?: unknown } | undefined)?.Variables;
    return {
      name: resolver.resolveString(props.StageName, `Resources.${id}.Properties.StageName`),
      variables: stageVariables(resolver, raw, `Resources.${id}.Properties.StageDescription.Variables`),
      deploymentId: resolver.physicalId(id),
    };
  },
} satisfies ResourceType;

export const apiKey = {
  type: 'AWS::ApiGateway::ApiKey',
  physicalId: apiGatewayId(10),
  attributes: {
    APIKeyId: refId,
  },
  /** An enabled key and its value (`api.apiKeyValue` for a key without `Value`); none when disabled. */
  read(id: string, resolver: TemplateResolver, api: ApiContext): LocalApi['apiKeys'][number] | undefined {
    const enabled = resolver.template.Resources[id]!.Properties?.Enabled;
    const on = enabled === undefined ? false : resolver.resolve(enabled, `Resources.${id}.Properties.Enabled`);
    if (on !== true && on !== 'true') return undefined;
    const value = resolver.template.Resources[id]!.Properties?.Value;
    return {
      logicalId: id,
      id: resolver.physicalId(id),
      value: value === undefined ? api.apiKeyValue : resolver.resolveString(value, `Resources.${id}.Properties.Value`),
    };
  },
} satisfies ResourceType;

const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;

/**
 * A usage plan: its stages of this API, its per-key Throttle and Quota, and (through the
 * AWS::ApiGateway::UsagePlanKey resources naming it) its keys.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-usageplan.html
 */
export const usagePlan = {
  type: 'AWS::ApiGateway::UsagePlan',
  physicalId: apiGatewayId(10),
  attributes: {
    Id: refId,
  },
  read(id: string, resolver: TemplateResolver, apiId: string): LocalUsagePlan | undefined {
    const p = (name: string) => `Resources.${id}.Properties.${name}`;
    const stages = ((resolver.property(id, 'ApiStages') as { ApiId?: string; Stage?: string }[] | undefined) ?? [])
      .filter((s) => s.ApiId === apiId && typeof s.Stage === 'string')
      .map((s) => s.Stage!);
    if (stages.length === 0) return undefined;
    const throttle = resolver.property(id, 'Throttle') as { RateLimit?: unknown; BurstLimit?: unknown } | undefined;
    const quota = resolver.property(id, 'Quota') as { Limit?: unknown; Period?: unknown; Offset?: unknown } | undefined;
    let quotaSettings: QuotaSettings | undefined;
    if (quota !== undefined && quota.Limit !== undefined) {
      const period = String(quota.Period ?? '');
      if (!(QUOTA_PERIODS as readonly string[]).includes(period)) throw new TemplateError(`${resolver.where(p('Quota.Period'))}: must be one of ${QUOTA_PERIODS.join(', ')}, got ${JSON.stringify(quota.Period)}`);
      quotaSettings = {
        limit: positiveNumber(resolver, quota.Limit, p('Quota.Limit')),
        period: period as QuotaSettings['period'],
        offset: quota.Offset === undefined ? 0 : positiveNumber(resolver, quota.Offset, p('Quota.Offset')),
      };
    }
    const planId = resolver.physicalId(id);
    const keyIds = resolver
      .resourcesOfType(usagePlanKey.type)
      .filter((k) => resolver.propertyString(k, 'UsagePlanId') === planId)
      .map((k) => resolver.propertyString(k, 'KeyId')!);
    return {
      logicalId: id,
      stages,
      keyIds,
      ...(throttle?.RateLimit !== undefined && throttle.BurstLimit !== undefined
        ? { throttle: { rateLimit: positiveNumber(resolver, throttle.RateLimit, p('Throttle.RateLimit')), burstLimit: positiveNumber(resolver, throttle.BurstLimit, p('Throttle.BurstLimit')) } }
        : {}),
      ...(quotaSettings ? { quota: quotaSettings } : {}),
    };
  },
} satisfies ResourceType;

export const usagePlanKey: ResourceType = {
  type: 'AWS::ApiGateway::UsagePlanKey',
  physicalId: apiGatewayId(10),
  attributes: {},
};

/** Read by the API (readGatewayResponse); `Ref` is its id. */
export const gatewayResponse: ResourceType = {
  type: 'AWS::ApiGateway::GatewayResponse',
  physicalId: apiGatewayId(6),
  attributes: {},
};

export const API_GATEWAY_TYPES: readonly ResourceType[] = [restApi, apiResource, apiMethod, apiStage, apiDeployment, apiKey, usagePlan, usagePlanKey, gatewayResponse];
