/** `cli status` and `cli outputs`: what the stack is doing, what happened last, what it exposes. */
import { CliError } from '../errors.js';
import { awsFailure } from '../aws/aws-errors.js';
import type { AlarmState, CloudWatchApi } from '../aws/cloudwatch-api.js';
import type { StackApi, StackEvent, StackOutput } from '../aws/stack-api.js';
import { stackAlarms, type StackDashboard } from '../observe/alarms.js';
import { orderOutputs, outputsRecord } from './outputs.js';
import { isSuccessStatus } from '../deploy/progress-state.js';
import { findRootCause, type RootCause } from '../deploy/root-cause.js';

export interface StatusResult {
  stackName: string;
  region: string;
  stackId: string;
  status: string;
  statusReason?: string;
  lastUpdated?: string;
  terminationProtection: boolean;
  outputs: Record<string, string>;
  orderedOutputs: StackOutput[];
  /** Newest last. */
  events: StackEvent[];
  /** When the last operation failed. */
  rootCause?: RootCause;
  /** The stack's alarms, ALARM first. */
  alarms: AlarmState[];
  dashboard?: StackDashboard;
}

export interface StatusDeps {
  aws: { region: string; profile?: string; stacks: StackApi; cloudwatch: Pick<CloudWatchApi, 'describeAlarms'> };
}

export async function stackStatus(options: { stackName: string; events?: number; hintFlags?: string; /** The template's Outputs order. */ outputOrder?: string[] }, deps: StatusDeps): Promise<StatusResult> {
  try {
    const { stacks, region } = deps.aws;
    const stack = await stacks.describeStack(options.stackName);
    if (!stack) {
      throw new CliError(`Stack ${options.stackName} does not exist in ${region}`, {
        details: [`Deploy it with \`npx cli deploy${options.hintFlags ?? ''}\`, or check --stage / --stack-name / --region.`],
      });
    }
    const limit = options.events ?? 10;
    const events = limit > 0 ? (await stacks.describeEvents(stack.stackId, { limit })).reverse() : [];
    const ordered = orderOutputs(stack.outputs, options.outputOrder);
    const failed = !isSuccessStatus(stack.status) && !stack.status.endsWith('_IN_PROGRESS');
    const watched = await stackAlarms(stack, await stacks.listResources(stack.stackId), deps.aws.cloudwatch, region);
    return {
      stackName: stack.stackName,
      region,
      stackId: stack.stackId,
      status: stack.status,
      statusReason: stack.statusReason,
      lastUpdated: (stack.lastUpdatedTime ?? stack.creationTime)?.toISOString(),
      terminationProtection: stack.terminationProtection,
      outputs: outputsRecord(ordered),
      orderedOutputs: ordered,
      events,
      rootCause: failed ? findRootCause(events, stack.stackName, { region, profile: deps.aws.profile, flags: options.hintFlags }) : undefined,
      ...watched,
    };
  } catch (err) {
    throw awsFailure(err, { profile: deps.aws.profile });
  }
}
