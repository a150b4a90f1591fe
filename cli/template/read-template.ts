/**
 * Reads a CloudFormation template (YAML or JSON) into plain data, turning the short-form tags
 * (`!Ref X`, `!Sub '...'`, `!GetAtt A.B`, ...) into the long forms CloudFormation itself uses
 * (`{Ref: 'X'}`, `{'Fn::Sub': '...'}`, `{'Fn::GetAtt': ['A', 'B']}`), so every consumer (the
 * local emulator, deploy, build, the tests) walks one shape: CfnTemplate (cfn-template.ts),
 * whose sections are checked here. Positions of every node are kept for file:line:col errors.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { UsageError } from '../errors.js';
import type { CfnTemplate, SourcePosition, TemplateObject, TemplateValue } from './cfn-template.js';
import { TEMPLATE_PATH } from './project.js';

export interface ParsedTemplate {
  template: CfnTemplate;
  /**
   * Where a value starts in the source, by its path in the long form (intrinsic keys such as
   * `Fn::Sub` may be included or left out). 1-based line and column.
   */
  locate(path: readonly (string | number)[]): SourcePosition | undefined;
}

/** A template file as read: parsed, with its text (exactly what deploy sends) and where it is. */
export interface LoadedTemplate extends ParsedTemplate {
  text: string;
  /** Absolute path of the file read. */
  path: string;
  /** Path relative to the project root, for messages. */
  displayPath: string;
}

/** The template is not valid YAML/JSON, or not shaped like a CloudFormation template. */
export class TemplateSyntaxError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

/** Short-form tag -> long-form key. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html */
export const INTRINSIC_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Transform': 'Fn::Transform',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
};

/** Parses template text (YAML or JSON). `file` only names the source in error messages. */
export function parseTemplate(text: string, options: { file?: string } = {}): CfnTemplate {
  return parseTemplateWithPositions(text, options).template;
}

/**
 * Reads and parses a template file, by default the project's (infra/cfn/template.yaml); a missing
 * file is a UsageError naming it.
 */
export async function readTemplate(root: string, path = join(root, TEMPLATE_PATH)): Promise<LoadedTemplate> {
  const displayPath = relative(root, path) || path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `template not found: ${displayPath}` : `cannot read template ${displayPath}: ${(err as Error).message}`,
    );
  }
  return { text, path, displayPath, ...parseTemplateWithPositions(text, { file: displayPath }) };
}

/** A template given as text (tests, generated templates); `displayPath` names it in messages. */
export function loadTemplateText(text: string, displayPath = 'template.yaml'): LoadedTemplate {
  return { text, path: displayPath, displayPath, ...parseTemplateWithPositions(text, { file: displayPath }) };
}

export function parseTemplateWithPositions(text: string, options: { file?: string } = {}): ParsedTemplate {
  const file = options.file ?? 'template';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const where = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  const firstError = doc.errors[0];
  if (firstError) throw new TemplateSyntaxError(`${where(firstError.pos[0])}: ${firstLine(firstError.message)}`);
  for (const warning of doc.warnings) {
    // Unknown-to-YAML tags are expected (they are CloudFormation's); convert() checks them.
    if (warning.code !== 'TAG_RESOLVE_FAILED') throw new TemplateSyntaxError(`${where(warning.pos[0])}: ${firstLine(warning.message)}`);
  }

  const convert = (node: unknown): TemplateValue => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) throw new TemplateSyntaxError(`${where(rangeOf(node)[0])}: YAML aliases are not supported in templates`);
    const n = node as Node;
    let value: TemplateValue;
    if (isMap(n)) {
      const obj: TemplateObject = {};
      for (const pair of n.items) {
        if (!isScalar(pair.key)) throw new TemplateSyntaxError(`${where(rangeOf(pair.key)[0])}: mapping keys must be plain strings`);
        // defineProperty: a key named "__proto__" must stay a key, not replace the prototype.
        Object.defineProperty(obj, String(pair.key.value), { value: convert(pair.value), enumerable: true, writable: true, configurable: true });
      }
      value = obj;
    } else if (isSeq(n)) {
      value = n.items.map(convert);
    } else if (isScalar(n)) {
      const v = n.value;
      value = typeof v === 'bigint' ? Number(v) : (v as TemplateValue);
    } else {
      throw new TemplateSyntaxError(`${where(rangeOf(n)[0])}: unsupported YAML node`);
    }
    const tag = n.tag;
    if (tag === undefined || !tag.startsWith('!') || tag.startsWith('!!')) return value;
    const key = INTRINSIC_TAGS[tag];
    if (!key) {
      const tagAt = text.lastIndexOf(tag, rangeOf(n)[0]);
      throw new TemplateSyntaxError(`${where(tagAt >= 0 ? tagAt : rangeOf(n)[0])}: unknown tag ${tag} (not a CloudFormation intrinsic function)`);
    }
    if (key === 'Fn::GetAtt' && typeof value === 'string') {
      // `!GetAtt A.B.C` -> ['A', 'B.C']: the logical id never has a dot, attribute names may.
      const dot = value.indexOf('.');
      if (dot <= 0) throw new TemplateSyntaxError(`${where(rangeOf(n)[0])}: !GetAtt needs Resource.Attribute, got "${value}"`);
      value = [value.slice(0, dot), value.slice(dot + 1)];
    }
    return { [key]: value };
  };

  const template = convert(doc.contents);
  if (!isMapping(template)) throw new TemplateSyntaxError(`${file}: a template must be a mapping with a Resources section`);
  const resources = template.Resources;
  if (!isMapping(resources)) throw new TemplateSyntaxError(`${file}: the Resources section is missing or not a mapping`);
  const locate = (path: readonly (string | number)[]) => locateIn(doc, lineCounter, path);
  checkShape(template, resources, (path) => {
    const pos = locate(path);
    return pos ? `${file}:${pos.line}:${pos.column}` : file;
  });
  // checkShape has checked every field CfnTemplate types more narrowly than TemplateValue.
  return { template: template as unknown as CfnTemplate, locate };
}

