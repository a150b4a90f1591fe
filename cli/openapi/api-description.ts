/**
 * What an OpenAPI document says about the API, read from the template as CloudFormation would
 * resolve it with the given parameter values: each method's path, authorization, API key,
 * parameters, request model and documented responses, and every AWS::ApiGateway::Model's schema.
 * The same template resources `cli dev` enforces, so the document and the local stack agree.
 */
import { TemplateError, TemplateResolver } from '../local/intrinsics.js';
import { resourceTree, restApi } from '../local/resources/api-gateway.js';
import { apiModel } from '../local/resources/api-gateway-validation.js';
import { registry } from '../local/resources/registry.js';
import { pseudoParameters } from '../local/stack-model.js';
import type { LoadedTemplate } from '../template/read-template.js';

export interface DescribedParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required: boolean;
}

export interface DescribedMethod {
  /** `/items/{id}` */
  path: string;
  /** Upper case. */
  httpMethod: string;
  logicalId: string;
  /** NONE, AWS_IAM, COGNITO_USER_POOLS, CUSTOM. */
  authorizationType: string;
  apiKeyRequired: boolean;
  parameters: DescribedParameter[];
  /** The model name of the body ($default or application/json), if the method has one. */
  requestModel?: string;
  /** Whether a request validator checks the body / the parameters. */
  validatesBody: boolean;
  validatesParameters: boolean;
  /** Status code -> model name ('' for none). */
  responses: Record<string, string>;
}

export interface ApiDescription {
  title: string;
  description?: string;
  stages: string[];
  methods: DescribedMethod[];
  /** Model name -> JSON Schema draft 4. */
  models: Record<string, Record<string, unknown>>;
}

const bool = (v: unknown) => v === true || v === 'true';

export function describeApi(loaded: LoadedTemplate, options: { region: string; stackName: string; overrides?: Record<string, string> }): ApiDescription {
  const resolver = new TemplateResolver({ template: loaded.template, file: loaded.displayPath, pseudo: pseudoParameters(options), resources: registry, overrides: options.overrides ?? {}, locate: loaded.locate });
  const apis = resolver.resourcesOfType(restApi.type);
  if (apis.length !== 1) throw new TemplateError(`${loaded.displayPath}: an OpenAPI document describes one AWS::ApiGateway::RestApi; the template has ${apis.length}`);
  const apiId = apis[0]!;
  const physicalApi = resolver.physicalId(apiId);
  const ofApi = (type: string) => resolver.resourcesOfType(type).filter((id) => resolver.resolve(loaded.template.Resources[id]!.Properties?.RestApiId, `Resources.${id}.Properties.RestApiId`) === physicalApi);
  const pathOf = resourceTree(resolver, apiId, restApi.attributes.RootResourceId(apiId, resolver), ofApi('AWS::ApiGateway::Resource'));

  const models: ApiDescription['models'] = {};
  for (const id of ofApi(apiModel.type)) {
    const schema = resolver.property(id, 'Schema');
    models[resolver.physicalId(id)] = (typeof schema === 'string' ? JSON.parse(schema) : schema) as Record<string, unknown>;
  }
  const validators = new Map(ofApi('AWS::ApiGateway::RequestValidator').map((id) => [resolver.physicalId(id), id]));

  const methods = ofApi('AWS::ApiGateway::Method').map((id): DescribedMethod => {
    const at = (name: string) => `Resources.${id}.Properties.${name}`;
    const path = pathOf(resolver.resolveString(resolver.template.Resources[id]!.Properties?.ResourceId, at('ResourceId')), at('ResourceId'));
    const parameters: DescribedParameter[] = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => ({ in: 'path', name: m[1]!, required: true }));
    const given = (resolver.property(id, 'RequestParameters') ?? {}) as Record<string, unknown>;
    for (const [key, required] of Object.entries(given)) {
      const m = /^method\.request\.(header|querystring)\.(.+)$/.exec(key);
      if (m) parameters.push({ in: m[1] === 'header' ? 'header' : 'query', name: m[2]!, required: bool(required) });
    }
    const requestModels = (resolver.property(id, 'RequestModels') ?? {}) as Record<string, string>;
    const requestModel = requestModels.$default ?? requestModels['application/json'];
    const validatorId = resolver.propertyString(id, 'RequestValidatorId');
    const validator = validatorId === undefined ? undefined : validators.get(validatorId);
    const responses: Record<string, string> = {};
    for (const r of (resolver.property(id, 'MethodResponses') ?? []) as { StatusCode: string | number; ResponseModels?: Record<string, string> }[]) {
      responses[String(r.StatusCode)] = r.ResponseModels?.['application/json'] ?? '';
    }
    return {
      path,
      httpMethod: resolver.resolveString(resolver.template.Resources[id]!.Properties?.HttpMethod, at('HttpMethod')).toUpperCase(),
      logicalId: id,
      authorizationType: resolver.propertyString(id, 'AuthorizationType') ?? 'NONE',
      apiKeyRequired: bool(resolver.property(id, 'ApiKeyRequired')),
      parameters,
      ...(requestModel !== undefined ? { requestModel } : {}),
      validatesBody: validator !== undefined && bool(resolver.property(validator, 'ValidateRequestBody')),
      validatesParameters: validator !== undefined && bool(resolver.property(validator, 'ValidateRequestParameters')),
      responses,
    };
  });
  const stages = resolver.resourcesOfType('AWS::ApiGateway::Stage').map((id) => resolver.physicalId(id));
  const description = resolver.property(apiId, 'Description');
  return {
    title: resolver.propertyString(apiId, 'Name') ?? apiId,
    ...(typeof description === 'string' ? { description } : {}),
    stages,
    methods,
    models,
  };
}
