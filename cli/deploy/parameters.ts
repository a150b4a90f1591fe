/**
 * Parameter values for the change set: ArtifactBucket/ArtifactKey from the upload, the config
 * file, stage defaults and `--parameter-overrides K=V` (flag wins), checked against the
 * template's Parameters so a typo is an error rather than a silently ignored value.
 */
import { UsageError } from '../errors.js';
import type { ChangeSetParameter } from '../aws/stack-api.js';

export interface TemplateParameters {
  [name: string]: { Default?: string | number } & Record<string, unknown>;
}

/** `['A=1', 'B=x=y']` -> `{A: '1', B: 'x=y'}`; also accepts `A=1 B=2` in one argument. */
export function parseParameterOverrides(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values.flatMap((v) => v.split(/\s+(?=[A-Za-z0-9]+=)/))) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--parameter-overrides "${value}" must look like Key=Value`);
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}

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
  layers: { name: string; values: Record<string, string> }[];
  /** The running stack's values: declared parameters with no new value keep them (UPDATE). */
  previous?: Record<string, string>;
}

export function changeSetParameters(sources: ParameterSources): ChangeSetParameter[] {
  const values: Record<string, string> = {};
  for (const layer of sources.layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      if (!Object.hasOwn(sources.declared, key)) {
        throw new UsageError(`${layer.name}: the template has no parameter "${key}"`, {
          details: [`Parameters: ${Object.keys(sources.declared).join(', ')}`],
        });
      }
      values[key] = value;
    }
  }
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
