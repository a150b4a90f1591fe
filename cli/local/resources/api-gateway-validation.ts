/**
 * AWS::ApiGateway::Model and AWS::ApiGateway::RequestValidator as the local stack emulates them,
 * and what a Method's RequestValidatorId, RequestModels and RequestParameters make of them: the
 * checks API Gateway runs before it invokes the integration.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-model.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-requestvalidator.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
import { TemplateError, type TemplateResolver } from '../intrinsics.js';
import { compileSchema, SchemaError, type SchemaProblem } from '../json-schema.js';
import { generatedName, shortId } from './names.js';
import type { ResourceType } from './resource-type.js';

/** One request model: its name and its compiled schema. */
export interface RequestModel {
  name: string;
  check(value: unknown): SchemaProblem[];
}

/** What API Gateway checks of a method's requests (its request validator's flags). */
export interface RequestValidation {
  validatorName: string;
  /** Content type (lower case, or `$default`) -> model; checked only when the validator validates the body. */
  models: ReadonlyMap<string, RequestModel> | undefined;
  /** Required header and query string parameters; checked only when the validator validates parameters. */
  requiredParameters: readonly { in: 'header' | 'querystring'; name: string }[] | undefined;
}

export const apiModel = {
  type: 'AWS::ApiGateway::Model',
  // Ref is the model's name; CloudFormation generates one when Name is left out.
  physicalId: (id, resolver) => resolver.propertyString(id, 'Name') ?? generatedName(resolver.pseudo.stackName, id, 128).replace(/[^A-Za-z0-9]/g, ''),
  attributes: {},
} satisfies ResourceType;

export const apiRequestValidator = {
  type: 'AWS::ApiGateway::RequestValidator',
  physicalId: (id, resolver) => shortId(6, resolver.pseudo.stackName, id),
  attributes: { RequestValidatorId: (id, resolver) => resolver.physicalId(id) },
} satisfies ResourceType;

export const VALIDATION_TYPES: readonly ResourceType[] = [apiModel, apiRequestValidator];

const flag = (resolver: TemplateResolver, id: string, name: string): boolean => {
  const v = resolver.property(id, name);
  return v === true || v === 'true';
};

/** Compiled models by logical id, made once per template reading. */
const compiled = new WeakMap<TemplateResolver, Map<string, RequestModel>>();

function modelNamed(resolver: TemplateResolver, name: string, at: string): RequestModel {
  let models = compiled.get(resolver);
  if (!models) compiled.set(resolver, (models = new Map()));
  const id = resolver.resourcesOfType(apiModel.type).find((m) => resolver.physicalId(m) === name);
  if (!id) throw new TemplateError(`${resolver.where(at)}: model ${JSON.stringify(name)} is no AWS::ApiGateway::Model of this template`);
  const known = models.get(id);
  if (known) return known;
  const where = `Resources.${id}.Properties.Schema`;
  const schema = resolver.property(id, 'Schema');
  let parsed = schema;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema);
    } catch {
      throw new TemplateError(`${resolver.where(where)}: a Schema given as a string must be JSON`);
    }
  }
  let check: RequestModel['check'];
  try {
    check = compileSchema(parsed, where);
  } catch (err) {
    if (err instanceof SchemaError) throw new TemplateError(`${resolver.where(where)}: ${err.message}`);
    throw err;
  }
  const model = { name, check };
  models.set(id, model);
  return model;
}

/** The checks of method `id`, or undefined when it has no request validator. */
export function readRequestValidation(id: string, resolver: TemplateResolver): RequestValidation | undefined {
  const p = (name: string) => `Resources.${id}.Properties.${name}`;
  const validatorId = resolver.propertyString(id, 'RequestValidatorId');
  if (validatorId === undefined || validatorId === '') return undefined;
  const validator = resolver.resourcesOfType(apiRequestValidator.type).find((v) => resolver.physicalId(v) === validatorId);
  if (!validator) throw new TemplateError(`${resolver.where(p('RequestValidatorId'))}: ${validatorId} is no AWS::ApiGateway::RequestValidator of this template`);

  let models: Map<string, RequestModel> | undefined;
  if (flag(resolver, validator, 'ValidateRequestBody')) {
    models = new Map();
    const given = (resolver.property(id, 'RequestModels') ?? {}) as Record<string, unknown>;
    for (const [contentType, name] of Object.entries(given)) {
      models.set(contentType.toLowerCase(), modelNamed(resolver, String(name), p(`RequestModels.${contentType}`)));
    }
  }
  let requiredParameters: { in: 'header' | 'querystring'; name: string }[] | undefined;
  if (flag(resolver, validator, 'ValidateRequestParameters')) {
    requiredParameters = [];
    const given = (resolver.property(id, 'RequestParameters') ?? {}) as Record<string, unknown>;
    // Sorted, as API Gateway lists them in "Missing required request parameters: [...]".
    for (const key of Object.keys(given).sort()) {
      const required = given[key] === true || given[key] === 'true';
      const m = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(key);
      if (!m) throw new TemplateError(`${resolver.where(p(`RequestParameters.${key}`))}: expected method.request.{header|querystring|path}.<name>`);
      // A path parameter is always there once the route matched.
      if (required && m[1] !== 'path') requiredParameters.push({ in: m[1] as 'header' | 'querystring', name: m[2]! });
    }
  }
  return { validatorName: resolver.propertyString(validator, 'Name') ?? validator, models, requiredParameters };
}
