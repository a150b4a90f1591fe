/**
 * The change set as a table (action, logical id, type, replacement) and the data-loss warnings.
 * Pure: returns lines.
 */
import type { ResourceChange } from '../aws/stack-api.js';
import type { Colors } from '../ui/reporter.js';
import { STATEFUL_TYPES } from './template-source.js';

export interface DataLossRisk {
  change: ResourceChange;
  /** 'replaced' (a new, empty resource takes its place) or 'removed'. */
  kind: 'replaced' | 'possibly replaced' | 'removed';
}

export function dataLossRisks(changes: readonly ResourceChange[]): DataLossRisk[] {
  const risks: DataLossRisk[] = [];
  for (const change of changes) {
    if (!STATEFUL_TYPES.has(change.resourceType)) continue;
    if (change.action === 'Remove') risks.push({ change, kind: 'removed' });
    else if (change.action === 'Modify' && change.replacement === 'True') risks.push({ change, kind: 'replaced' });
    else if (change.action === 'Modify' && change.replacement === 'Conditional') risks.push({ change, kind: 'possibly replaced' });
  }
  return risks;
}

export function formatChangeTable(changes: readonly ResourceChange[], color: Colors): string[] {
  if (changes.length === 0) return ['  (no resource changes)'];
  const rows = changes.map((c) => [c.action, c.logicalId, c.resourceType, c.action === 'Modify' ? (c.replacement ?? '') : '']);
  const header = ['Action', 'Logical ID', 'Type', 'Replacement'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const pad = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const paint = (action: string, line: string) =>
    action === 'Add' ? color.green(line) : action === 'Remove' ? color.red(line) : action === 'Modify' ? color.yellow(line) : line;
  return ['  ' + color.bold(pad(header)), ...rows.map((r) => '  ' + paint(r[0]!, pad(r)))];
}

export function formatDataLossWarnings(risks: readonly DataLossRisk[], color: Colors): string[] {
  return risks.map((r) =>
    color.red(
      color.bold(
        `DATA LOSS RISK: ${r.change.logicalId} (${r.change.resourceType}) will be ${r.kind}` +
          (r.kind === 'removed'
            ? ' from the stack (its DeletionPolicy decides whether the data is kept).'
            : ': the new resource starts EMPTY. Back up the data first, or change the template so the replacement is not needed.'),
      ),
    ),
  );
}
