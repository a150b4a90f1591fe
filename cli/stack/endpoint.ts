/**
 * The deployed API for `cli invoke --stage/--stack-name`: the stack's ApiEndpoint output and,
 * when the stack created an API key, its value (GetApiKey includeValue).
 */
import { withAwsFailures } from '../aws/aws-errors.js';
import type { AwsClients } from '../aws/clients.js';
import { CliError } from '../errors.js';

export interface StackEndpoint {
  /** ApiEndpoint: the stage's base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod */
  url: string;
  dynamoDbManagerUrl?: string;
  apiKey?: string;
  stackName: string;
  region: string;
}

export interface ResolveEndpointOptions {
  stackName: string;
  /** The target flags the user gave, repeated in the hint to deploy. */
  hintFlags: string;
}

/** The stack's endpoint through clients opened by withStack (cli/commands/stack-options.ts). */
export async function resolveStackEndpoint(options: ResolveEndpointOptions, deps: { aws: Pick<AwsClients, 'region' | 'profile' | 'stacks' | 'apiKeys'> }): Promise<StackEndpoint> {
  const { aws } = deps;
  return withAwsFailures({ profile: aws.profile, region: aws.region }, async () => {
    const stack = await aws.stacks.describeStack(options.stackName);
    if (!stack) throw new CliError(`Stack ${options.stackName} does not exist in ${aws.region}`, { details: [`Deploy it first: npx cli deploy${options.hintFlags}`] });
    const outputs = Object.fromEntries(stack.outputs.map((o) => [o.key, o.value]));
    const url = outputs.ApiEndpoint;
    if (!url) throw new CliError(`Stack ${options.stackName} has no ApiEndpoint output (status ${stack.status})`);
    const apiKey = outputs.ApiKeyId ? await aws.apiKeys.apiKeyValue(outputs.ApiKeyId) : undefined;
    return { url, dynamoDbManagerUrl: outputs.DynamoDBManagerUrl, apiKey, stackName: options.stackName, region: aws.region };
  });
}