const STRING_ATTRIBUTES = ['Type', 'AllowedPattern', 'ConstraintDescription'] as const;
const NUMBER_ATTRIBUTES = ['MinLength', 'MaxLength', 'MinValue', 'MaxValue'] as const;

/**
 * Checks that the sections hold the shapes CfnTemplate claims, the ones CloudFormation requires
 * (cfn-lint reports each as an error), so no command meets a list where it reads a mapping.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html ("Value (required)")
 */
function checkShape(template: TemplateObject, resources: TemplateObject, where: (path: readonly string[]) => string): void {
  const fail = (path: string[], problem: string): never => {
    throw new TemplateSyntaxError(`${where(path)}: ${path.join('.')} ${problem}`);
  };
  const mapping = (value: TemplateValue | undefined, path: string[]): TemplateObject =>
    isMapping(value) ? value : fail(path, `must be a mapping, got ${kindOf(value)}`);
  const section = (name: string): TemplateObject => (template[name] === undefined ? {} : mapping(template[name], [name]));
  const stringIfSet = (value: TemplateValue | undefined, path: string[]) => {
    if (value !== undefined && typeof value !== 'string') fail(path, `must be a string, got ${kindOf(value)}`);
  };

  for (const [id, resource] of Object.entries(resources)) {
    if (!isMapping(resource) || typeof resource.Type !== 'string') throw new TemplateSyntaxError(`${where(['Resources', id])}: resource ${id} has no Type`);
    if (resource.Properties !== undefined) mapping(resource.Properties, ['Resources', id, 'Properties']);
    stringIfSet(resource.Condition, ['Resources', id, 'Condition']);
  }
  for (const [name, value] of Object.entries(section('Parameters'))) {
    const spec = mapping(value, ['Parameters', name]);
    for (const key of STRING_ATTRIBUTES) stringIfSet(spec[key], ['Parameters', name, key]);
    for (const key of NUMBER_ATTRIBUTES) {
      const n = spec[key];
      if (n !== undefined && typeof n !== 'number' && typeof n !== 'string') fail(['Parameters', name, key], `must be a number, got ${kindOf(n)}`);
    }
    if (spec.AllowedValues !== undefined && !Array.isArray(spec.AllowedValues)) fail(['Parameters', name, 'AllowedValues'], `must be a list, got ${kindOf(spec.AllowedValues)}`);
  }
  for (const [name, value] of Object.entries(section('Mappings'))) {
    for (const [key, entry] of Object.entries(mapping(value, ['Mappings', name]))) mapping(entry, ['Mappings', name, key]);
  }
  section('Conditions');
  for (const [name, value] of Object.entries(section('Outputs'))) {
    const output = mapping(value, ['Outputs', name]);
    if (output.Value === undefined) fail(['Outputs', name], 'has no Value');
    stringIfSet(output.Condition, ['Outputs', name, 'Condition']);
  }
}

function isMapping(value: TemplateValue | undefined): value is TemplateObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindOf(value: TemplateValue | undefined): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

function locateIn(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]): SourcePosition | undefined {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (node && typeof step === 'string' && (node as Node).tag && INTRINSIC_TAGS[(node as Node).tag as string] === step) continue;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else {
      return undefined;
    }
  }
  if (!node) return undefined;
  const p = lineCounter.linePos(rangeOf(node)[0]);
  return { line: p.line, column: p.col };
}

function rangeOf(node: unknown): readonly [number, number, number] {
  return (node as { range?: [number, number, number] } | null)?.range ?? [0, 0, 0];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
