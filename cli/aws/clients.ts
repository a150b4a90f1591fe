/**
 * The one place AWS clients are built. Everything else sees the narrow interfaces (StackApi,
 * ArtifactStore, Identity, LogsApi, TableApi, ApiKeyApi, CloudWatchApi, TraceApi, UserPoolApi,
 * FunctionApi, DriftApi); every client shares one region,
 * profile, endpoint and call counter.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { XRayClient } from '@aws-sdk/client-xray';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
/** Static keys, as the SDK's fromEnv provider would read them. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
import { UsageError } from '../errors.js';
import { createS3ArtifactStore, type ArtifactStore } from './artifact-store.js';
import { createApiGatewayKeyApi, createDynamoTableApi, type ApiKeyApi, type TableApi } from './data-api.js';
import { createCloudWatchApi, type CloudWatchApi } from './cloudwatch-api.js';
import { createXRayTraceApi, type TraceApi } from './xray-api.js';
import { createStsIdentity, type Identity } from './identity.js';
import { createSdkDriftApi, type DriftApi } from './drift-api.js';
import { createSdkFunctionApi, type FunctionApi } from './function-api.js';
import { createCloudWatchLogsApi, type LogsApi } from './logs-api.js';
import { keepErrorDetails } from './aws-errors.js';
import { countCalls, createCallMetrics, type CallMetrics } from './metrics.js';
import { createSdkStackApi, type StackApi } from './stack-api.js';
import { createUserPoolApi, type UserPoolApi } from './user-pool-api.js';

export interface AwsTarget {
  /** Undefined: the SDK chain decides (AWS_REGION, then the profile's region). */
  region?: string;
  /** Undefined: the SDK chain decides (AWS_PROFILE, then `default`). */
  profile?: string;
  /** AWS_ENDPOINT_URL: every client talks to it (an emulator such as moto). */
  endpoint?: string;
  /** Static credentials; undefined: the SDK's default chain (env, SSO, profiles, IMDS...). */
  credentials?: StaticCredentials;
}

export interface AwsClients {
  region: string;
  profile?: string;
  endpoint?: string;
  stacks: StackApi;
  artifacts: ArtifactStore;
  identity: Identity;
  logs: LogsApi;
  tables: TableApi;
  apiKeys: ApiKeyApi;
  cloudwatch: CloudWatchApi;
  traces: TraceApi;
  userPools: UserPoolApi;
  functions: FunctionApi;
  drift: DriftApi;
  metrics: CallMetrics;
  destroy(): void;
}

/**
 * CloudFormation polling is where throttling bites; a few more attempts than the SDK's default 3
 * (with its exponential backoff and jitter) ride out a burst.
 */
const MAX_ATTEMPTS = 6;

export async function createAwsClients(target: AwsTarget): Promise<AwsClients> {
  const common = {
    region: target.region,
    profile: target.profile,
    endpoint: target.endpoint,
    credentials: target.credentials,
    maxAttempts: MAX_ATTEMPTS,
  };
  const cfn = new CloudFormationClient(common);
  let region: string;
  try {
    region = await cfn.config.region();
  } catch (err) {
    cfn.destroy();
    throw new UsageError('No AWS region configured', {
      cause: err,
      details: ['Pass --region, set AWS_REGION, put "region" in cli.config.json, or set a region in your AWS profile.'],
    });
  }
  const withRegion = { ...common, region };
  // Emulators serve S3 on one host, so buckets go in the path rather than the host name.
  const s3 = new S3Client({ ...withRegion, forcePathStyle: target.endpoint !== undefined });
  const sts = new STSClient(withRegion);
  const logs = new CloudWatchLogsClient(withRegion);
  const dynamodb = new DynamoDBClient(withRegion);
  const apigateway = new APIGatewayClient(withRegion);
  // CloudWatch answers both its query protocol and JSON 1.0; this SDK speaks JSON by default,
  // which moto (and older endpoints) cannot parse, so the CLI speaks query, which every
  // CloudWatch endpoint does (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/making-api-requests.html).
  const cloudwatch = new CloudWatchClient({ ...withRegion, protocol: AwsQueryProtocol });
  const xray = new XRayClient(withRegion);
  const cognito = new CognitoIdentityProviderClient(withRegion);
  const lambda = new LambdaClient(withRegion);

  const metrics = createCallMetrics();
  countCalls(cfn, 'CloudFormation', metrics);
  countCalls(s3, 'S3', metrics);
  countCalls(sts, 'STS', metrics);
  countCalls(logs, 'CloudWatchLogs', metrics);
  countCalls(dynamodb, 'DynamoDB', metrics);
  countCalls(apigateway, 'APIGateway', metrics);
  countCalls(cloudwatch, 'CloudWatch', metrics);
  countCalls(xray, 'XRay', metrics);
  countCalls(cognito, 'CognitoIdentityProvider', metrics);
  countCalls(lambda, 'Lambda', metrics);
  for (const client of [cfn, s3, sts, logs, dynamodb, apigateway, cloudwatch, xray, cognito, lambda]) keepErrorDetails(client);

  return {
    region,
    profile: target.profile,
    endpoint: target.endpoint,
    stacks: createSdkStackApi(cfn),
    artifacts: createS3ArtifactStore(s3),
    identity: createStsIdentity(sts),
    logs: createCloudWatchLogsApi(logs),
    tables: createDynamoTableApi(dynamodb),
    apiKeys: createApiGatewayKeyApi(apigateway),
    cloudwatch: createCloudWatchApi(cloudwatch),
    traces: createXRayTraceApi(xray),
    userPools: createUserPoolApi(cognito),
    functions: createSdkFunctionApi(lambda),
    drift: createSdkDriftApi(cfn),
    metrics,
    destroy() {
      for (const client of [cfn, s3, sts, logs, dynamodb, apigateway, cloudwatch, xray, cognito, lambda]) client.destroy();
    },
  };
}

/**
 * The AWS part of the environment, read from an injected env (not process.env) so tests and
 * the bench can target an emulator without touching the process. Mirrors the SDK chain: static
 * keys from the environment are used only when no profile is selected.
 */
export function awsTargetFromEnv(
  env: NodeJS.ProcessEnv,
  flags: { region?: string; profile?: string },
): AwsTarget {
  const profile = flags.profile ?? nonEmpty(env.AWS_PROFILE);
  const region = flags.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL);
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const credentials =
    profile === undefined && accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, sessionToken: nonEmpty(env.AWS_SESSION_TOKEN) }
      : undefined;
  return { region, profile, endpoint, credentials };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
