/**
 * `cli.config.json`: per-stage stack name, region, profile, artifact bucket and parameter values.
 * Every cloud command resolves its target the same way: flag > environment > config file >
 * default.
 *
 *   {
 *     "region": "eu-west-1",
 *     "parameters": { "LogRetentionInDays": 14 },
 *     "stages": {
 *       "prod": { "stackName": "items-prod", "region": "us-east-1", "parameters": { "AuthMode": "API_KEY" } }
 *     }
 *   }
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { regionNameProblem } from '../aws/region.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STACK_NAME } from '../template/project.js';

export const CONFIG_FILE = 'cli.config.json';

export interface StageConfig {
  stackName?: string;
  region?: string;
  profile?: string;
  /** Artifact bucket to use instead of the managed one. */
  bucket?: string;
  parameters?: Record<string, string>;
}

export interface CliConfig extends StageConfig {
  stages?: Record<string, StageConfig>;
}

const STAGE_KEYS = ['stackName', 'region', 'profile', 'bucket', 'parameters'] as const;

/** Reads `cli.config.json` from `root`; no file means an empty config. */
export async function loadConfig(root: string): Promise<CliConfig> {
  const path = join(root, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read ${CONFIG_FILE}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${CONFIG_FILE} is not valid JSON: ${(err as Error).message}`);
  }
  return validateConfig(raw, CONFIG_FILE);
}

/** Checks the shape and names the first bad key by its path (e.g. `stages.prod.parameters.X`). */
export function validateConfig(raw: unknown, file = CONFIG_FILE): CliConfig {
  const fail = (path: string, problem: string): never => {
    throw new UsageError(`${file}: ${path} ${problem}`);
  };
  if (!isObject(raw)) fail('(top level)', 'must be a JSON object');
  const top = raw as Record<string, unknown>;
  const config: CliConfig = readStage(top, '', fail, true);
  if (top.stages !== undefined) {
    if (!isObject(top.stages)) fail('stages', 'must be an object of stage name -> settings');
    config.stages = {};
    for (const [stage, value] of Object.entries(top.stages as Record<string, unknown>)) {
      if (!STAGE_NAME.test(stage)) fail(`stages.${stage}`, 'is not a valid stage name (letters, digits, hyphens; starts with a letter)');
      if (!isObject(value)) fail(`stages.${stage}`, 'must be an object');
      config.stages[stage] = readStage(value as Record<string, unknown>, `stages.${stage}.`, fail, false);
    }
  }
  return config;
}

function readStage(
  obj: Record<string, unknown>,
  prefix: string,
  fail: (path: string, problem: string) => never,
  top: boolean,
): StageConfig {
  const allowed: readonly string[] = top ? [...STAGE_KEYS, 'stages', '$schema'] : STAGE_KEYS;
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(`${prefix}${key}`, `is not a known key (expected one of: ${allowed.filter((k) => k !== '$schema').join(', ')})`);
  }
  const out: StageConfig = {};
  for (const key of ['stackName', 'region', 'profile', 'bucket'] as const) {
    const value = obj[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') fail(`${prefix}${key}`, 'must be a non-empty string');
    out[key] = value as string;
  }
  if (out.stackName !== undefined && !STACK_NAME.test(out.stackName)) {
    fail(`${prefix}stackName`, `"${out.stackName}" is not a valid stack name (letters, digits, hyphens; starts with a letter; at most 128)`);
  }
  const regionProblem = out.region !== undefined ? regionNameProblem(out.region) : undefined;
  if (regionProblem !== undefined) fail(`${prefix}region`, regionProblem);
  if (obj.parameters !== undefined) {
    if (!isObject(obj.parameters)) fail(`${prefix}parameters`, 'must be an object of parameter name -> value');
    out.parameters = {};
    for (const [name, value] of Object.entries(obj.parameters as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.parameters[name] = String(value);
      else fail(`${prefix}parameters.${name}`, 'must be a string, number or boolean');
    }
  }
  return out;
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html (StackName) */
export const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The options every cloud command accepts. */
export interface StackFlags {
  stackName?: string;
  stage?: string;
  region?: string;
  profile?: string;
}

export interface StackTarget {
  stackName: string;
  stage?: string;
  /** Undefined: the SDK decides (the profile's region); the clients report what it chose. */
  region?: string;
  profile?: string;
  bucket?: string;
  /** Config-file parameters (top level, then the stage's). */
  parameters: Record<string, string>;
}

/**
 * flag > environment (CLI_STACK_NAME, CLI_STAGE, AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE)
 * > config file (the stage's entry, then the top level) > default.
 */
export function resolveStackTarget(flags: StackFlags, env: NodeJS.ProcessEnv, config: CliConfig): StackTarget {
  const stage = flags.stage ?? nonEmpty(env.CLI_STAGE);
  if (stage !== undefined && !STAGE_NAME.test(stage)) {
    throw new UsageError(`--stage "${stage}" is not a valid stage name (letters, digits, hyphens; starts with a letter)`);
  }
  // A config that lists its stages makes a typo (`--stage prd`) an error, not a new stack.
  const known = Object.keys(config.stages ?? {});
  if (stage !== undefined && known.length > 0 && !Object.hasOwn(config.stages!, stage)) {
    const source = flags.stage !== undefined ? '--stage' : 'CLI_STAGE';
    throw new UsageError(`${source} "${stage}" is not a stage of ${CONFIG_FILE} (stages: ${known.join(', ')})`);
  }
  const stageConfig = stage !== undefined ? config.stages?.[stage] : undefined;
  const suffix = stage !== undefined ? `-${stage}` : '';
  const stackName =
    flags.stackName ??
    nonEmpty(env.CLI_STACK_NAME) ??
    stageConfig?.stackName ??
    (config.stackName !== undefined ? config.stackName + suffix : DEFAULT_STACK_NAME + suffix);
  if (!STACK_NAME.test(stackName)) {
    throw new UsageError(`stack name "${stackName}" is not valid (letters, digits, hyphens; starts with a letter; at most 128 characters)`);
  }
  return {
    stackName,
    stage,
    region: flags.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? stageConfig?.region ?? config.region,
    profile: flags.profile ?? nonEmpty(env.AWS_PROFILE) ?? stageConfig?.profile ?? config.profile,
    bucket: stageConfig?.bucket ?? config.bucket,
    parameters: { ...config.parameters, ...stageConfig?.parameters },
  };
}

/** The target flags the user gave, to repeat in hints (` --stage dev --region eu-west-1`). */
export function targetFlagsHint(flags: StackFlags): string {
  return [
    flags.stackName !== undefined ? ` --stack-name ${flags.stackName}` : '',
    flags.stage !== undefined ? ` --stage ${flags.stage}` : '',
    flags.region !== undefined ? ` --region ${flags.region}` : '',
    flags.profile !== undefined ? ` --profile ${flags.profile}` : '',
  ].join('');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
