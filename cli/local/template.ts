/**
 * Reads the CloudFormation template (infra/cfn/template.yaml), the local stack's only source of
 * truth. YAML short-form tags (`!Ref`, `!Sub`, `!GetAtt A.B`, ...) become the JSON form
 * (`{Ref}`, `{"Fn::Sub"}`, `{"Fn::GetAtt": [A, B]}`) so the resolver sees one shape.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDocument, type Tags } from 'yaml';
import { UsageError } from '../errors.js';

export const TEMPLATE_PATH = join('infra', 'cfn', 'template.yaml');

export interface CfnParameter {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  NoEcho?: boolean;
}

export interface CfnResource {
  Type: string;
  Condition?: string;
  Properties?: Record<string, unknown>;
  Metadata?: unknown;
  DependsOn?: string | string[];
}

export interface CfnOutput {
  Value: unknown;
  Condition?: string;
  Description?: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

/** The short-form tags CloudFormation accepts in YAML. */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'FindInMap',
  'Base64',
  'ImportValue',
  'GetAZs',
  'Cidr',
  'Transform',
] as const;

function cfnTags(): Tags {
  const tags: Tags = [];
  for (const name of SHORT_FORMS) {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    const wrap = (value: unknown): unknown => {
      // `!GetAtt Res.Attr` is the one short form whose scalar splits (at the first dot).
      if (name === 'GetAtt' && typeof value === 'string') {
        const dot = value.indexOf('.');
        return { [key]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { [key]: value };
    };
    const toJson = (node: unknown) => (node as { toJSON(): unknown }).toJSON();
    tags.push({ tag: `!${name}`, resolve: (str: string) => wrap(str) });
    tags.push({ tag: `!${name}`, collection: 'seq', resolve: (node) => wrap(toJson(node)) } as Tags[number]);
    tags.push({ tag: `!${name}`, collection: 'map', resolve: (node) => wrap(toJson(node)) } as Tags[number]);
  }
  return tags;
}

/** Parses template text; `file` names the source in error messages. */
export function parseTemplate(text: string, file: string): CfnTemplate {
  const doc = parseDocument(text, { customTags: cfnTags(), prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? `:${first.linePos[0].line}:${first.linePos[0].col}` : '';
    throw new UsageError(`${file}${where}: invalid YAML: ${first.message.split('\n')[0]}`, {
      details: doc.errors.slice(1).map((e) => e.message.split('\n')[0]!),
    });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${file}: a CloudFormation template must be a mapping`);
  }
  const template = value as Partial<CfnTemplate>;
  if (!template.Resources || typeof template.Resources !== 'object') {
    throw new UsageError(`${file}: the template has no Resources section`);
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!resource || typeof resource !== 'object' || typeof (resource as CfnResource).Type !== 'string') {
      throw new UsageError(`${file}: Resources.${id} has no Type`);
    }
  }
  return template as CfnTemplate;
}

export interface LoadedTemplate {
  template: CfnTemplate;
  /** Absolute path of the file read. */
  path: string;
  /** Path relative to the project root, for messages. */
  displayPath: string;
}

export async function readTemplate(root: string, path = join(root, TEMPLATE_PATH)): Promise<LoadedTemplate> {
  const displayPath = relative(root, path) || path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the template ${displayPath}: ${(err as Error).message}`, { cause: err });
  }
  return { template: parseTemplate(text, displayPath), path, displayPath };
}
