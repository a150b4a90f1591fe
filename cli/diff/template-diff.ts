/**
 * A property-level diff of two templates and their parameter values, as `cdk diff` shows one:
 * parameters, resources (added, removed, modified property by property, with whether the change
 * replaces the resource and whether that loses data), outputs and the other sections. Pure: the
 * command (cli/diff/diff.ts) fetches the deployed side.
 * A property whose text is unchanged but which references a parameter whose value changes counts
 * as changed ("via parameter X"), since CloudFormation compares resolved values.
 */
import type { CfnTemplate, TemplateResource, TemplateValue } from '../template/cfn-template.js';
import { canonicalJson, subReferences } from '../template/prepare-template.js';
import { STATEFUL_TYPES } from '../deploy/template-source.js';
import { replacesResource } from './replacement.js';

export interface TemplateSide {
  template: CfnTemplate;
  /** The parameter values the stack runs (deployed side) or would run (local side) with. */
  parameters: Record<string, string>;
}

export interface ValueChange {
  name: string;
  before?: string;
  after?: string;
}

export interface PropertyChange {
  /** `Properties.MemorySize`, `Properties.Code.S3Key`, `DeletionPolicy`... */
  path: string;
  before?: TemplateValue;
  after?: TemplateValue;
  /** The text is the same; these parameters' values change under it. */
  viaParameters?: string[];
  /** CloudFormation replaces the resource for this change. */
  replaces: 'yes' | 'no' | 'unknown';
}

export interface ResourceDiff {
  logicalId: string;
  resourceType: string;
  action: 'Add' | 'Remove' | 'Modify';
  changes: PropertyChange[];
  /** Remove, or a Modify with a replacing property: the physical resource goes (or is replaced). */
  replacement: 'yes' | 'no' | 'unknown';
  /** Stateful and removed or replaced: `retained` when its policy is Retain, else `lost`. */
  dataRisk?: 'lost' | 'retained';
}

export interface TemplateDiff {
  parameters: ValueChange[];
  resources: ResourceDiff[];
  outputs: { name: string; action: 'Add' | 'Remove' | 'Modify' }[];
  /** Other top-level sections that differ (Conditions, Mappings, Metadata, Description...). */
  sections: string[];
}

export function isEmptyDiff(diff: TemplateDiff): boolean {
  return diff.parameters.length + diff.resources.length + diff.outputs.length + diff.sections.length === 0;
}

export function diffTemplates(before: TemplateSide, after: TemplateSide): TemplateDiff {
  const parameters = valueChanges(before.parameters, after.parameters);
  const changedParameters = new Set(parameters.map((p) => p.name));
  const resources: ResourceDiff[] = [];
  const ids = union(Object.keys(before.template.Resources ?? {}), Object.keys(after.template.Resources ?? {}));
  for (const id of ids) {
    const old = before.template.Resources?.[id];
    const now = after.template.Resources?.[id];
    if (old && now && old.Type === now.Type) {
      const changes = resourceChanges(old, now, changedParameters, after.template);
      if (changes.length > 0) resources.push(withRisk({ logicalId: id, resourceType: now.Type, action: 'Modify', changes, replacement: replacementOf(changes) }, old));
      continue;
    }
    if (old) resources.push(withRisk({ logicalId: id, resourceType: old.Type, action: 'Remove', changes: [], replacement: 'yes' }, old));
    if (now) resources.push({ logicalId: id, resourceType: now.Type, action: 'Add', changes: [], replacement: 'no' });
  }
  const outputs: TemplateDiff['outputs'] = [];
  for (const name of union(Object.keys(before.template.Outputs ?? {}), Object.keys(after.template.Outputs ?? {}))) {
    const old = before.template.Outputs?.[name];
    const now = after.template.Outputs?.[name];
    if (!old) outputs.push({ name, action: 'Add' });
    else if (!now) outputs.push({ name, action: 'Remove' });
    else if (canonicalJson(old) !== canonicalJson(now) || referencesAny(now, changedParameters)) outputs.push({ name, action: 'Modify' });
  }
  const sections: string[] = [];
  for (const key of union(Object.keys(before.template), Object.keys(after.template))) {
    if (key === 'Resources' || key === 'Outputs') continue;
    if (key === 'Parameters') {
      if (canonicalJson(before.template.Parameters ?? {}) !== canonicalJson(after.template.Parameters ?? {})) sections.push('Parameters (declarations)');
      continue;
    }
    const a = (before.template as unknown as Record<string, unknown>)[key];
    const b = (after.template as unknown as Record<string, unknown>)[key];
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) sections.push(key);
  }
  return { parameters, resources, outputs, sections };
}

