/**
 * AWS::IAM::* : named only (the local stack does not enforce permissions).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html
 */
import { generatedName, shortId } from './names.js';
import type { ResourceType } from './resource-type.js';

export const iamRole: ResourceType = {
  type: 'AWS::IAM::Role',
  physicalId: (id, resolver) => resolver.propertyString(id, 'RoleName') ?? generatedName(resolver.pseudo.stackName, id, 64),
  attributes: {
    // IAM is global: its ARNs have no region.
    Arn: (id, resolver) => `arn:${resolver.pseudo.partition}:iam::${resolver.pseudo.accountId}:role/${resolver.physicalId(id)}`,
    RoleId: (id, resolver) => `AROA${shortId(17, resolver.pseudo.stackName, id).toUpperCase()}`,
  },
};

/** A customer managed policy: `Ref` is its ARN. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html */
export const iamManagedPolicy: ResourceType = {
  type: 'AWS::IAM::ManagedPolicy',
  physicalId: (id, resolver) =>
    `arn:${resolver.pseudo.partition}:iam::${resolver.pseudo.accountId}:policy/${resolver.propertyString(id, 'ManagedPolicyName') ?? generatedName(resolver.pseudo.stackName, id, 128)}`,
  attributes: {
    PolicyArn: (id, resolver) => resolver.physicalId(id),
  },
};

export const IAM_TYPES: readonly ResourceType[] = [iamRole, iamManagedPolicy];
