/**
 * What `cli metrics`, `cli traces` and `cli status` watch in a deployed stack, found through its
 * resources (by type, not logical id): the function, the REST API and its stage, the alarms and
 * the dashboard.
 */
import type { ApiKeyApi } from '../aws/data-api.js';
import type { StackApi, StackDescription, StackResourceSummary } from '../aws/stack-api.js';
import { CliError } from '../errors.js';

export interface MonitoredStack {
  stack: StackDescription;
  functionName?: string;
  /** The REST API's name (the ApiName dimension), not its id. */
  apiName?: string;
  stage?: string;
  /** Physical ids (names) of the stack's AWS::CloudWatch::Alarm and CompositeAlarm resources. */
  alarmNames: string[];
  dashboardName?: string;
}

export async function monitoredStack(
  stacks: StackApi,
  restApis: Pick<ApiKeyApi, 'restApiName'>,
  options: { stackName: string; hintFlags?: string; region: string },
): Promise<MonitoredStack> {
  const stack = await stacks.describeStack(options.stackName);
  if (!stack) {
    throw new CliError(`Stack ${options.stackName} does not exist in ${options.region}`, {
      details: [`Deploy it with \`npx cli deploy${options.hintFlags ?? ''}\`, or check --stage / --stack-name / --region.`],
    });
  }
  const resources = await stacks.listResources(stack.stackId);
  return { stack, ...(await monitoredResources(stack, resources, restApis)) };
}

export async function monitoredResources(
  stack: StackDescription,
  resources: StackResourceSummary[],
  restApis: Pick<ApiKeyApi, 'restApiName'>,
): Promise<Omit<MonitoredStack, 'stack'>> {
  const physical = (type: string) => resources.filter((r) => r.resourceType === type && r.physicalId).map((r) => r.physicalId!);
  const outputs = Object.fromEntries(stack.outputs.map((o) => [o.key, o.value]));
  const restApiId = physical('AWS::ApiGateway::RestApi')[0];
  // A stage's physical id is its name (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-stage.html#aws-resource-apigateway-stage-return-values).
  const stage = stack.parameters.StageName || physical('AWS::ApiGateway::Stage')[0];
  return {
    functionName: outputs.FunctionName || physical('AWS::Lambda::Function')[0],
    apiName: restApiId ? await restApis.restApiName(restApiId) : undefined,
    stage,
    alarmNames: [...physical('AWS::CloudWatch::Alarm'), ...physical('AWS::CloudWatch::CompositeAlarm')],
    dashboardName: outputs.DashboardName || physical('AWS::CloudWatch::Dashboard')[0],
  };
}

/** The console page of a CloudWatch dashboard (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html). */
export function dashboardUrl(region: string, name: string): string {
  const host = region.startsWith('cn-') ? 'console.amazonaws.cn' : region.startsWith('us-gov-') ? 'console.amazonaws-us-gov.com' : 'console.aws.amazon.com';
  return `https://${region}.${host}/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(name)}`;
}
