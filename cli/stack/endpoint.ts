/**
 * The deployed API for `cli invoke --stage/--stack-name`: the stack's ApiEndpoint output and,
 * when the stack created an API key, its value (GetApiKey includeValue).
 */
import { CliError } from '../errors.js';
import type { ApiKeyApi } from '../aws/data-api.js';
import type { StackApi } from '../aws/stack-api.js';
import { loadConfig, resolveStackTarget, targetFlagsHint, type StackFlags } from './config.js';

export interface StackEndpoint {
  /** ApiEndpoint: the stage's base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod */
  url: string;
  dynamoDbManagerUrl?: string;
  apiKey?: string;
  stackName: string;
  region: string;
}

export interface ResolveEndpointOptions extends StackFlags {
  /** Project root (for cli.config.json). */
  root: string;
  env: NodeJS.ProcessEnv;
}

export async function resolveStackEndpoint(
  options: ResolveEndpointOptions,
  deps: { aws?: { region: string; stacks: StackApi; apiKeys: ApiKeyApi } } = {},
): Promise<StackEndpoint> {
  const target = resolveStackTarget(options, options.env, await loadConfig(options.root));
  const owned = deps.aws ? undefined : await openClients(options.env, target);
  const aws = deps.aws ?? owned!;
  try {
    const stack = await aws.stacks.describeStack(target.stackName);
    if (!stack) throw new CliError(`Stack ${target.stackName} does not exist in ${aws.region}`, { details: [`Deploy it first: npx cli deploy${targetFlagsHint(options)}`] });
    const outputs = Object.fromEntries(stack.outputs.map((o) => [o.key, o.value]));
    const url = outputs.ApiEndpoint;
    if (!url) throw new CliError(`Stack ${target.stackName} has no ApiEndpoint output (status ${stack.status})`);
    const apiKey = outputs.ApiKeyId ? await aws.apiKeys.apiKeyValue(outputs.ApiKeyId) : undefined;
    return { url, dynamoDbManagerUrl: outputs.DynamoDBManagerUrl, apiKey, stackName: target.stackName, region: aws.region };
  } finally {
    owned?.destroy();
  }
}

/** Loaded on demand so that `cli invoke` against the local stack never imports the SDK clients. */
async function openClients(env: NodeJS.ProcessEnv, target: { region?: string; profile?: string }) {
  const { awsTargetFromEnv, createAwsClients } = await import('../aws/clients.js');
  return createAwsClients(awsTargetFromEnv(env, target));
}
