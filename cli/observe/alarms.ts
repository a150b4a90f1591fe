/** The alarms and dashboard `cli status` shows: the stack's own, found through its resources. */
import type { AlarmState, CloudWatchApi } from '../aws/cloudwatch-api.js';
import type { StackDescription, StackResourceSummary } from '../aws/stack-api.js';
import { dashboardUrl } from './monitored-stack.js';

export interface StackDashboard {
  name: string;
  url: string;
}

const STATE_ORDER: Record<string, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

/** ALARM first, then INSUFFICIENT_DATA, then OK; by name within a state. Pure. */
export function orderAlarms(alarms: readonly AlarmState[]): AlarmState[] {
  return [...alarms].sort((a, b) => (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3) || a.name.localeCompare(b.name));
}

export async function stackAlarms(
  stack: StackDescription,
  resources: readonly StackResourceSummary[],
  cloudwatch: Pick<CloudWatchApi, 'describeAlarms'>,
  region: string,
): Promise<{ alarms: AlarmState[]; dashboard?: StackDashboard }> {
  const names = resources
    .filter((r) => (r.resourceType === 'AWS::CloudWatch::Alarm' || r.resourceType === 'AWS::CloudWatch::CompositeAlarm') && r.physicalId)
    .map((r) => r.physicalId!);
  const alarms = names.length > 0 ? orderAlarms(await cloudwatch.describeAlarms(names)) : [];
  const dashboardName = stack.outputs.find((o) => o.key === 'DashboardName')?.value || resources.find((r) => r.resourceType === 'AWS::CloudWatch::Dashboard' && r.physicalId)?.physicalId;
  return { alarms, ...(dashboardName ? { dashboard: { name: dashboardName, url: dashboardUrl(region, dashboardName) } } : {}) };
}
