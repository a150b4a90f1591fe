/**
 * Reads the CloudFormation template (infra/cfn/template.yaml), the local stack's only source of
 * truth, with the project's one template parser (cli/build/template-yaml.ts: short-form tags
 * become the long form, so the resolver sees one shape), typed for what the emulator reads.
 */
import { join, relative } from 'node:path';
import { parseTemplateWithPositions, readTemplate as readTemplateFile, type ParsedTemplate, type SourcePosition } from '../build/template-yaml.js';
import { UsageError } from '../errors.js';
import type { CfnParameter } from '../template/parameters.js';

export const TEMPLATE_PATH = join('infra', 'cfn', 'template.yaml');

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

export interface LoadedTemplate {
  template: CfnTemplate;
  /** Absolute path of the file read. */
  path: string;
  /** Path relative to the project root, for messages. */
  displayPath: string;
  /** Line and column of a value, by its path in the template (e.g. ['Resources', 'Fn', 'Properties']). */
  locate(path: readonly (string | number)[]): SourcePosition | undefined;
}

export async function readTemplate(root: string, path = join(root, TEMPLATE_PATH)): Promise<LoadedTemplate> {
  return checked(await readTemplateFile(path, { root }), path, relative(root, path) || path);
}

/** A template given as text (tests, generated templates); `displayPath` names it in messages. */
export function loadTemplateText(text: string, displayPath = 'template.yaml'): LoadedTemplate {
  return checked(parseTemplateWithPositions(text, { file: displayPath }), displayPath, displayPath);
}

function checked(parsed: ParsedTemplate, path: string, displayPath: string): LoadedTemplate {
  const template = parsed.template as unknown as CfnTemplate;
  if (!template.Resources || typeof template.Resources !== 'object') throw new UsageError(`${displayPath}: the template has no Resources section`);
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!resource || typeof resource !== 'object' || typeof resource.Type !== 'string') throw new UsageError(`${displayPath}: Resources.${id} has no Type`);
  }
  return { template, path, displayPath, locate: (p) => parsed.locate(p) };
}
