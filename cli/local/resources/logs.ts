/**
 * AWS::Logs::* : named only (function logs go to the terminal).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html
 */
import { arn, generatedName } from './names.js';
import type { ResourceType } from './resource-type.js';

export const logGroup: ResourceType = {
  type: 'AWS::Logs::LogGroup',
  physicalId: (id, resolver) => resolver.propertyString(id, 'LogGroupName') ?? generatedName(resolver.pseudo.stackName, id, 512),
  attributes: {
    Arn: (id, resolver) => arn(resolver.pseudo, 'logs', `log-group:${resolver.physicalId(id)}:*`),
  },
};

export const LOGS_TYPES: readonly ResourceType[] = [logGroup];
