/**
 * What the local stack emulates, read from the template by walking its resources by type (never
 * by logical id): the Lambda functions, the DynamoDB tables, the REST API's routes, stages and
 * API keys, and the Outputs. Each resource type's physical id, `Fn::GetAtt` attributes and
 * reader are its entry in cli/local/resources/; this file composes the readers.
 */
import type { DynamoTableSpec } from './dynamodb.js';
import type { LocalGatewayResponse } from './gateway-responses.js';
import { TemplateResolver, type PseudoParameters } from './intrinsics.js';
import type { QuotaSettings, ThrottleSettings } from './throttle.js';
import { readApi } from './resources/api-gateway.js';
import type { RequestValidation } from './resources/api-gateway-validation.js';
import { dynamodbTable } from './resources/dynamodb.js';
import type { LocalCognitoAuth, LocalUserPool } from './resources/cognito.js';
import { lambdaFunction } from './resources/lambda.js';
import type { LocalMockIntegration } from './mock-integration.js';
import { uuidFrom } from './resources/names.js';
import { registry } from './resources/registry.js';
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
  /** LoggingConfig: JSON sets AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL, as Lambda does. */
  logging?: { format: 'Text' | 'JSON'; applicationLogLevel?: string };
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
  /** The function of an AWS_PROXY integration; '' for a MOCK (see `mock`). */
  functionLogicalId: string;
  apiKeyRequired: boolean;
  /** `NONE` or `AWS_IAM` (SigV4 signed requests). */
  authorizationType: string;
  /** Integration timeout (TimeoutInMillis, 29 s by default). */
  timeoutMs: number;
  methodLogicalId: string;
  /** The method's request validator, models and required parameters (resources/api-gateway-validation.ts). */
  validation?: RequestValidation | undefined;
  /** A MOCK integration (e.g. a CORS preflight): API Gateway answers it without a backend. */
  mock?: LocalMockIntegration;
  /** Set when the method's AuthorizationType is COGNITO_USER_POOLS. */
  cognito?: LocalCognitoAuth;
}

export interface LocalStage {
  name: string;
  variables: Record<string, string> | null;
  /** Physical id of the stage's AWS::ApiGateway::Deployment. */
  deploymentId: string;
  /** The stage-wide rate and burst (MethodSettings for `/*` and `*`), when set. */
  throttle?: ThrottleSettings;
}

export interface LocalUsagePlan {
  logicalId: string;
  /** Names of the API's stages it covers. */
  stages: string[];
  /** Ids of its API keys. */
  keyIds: string[];
  /** Per key. */
  throttle?: ThrottleSettings;
  /** Per key. */
  quota?: QuotaSettings;
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
  usagePlans: LocalUsagePlan[];
  /** The AWS::ApiGateway::GatewayResponse resources: headers and status for API Gateway's own answers. */
  gatewayResponses: LocalGatewayResponse[];
  /** The user pools the methods' Cognito authorizers name (served by the local issuer). */
  userPools: LocalUserPool[];
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

export function buildStackModel(loaded: LoadedTemplate, options: StackModelOptions): StackModel {
  const pseudo = pseudoParameters(options);
  const resolver = new TemplateResolver({ template: loaded.template, file: loaded.displayPath, pseudo, resources: registry, overrides: options.overrides, locate: loaded.locate });
  const functions = resolver.resourcesOfType(lambdaFunction.type).map((id) => lambdaFunction.read(id, resolver));
  const tables = resolver.resourcesOfType(dynamodbTable.type).map((id) => dynamodbTable.read(id, resolver));
  const api = readApi(resolver, functions, options.apiKeyValue);
  return { pseudo, parameters: resolver.parameterValues(), functions, tables, api, outputs: readOutputs(resolver) };
}

/** The Outputs whose Condition holds, lists joined with commas as CloudFormation shows them. */
function readOutputs(resolver: TemplateResolver): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [key, output] of Object.entries(resolver.template.Outputs ?? {})) {
    if (output.Condition !== undefined && !resolver.condition(output.Condition, `Outputs.${key}.Condition`)) continue;
    const value = resolver.resolve(output.Value, `Outputs.${key}.Value`);
    outputs[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return outputs;
}