function valueChanges(before: Record<string, string>, after: Record<string, string>): ValueChange[] {
  return union(Object.keys(before), Object.keys(after))
    .filter((name) => before[name] !== after[name])
    .map((name) => ({ name, before: before[name], after: after[name] }));
}

const ATTRIBUTES = ['Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata'] as const;

function resourceChanges(old: TemplateResource, now: TemplateResource, changedParameters: ReadonlySet<string>, template: CfnTemplate): PropertyChange[] {
  const changes: PropertyChange[] = [];
  const properties = union(Object.keys(old.Properties ?? {}), Object.keys(now.Properties ?? {}));
  for (const name of properties) {
    const a = old.Properties?.[name];
    const b = now.Properties?.[name];
    const replaces = replacesResource(now.Type, name);
    const leaves: PropertyChange[] = [];
    collectChanges(`Properties.${name}`, a, b, leaves);
    if (leaves.length > 0) {
      for (const leaf of leaves) changes.push({ ...leaf, replaces });
    } else if (b !== undefined) {
      const via = [...parametersIn(b, template)].filter((p) => changedParameters.has(p)).sort();
      if (via.length > 0) changes.push({ path: `Properties.${name}`, before: a, after: b, viaParameters: via, replaces });
    }
  }
  for (const attribute of ATTRIBUTES) {
    const a = old[attribute];
    const b = now[attribute];
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) changes.push({ path: attribute, before: a, after: b, replaces: 'no' });
  }
  return changes;
}

/** Leaf-level changes; an intrinsic function (`{Ref: X}`, `{'Fn::Sub': ...}`) is one leaf. */
function collectChanges(path: string, a: TemplateValue | undefined, b: TemplateValue | undefined, out: Omit<PropertyChange, 'replaces'>[]): void {
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return;
  if (isPlainObject(a) && isPlainObject(b) && !isIntrinsic(a) && !isIntrinsic(b)) {
    for (const key of union(Object.keys(a), Object.keys(b))) collectChanges(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => collectChanges(`${path}[${i}]`, item, b[i], out));
    return;
  }
  out.push({ path, before: a, after: b });
}

function replacementOf(changes: readonly PropertyChange[]): ResourceDiff['replacement'] {
  if (changes.some((c) => c.replaces === 'yes')) return 'yes';
  if (changes.some((c) => c.replaces === 'unknown')) return 'unknown';
  return 'no';
}

/** A stateful resource that goes (removed, or replaced) keeps its data only under a Retain policy. */
function withRisk(diff: ResourceDiff, old: TemplateResource): ResourceDiff {
  if (!STATEFUL_TYPES.has(diff.resourceType) || diff.replacement === 'no') return diff;
  const policy = diff.action === 'Remove' ? old.DeletionPolicy : old.UpdateReplacePolicy;
  return { ...diff, dataRisk: policy === 'Retain' || policy === 'Snapshot' ? 'retained' : 'lost' };
}

/** Parameter names a value references, through Ref, Fn::Sub and Fn::If's conditions. */
function parametersIn(value: TemplateValue, template: CfnTemplate): Set<string> {
  const names = new Set(Object.keys(template.Parameters ?? {}));
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (v: TemplateValue | undefined): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isPlainObject(v)) return;
    for (const [key, inner] of Object.entries(v)) {
      if (key === 'Ref' && typeof inner === 'string' && names.has(inner)) found.add(inner);
      if (key === 'Fn::Sub') {
        const body = Array.isArray(inner) ? inner[0] : inner;
        if (typeof body === 'string') for (const n of subReferences(body)) if (names.has(n)) found.add(n);
      }
      if (key === 'Fn::If' && Array.isArray(inner) && typeof inner[0] === 'string' && !seen.has(inner[0])) {
        seen.add(inner[0]);
        walk(template.Conditions?.[inner[0]]);
      }
      walk(inner);
    }
  };
  walk(value);
  return found;
}

function referencesAny(value: TemplateValue | object, parameters: ReadonlySet<string>): boolean {
  if (parameters.size === 0) return false;
  const text = canonicalJson(value);
  return [...parameters].some((p) => text.includes(`"Ref":"${p}"`) || text.includes(`\${${p}}`));
}

function isPlainObject(v: TemplateValue | undefined): v is { [key: string]: TemplateValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isIntrinsic(v: { [key: string]: TemplateValue }): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition');
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
