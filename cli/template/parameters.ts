/**
 * The template's Parameters, checked once for every command that takes values for them (`dev`,
 * `deploy`): `--parameter-overrides` parsing, the constraints CloudFormation enforces
 * (AllowedValues, MinValue/MaxValue, MinLength/MaxLength, AllowedPattern matching the whole
 * value) and defaults. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */
import { UsageError } from '../errors.js';

export interface CfnParameter {
  /** CloudFormation requires it; a missing Type is checked as String (cfn-lint reports it). */
  Type?: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  MinLength?: number | string;
  MaxLength?: number | string;
  MinValue?: number | string;
  MaxValue?: number | string;
  /** CloudFormation takes true/false or their strings. */
  NoEcho?: boolean | string;
}

export type TemplateParameters = Record<string, CfnParameter>;

/** A parameter's value as the template sees it: a list for CommaDelimitedList and List<...>. */
export type ParameterValue = string | string[];

/** Values from one source (config file, `--parameter-overrides`, ...), named in errors. */
export interface ParameterLayer {
  name: string;
  values: Record<string, string>;
}

/** A parameter's logical name: "The name must be alphanumeric" (the Parameters doc above). */
const PAIR_START = /^[A-Za-z0-9]+=/;

/**
 * `['A=1', 'B=x=y']` -> `{A: '1', B: 'x=y'}`, splitting at the first "="; one argument may also
 * hold several pairs (`'A=1 B=2'`), as `aws cloudformation deploy --parameter-overrides` takes
 * them. A word that does not start a pair belongs to the previous value (`'Desc=a b'`).
 */
export function parseParameterOverrides(values: readonly string[]): Record<string, string> {
  const pairs: string[] = [];
  for (const value of values) {
    // One pass over the words (linear), slicing the original so a value keeps its own spacing.
    let start = -1;
    for (const word of value.matchAll(/\S+/g)) {
      if (start >= 0 && PAIR_START.test(word[0])) {
        pairs.push(value.slice(start, word.index).trimEnd());
        start = word.index;
      } else if (start < 0) {
        start = word.index;
      }
    }
    pairs.push(start < 0 ? value : value.slice(start).trimEnd());
  }
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    if (!PAIR_START.test(pair)) {
      throw new UsageError(`--parameter-overrides "${pair}" must look like Key=Value`, {
        details: ['Key is a template parameter name (letters and digits), e.g. --parameter-overrides AuthMode=API_KEY StageName=dev'],
      });
    }
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export function isListType(type: string | undefined): boolean {
  return type === 'CommaDelimitedList' || (type?.startsWith('List<') ?? false);
}

/** CloudFormation resolves these from Systems Manager at deploy time; the value is a parameter name. */
export function isSsmType(type: string | undefined): boolean {
  return type?.startsWith('AWS::SSM::Parameter') ?? false;
}

/** A decimal number as CloudFormation's Number takes it (an integer or a float); no hex, no spaces. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Checks one value against its parameter's constraints and returns it as the template sees it.
 * `source` says where the value came from ("--parameter-overrides", "default", ...).
 */
export function checkParameterValue(name: string, spec: CfnParameter, raw: string, source: string): ParameterValue {
  const type = spec.Type ?? 'String';
  const list = isListType(type);
  const values = list ? raw.split(',').map((v) => v.trim()) : [raw];
  // The values CloudFormation sees come from Systems Manager, not from this string.
  if (isSsmType(type)) return raw;
  const fail = (why: string): never => {
    throw new UsageError(`parameter ${name} (${source}) ${why}`, {
      details: [spec.ConstraintDescription ? `${name}: ${spec.ConstraintDescription}` : `see Parameters.${name} in the template`],
    });
  };
  if (type === 'Number' || type === 'List<Number>') {
    for (const v of values) {
      if (!NUMBER.test(v)) fail(`must be a number, got "${v}"`);
      const n = Number(v);
      if (spec.MinValue !== undefined && n < Number(spec.MinValue)) fail(`must be at least ${spec.MinValue}, got ${v}`);
      if (spec.MaxValue !== undefined && n > Number(spec.MaxValue)) fail(`must be at most ${spec.MaxValue}, got ${v}`);
    }
  }
  if (spec.AllowedValues) {
    const allowed = new Set(spec.AllowedValues.map(String));
    if (list ? !values.every((v) => allowed.has(v)) : !allowed.has(raw)) fail(`must be one of ${[...allowed].join(', ')}; got "${raw}"`);
  }
  // MinLength/MaxLength/AllowedPattern are String constraints; the pattern must match the whole value.
  if (!list && type !== 'Number') {
    const length = [...raw].length;
    if (spec.MinLength !== undefined && length < Number(spec.MinLength)) fail(`must be at least ${spec.MinLength} characters, got ${length}`);
    if (spec.MaxLength !== undefined && length > Number(spec.MaxLength)) fail(`must be at most ${spec.MaxLength} characters, got ${length}`);
    if (spec.AllowedPattern !== undefined && !allowedPattern(name, spec.AllowedPattern).test(raw)) fail(`must match ${spec.AllowedPattern}; got "${raw}"`);
  }
  // "When applied to a parameter of type CommaDelimitedList, the pattern must match each value in the list."
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
  if (type === 'CommaDelimitedList' && spec.AllowedPattern !== undefined) {
    const pattern = allowedPattern(name, spec.AllowedPattern);
    const bad = values.find((v) => !pattern.test(v));
    if (bad !== undefined) fail(`has the value "${bad}", which does not match ${spec.AllowedPattern}`);
  }
  return list ? values : raw;
}

function allowedPattern(name: string, pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (err) {
    throw new UsageError(`Parameters.${name}.AllowedPattern ${pattern} is not a regular expression this CLI can run (${(err as Error).message})`);
  }
}

function defaultText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

export interface ResolvedParameters {
  /** Every value given (lowest layer first, later layers win), checked; by parameter name. */
  given: Record<string, string>;
  /** The value in effect for each declared parameter: given, else its Default; undefined if neither. */
  values: Map<string, ParameterValue | undefined>;
}

/**
 * Merges the layers (lowest precedence first), refuses names the template does not declare and
 * values that break their constraints (the value that wins, named by its layer), and fills in
 * the defaults, which are checked too, as CloudFormation does.
 */
export function resolveParameters(declared: TemplateParameters, layers: readonly ParameterLayer[]): ResolvedParameters {
  const given: Record<string, string> = {};
  const sourceOf: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      if (!Object.hasOwn(declared, key)) {
        throw new UsageError(`${layer.name}: the template has no parameter "${key}"`, {
          details: [`Parameters: ${Object.keys(declared).join(', ') || '(none)'}`],
        });
      }
      given[key] = value;
      sourceOf[key] = layer.name;
    }
  }
  const values = new Map<string, ParameterValue | undefined>();
  for (const [name, spec] of Object.entries(declared)) {
    if (Object.hasOwn(given, name)) values.set(name, checkParameterValue(name, spec, given[name]!, sourceOf[name]!));
    else if (spec.Default !== undefined) values.set(name, checkParameterValue(name, spec, defaultText(spec.Default), 'default'));
    else values.set(name, undefined);
  }
  return { given, values };
}
