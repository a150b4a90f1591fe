/**
 * How `cli diff` prints a TemplateDiff: `cdk diff`'s markers ([+] add, [-] remove, [~] modify),
 * one line per resource and one per changed property under it, then the data warnings.
 */
import type { Colors } from '../ui/reporter.js';
import type { TemplateValue } from '../template/cfn-template.js';
import type { PropertyChange, ResourceDiff, TemplateDiff } from './template-diff.js';

const MAX_VALUE = 80;

export function formatDiff(diff: TemplateDiff, color: Colors): string[] {
  const lines: string[] = [];
  const mark = (action: 'Add' | 'Remove' | 'Modify') => (action === 'Add' ? color.green('[+]') : action === 'Remove' ? color.red('[-]') : color.yellow('[~]'));
  if (diff.parameters.length > 0) {
    lines.push(color.bold('Parameters'));
    for (const p of diff.parameters) {
      const action = p.before === undefined ? 'Add' : p.after === undefined ? 'Remove' : 'Modify';
      lines.push(`${mark(action)} ${p.name}: ${p.before ?? '(none)'} -> ${p.after ?? '(none)'}`);
    }
  }
  if (diff.resources.length > 0) {
    lines.push(color.bold('Resources'));
    for (const r of diff.resources) {
      lines.push(`${mark(r.action)} ${r.resourceType} ${r.logicalId}${resourceNote(r, color)}`);
      r.changes.forEach((c, i) => lines.push(` ${i === r.changes.length - 1 ? '└─' : '├─'} ${propertyLine(c, color)}`));
    }
  }
  if (diff.outputs.length > 0) {
    lines.push(color.bold('Outputs'));
    for (const o of diff.outputs) lines.push(`${mark(o.action)} ${o.name}`);
  }
  if (diff.sections.length > 0) lines.push(`${color.bold('Other sections changed:')} ${diff.sections.join(', ')}`);
  return lines;
}

/** One warning per stateful resource that goes: "lost" only when no Retain policy keeps it. */
export function formatDataWarnings(diff: TemplateDiff): string[] {
  return diff.resources.flatMap((r) => {
    if (r.dataRisk === undefined) return [];
    const what = r.action === 'Remove' ? 'is removed from the stack' : 'is replaced';
    if (r.dataRisk === 'retained') {
      return [
        `${r.logicalId} (${r.resourceType}) ${what}: the old resource and its data are retained (Retain policy), outside the stack; the stack ${r.action === 'Remove' ? 'no longer manages it' : 'gets a new, empty one'}.`,
      ];
    }
    return [`DATA LOSS: ${r.logicalId} (${r.resourceType}) ${what} and its data is deleted (no Retain policy).`];
  });
}

function resourceNote(r: ResourceDiff, color: Colors): string {
  if (r.action !== 'Modify') return '';
  if (r.replacement === 'yes') return color.red(' (requires replacement)');
  if (r.replacement === 'unknown') return color.yellow(' (may require replacement: type not in the replacement table)');
  return '';
}

function propertyLine(c: PropertyChange, color: Colors): string {
  const action = c.before === undefined ? '[+]' : c.after === undefined ? '[-]' : '[~]';
  const replaces = c.replaces === 'yes' ? color.red(' (replaces)') : '';
  if (c.viaParameters) return `${action} ${c.path}: ${show(c.after)} (via parameter ${c.viaParameters.join(', ')})${replaces}`;
  return `${action} ${c.path}: ${show(c.before)} -> ${show(c.after)}${replaces}`;
}

function show(value: TemplateValue | undefined): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
