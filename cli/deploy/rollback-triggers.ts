/**
 * CloudFormation's rollback triggers for a deploy: the stack's CloudWatch alarms, watched while
 * the change set runs and for `monitoringMinutes` after; if one goes into ALARM, CloudFormation
 * rolls the update back. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-rollback-triggers.html
 * The alarms must exist when the change set is created, so a stack's first deploy has none. The
 * composite `ApiUnhealthyAlarm` (the one that means "the API is unhealthy") is the trigger when
 * the stack has it; otherwise its alarms, at most five (the API's limit).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackConfiguration.html
 */
import { UsageError } from '../errors.js';
import type { RollbackConfiguration, StackResourceSummary } from '../aws/stack-api.js';

export const DEFAULT_MONITORING_MINUTES = 5;
/** MonitoringTimeInMinutes: 0 to 180. */
export const MAX_MONITORING_MINUTES = 180;
export const MAX_TRIGGERS = 5;
export const COMPOSITE_ALARM_ID = 'ApiUnhealthyAlarm';

const ALARM_TYPES = new Set(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']);

/** `--rollback-monitoring <minutes>`: a whole number of minutes, 0 to 180. */
export function parseMonitoringMinutes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MONITORING_MINUTES;
  if (!/^\d{1,3}$/.test(value) || Number(value) > MAX_MONITORING_MINUTES) {
    throw new UsageError(`--rollback-monitoring ${value}: give whole minutes from 0 to ${MAX_MONITORING_MINUTES} (CloudFormation's MonitoringTimeInMinutes)`);
  }
  return Number(value);
}

/** The triggers from the stack's resources; undefined when it has no alarm (yet). */
export function rollbackConfiguration(stackId: string, resources: readonly StackResourceSummary[], monitoringMinutes: number): RollbackConfiguration | undefined {
  const alarms = resources.filter((r) => ALARM_TYPES.has(r.resourceType) && r.physicalId && !/DELETE|FAILED/.test(r.status));
  if (alarms.length === 0) return undefined;
  const composite = alarms.find((a) => a.logicalId === COMPOSITE_ALARM_ID);
  const chosen = composite ? [composite] : alarms.slice(0, MAX_TRIGGERS);
  // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
  const [, partition, , region, account] = stackId.split(':');
  return {
    monitoringMinutes,
    triggers: chosen.map((a) => ({ arn: alarmArn(a.physicalId!, partition ?? 'aws', region ?? '', account ?? ''), type: a.resourceType })),
  };
}

/** An alarm's physical id is its name, or already its ARN. */
function alarmArn(physicalId: string, partition: string, region: string, account: string): string {
  return physicalId.startsWith('arn:') ? physicalId : `arn:${partition}:cloudwatch:${region}:${account}:alarm:${physicalId}`;
}
