/**
 * A CloudFormation template as cli/template/read-template.ts reads it: plain data with every
 * intrinsic function in its long form (`{Ref: 'X'}`, `{'Fn::Sub': '...'}`), the one shape the
 * emulator, deploy, build and the tests walk. The reader checks the shape this type claims.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 */
import type { TemplateParameters } from './parameters.js';

export type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };
export type TemplateObject = { [key: string]: TemplateValue };

export interface TemplateResource {
  Type: string;
  Properties?: TemplateObject;
  Condition?: string;
  DependsOn?: TemplateValue;
  Metadata?: TemplateValue;
  DeletionPolicy?: TemplateValue;
  UpdateReplacePolicy?: TemplateValue;
  [key: string]: TemplateValue | undefined;
}

export interface TemplateOutput {
  Value: TemplateValue;
  Description?: TemplateValue;
  Condition?: string;
  Export?: TemplateValue;
}

/** Map name -> top-level key -> second-level key -> value (`Fn::FindInMap`). */
export type TemplateMappings = Record<string, Record<string, TemplateObject>>;

export interface CfnTemplate {
  AWSTemplateFormatVersion?: TemplateValue;
  Description?: TemplateValue;
  Transform?: TemplateValue;
  Metadata?: TemplateValue;
  Parameters?: TemplateParameters;
  Mappings?: TemplateMappings;
  Conditions?: TemplateObject;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
}

/** 1-based line and column of a value in the template's source. */
export interface SourcePosition {
  line: number;
  column: number;
}
