/**
 * Every resource type the local stack knows, by type, as the resolver's `Ref` and `Fn::GetAtt`.
 * A type with no entry still has a physical id (CloudFormation's generated name) and no
 * attributes, so a template may declare resources the emulator ignores.
 */
import { UnsupportedTemplateError, type ResourceResolver } from '../intrinsics.js';
import { API_GATEWAY_TYPES } from './api-gateway.js';
import { VALIDATION_TYPES } from './api-gateway-validation.js';
import { COGNITO_TYPES } from './cognito.js';
import { DYNAMODB_TYPES } from './dynamodb.js';
import { IAM_TYPES } from './iam.js';
import { LAMBDA_TYPES } from './lambda.js';
import { LOGS_TYPES } from './logs.js';
import { generatedName } from './names.js';
import type { ResourceType } from './resource-type.js';

export const RESOURCE_TYPES: readonly ResourceType[] = [...LAMBDA_TYPES, ...DYNAMODB_TYPES, ...API_GATEWAY_TYPES, ...VALIDATION_TYPES, ...IAM_TYPES, ...LOGS_TYPES, ...COGNITO_TYPES];

const byType = new Map(RESOURCE_TYPES.map((entry) => [entry.type, entry]));

const unknownType = (type: string): ResourceType => ({
  type,
  physicalId: (id, resolver) => generatedName(resolver.pseudo.stackName, id, 128),
  attributes: {},
});

function entryOf(type: string): ResourceType {
  return byType.get(type) ?? unknownType(type);
}

export const registry: ResourceResolver = {
  ref: (id, resolver) => entryOf(resolver.template.Resources[id]!.Type).physicalId(id, resolver),
  getAtt(id, attribute, path, resolver) {
    const { type, attributes } = entryOf(resolver.template.Resources[id]!.Type);
    const get = Object.hasOwn(attributes, attribute) ? attributes[attribute] : undefined;
    if (!get) {
      const names = Object.keys(attributes);
      throw new UnsupportedTemplateError(`${resolver.where(path)}: Fn::GetAtt ${id}.${attribute} (${type}) is not emulated by the local stack`, {
        details: names.length > 0 ? [`attributes of ${type} it emulates: ${names.join(', ')}`] : [],
      });
    }
    return get(id, resolver);
  },
};
