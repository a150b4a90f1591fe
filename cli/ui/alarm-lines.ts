/** `cli status`: the stack's alarm states (ALARM first) and its dashboard's console link. */
import type { AlarmState } from '../aws/cloudwatch-api.js';
import type { StackDashboard } from '../observe/alarms.js';
import type { Colors } from './reporter.js';

export function formatAlarmLines(result: { alarms: readonly AlarmState[]; dashboard?: StackDashboard }, color: Colors): string[] {
  const lines: string[] = [];
  if (result.dashboard) lines.push(`Dashboard: ${result.dashboard.url}`);
  if (result.alarms.length === 0) return lines;
  const firing = result.alarms.filter((a) => a.state === 'ALARM').length;
  lines.push(`Alarms (${firing} in ALARM of ${result.alarms.length}):`);
  const width = Math.max(...result.alarms.map((a) => a.state.length));
  for (const a of result.alarms) {
    const state = a.state.padEnd(width);
    const painted = a.state === 'ALARM' ? color.red(color.bold(state)) : a.state === 'OK' ? color.green(state) : color.yellow(state);
    const reason = a.state === 'OK' || !a.reason ? '' : color.dim(` - ${a.reason.length > 160 ? a.reason.slice(0, 157) + '...' : a.reason}`);
    lines.push(`  ${painted}  ${a.name}${a.type === 'CompositeAlarm' ? ' (composite)' : ''}${reason}`);
  }
  return lines;
}
