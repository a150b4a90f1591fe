/**
 * Parameter values for the change set: ArtifactBucket/ArtifactKey from the upload, the config
 * file, stage defaults and `--parameter-overrides K=V` (flag wins), checked against the
 * template's Parameters by cli/template/parameters.ts (the same check as `cli dev`), so a typo or
 * a value CloudFormation would refuse is an error before any AWS call.
 */
import { UsageError } from '../errors.js';
import type { ChangeSetParameter } from '../aws/stack-api.js';
import { resolveParameters, type ParameterLayer, type TemplateParameters } from '../template/parameters.js';

/**
 * Values for a stage: StageName = the stage, and TableName = `<default>-<stage>`, so two stages in
 * one account and region never fight over the table's physical name. Only for parameters the
 * template declares.
 */
export function stageDefaults(stage: string | undefined, declared: TemplateParameters): Record<string, string> {
  if (stage === undefined) return {};
  const out: Record<string, string> = {};
  if (declared.StageName) out.StageName = stage;
  const tableDefault = declared.TableName?.Default;
  if (tableDefault !== undefined) out.TableName = `${tableDefault}-${stage}`;
  return out;
}

export interface ParameterSources {
  declared: TemplateParameters;
  /** Lowest precedence first. */
  layers: ParameterLayer[];
  /** The running stack's values: declared parameters with no new value keep them (UPDATE). */
  previous?: Record<string, string>;
}

export function changeSetParameters(sources: ParameterSources): ChangeSetParameter[] {
  const values = resolveParameters(sources.declared, sources.layers).given;
  const out: ChangeSetParameter[] = [];
  for (const key of Object.keys(sources.declared)) {
    if (values[key] !== undefined) out.push({ key, value: values[key] });
    else if (sources.previous && Object.hasOwn(sources.previous, key)) out.push({ key, usePreviousValue: true });
  }
  const missing = Object.entries(sources.declared)
    .filter(([key, p]) => p.Default === undefined && !out.some((o) => o.key === key))
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new UsageError(`no value for template parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      details: ['Set them with --parameter-overrides Key=Value or under "parameters" in cli.config.json.'],
    });
  }
  return out;
}

/** Where a deploy's parameter values come from, besides the artifact. */
export interface ParameterInputs {
  stage?: string;
  /** From cli.config.json (top level, then the stage). */
  configParameters?: Record<string, string>;
  /** --parameter-overrides, already parsed. */
  parameterOverrides?: Record<string, string>;
}

/**
 * Parameter values by source, lowest precedence first. Before the upload the artifact's values
 * are valid stand-ins (its real key is not known yet).
 */
export function parameterLayers(inputs: ParameterInputs, declared: TemplateParameters, artifact = { bucket: 'placeholder-bucket', key: 'placeholder.zip' }): ParameterLayer[] {
  return [
    { name: 'stage defaults', values: stageDefaults(inputs.stage, declared) },
    { name: 'cli.config.json parameters', values: inputs.configParameters ?? {} },
    { name: '--parameter-overrides', values: inputs.parameterOverrides ?? {} },
    { name: 'artifact', values: { ArtifactBucket: artifact.bucket, ArtifactKey: artifact.key } },
  ];
}

/** The values the stack will run with: new ones, else the kept ones. */
export function effectiveValues(parameters: readonly ChangeSetParameter[], previous: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parameters) {
    const value = p.usePreviousValue ? previous?.[p.key] : p.value;
    if (value !== undefined) out[p.key] = value;
  }
  return out;
}
