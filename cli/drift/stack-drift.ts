/**
 * `cli drift`: DetectStackDrift, wait for it (DescribeStackDriftDetectionStatus), then every
 * resource's drift (DescribeStackResourceDrifts), property by property.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/detect-drift-stack.html
 * A hotswap's drift does not show here: drift detection does not compare a function's code
 * (Code is not among the properties it checks), so `cli deploy --hotswap` prints its own.
 */
import { CliError } from '../errors.js';
import { awsErrorName, withAwsFailures } from '../aws/aws-errors.js';
import type { AwsClients } from '../aws/clients.js';
import type { DriftDetection, ResourceDrift } from '../aws/drift-api.js';
import { DEFAULT_POLL_MS, defaultSleep } from '../deploy/follow-stack.js';
import type { Sleep } from '../deploy/progress-poller.js';
import type { Colors } from '../ui/reporter.js';

export interface StackDriftDeps {
  aws: Pick<AwsClients, 'region' | 'profile' | 'endpoint' | 'stacks' | 'drift'>;
  sleep?: Sleep;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export interface StackDriftResult {
  stackName: string;
  /** DRIFTED | IN_SYNC | UNKNOWN | NOT_CHECKED */
  stackDriftStatus: string;
  detectionStatus: string;
  /** Why a detection failed (some resources could not be checked). */
  detectionReason?: string;
  resources: ResourceDrift[];
}

export async function stackDrift(options: { stackName: string; hintFlags?: string }, deps: StackDriftDeps): Promise<StackDriftResult> {
  const { aws } = deps;
  return withAwsFailures({ profile: aws.profile, region: aws.region }, async () => {
    const stack = await aws.stacks.describeStack(options.stackName);
    if (!stack) throw new CliError(`Stack ${options.stackName} does not exist`, { details: [`Deploy it first: npx cli deploy${options.hintFlags ?? ''}`] });
    const id = await aws.drift.detect(stack.stackId).catch((err: unknown) => {
      throw notImplemented(err, aws.endpoint) ?? err;
    });
    const detection = await waitForDetection(deps, id);
    const resources = await aws.drift.resourceDrifts(stack.stackId);
    return {
      stackName: options.stackName,
      stackDriftStatus: detection.stackDriftStatus ?? 'UNKNOWN',
      detectionStatus: detection.status,
      detectionReason: detection.statusReason,
      resources,
    };
  });
}

async function waitForDetection(deps: StackDriftDeps, id: string): Promise<DriftDetection> {
  const sleep = deps.sleep ?? defaultSleep;
  const interval = Math.min(deps.pollIntervalMs ?? DEFAULT_POLL_MS, 2_000);
  for (;;) {
    const detection = await deps.aws.drift.status(id);
    if (detection.status !== 'DETECTION_IN_PROGRESS') return detection;
    deps.signal?.throwIfAborted();
    await sleep(interval, deps.signal);
  }
}

/**
 * An emulator without drift detection answers with an error, or (moto 5.2.5) with an HTML error
 * page the SDK cannot parse as an AWS answer.
 */
function notImplemented(err: unknown, endpoint: string | undefined): CliError | undefined {
  if (endpoint === undefined) return undefined;
  const name = awsErrorName(err);
  const message = err instanceof Error ? err.message : String(err);
  if (!/NotImplemented|InvalidAction|UnknownOperation|not (yet )?implemented|XML parse error/i.test(`${name} ${message}`)) return undefined;
  return new CliError(`The endpoint ${endpoint} does not implement DetectStackDrift (its answer: ${message})`, {
    cause: err,
    details: ['moto does not implement drift detection; run `cli drift` against AWS.'],
  });
}

const ORDER = ['DELETED', 'MODIFIED', 'UNKNOWN', 'NOT_CHECKED', 'IN_SYNC'];

export function formatDrift(result: StackDriftResult, color: Colors): string[] {
  const drifted = result.resources.filter((r) => r.status === 'MODIFIED' || r.status === 'DELETED');
  const head = `Stack ${result.stackName}: ${result.stackDriftStatus === 'DRIFTED' ? color.red('DRIFTED') : result.stackDriftStatus === 'IN_SYNC' ? color.green('IN_SYNC') : result.stackDriftStatus}`;
  const lines = [`${head} (${drifted.length} of ${result.resources.length} resources drifted)`];
  const sorted = [...result.resources].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.logicalId.localeCompare(b.logicalId));
  const inSync = sorted.filter((r) => r.status === 'IN_SYNC');
  for (const r of sorted) {
    if (r.status === 'IN_SYNC') continue;
    const label = r.status === 'DELETED' || r.status === 'MODIFIED' ? color.red(r.status) : color.dim(r.status);
    lines.push(`  ${label} ${r.logicalId} (${r.resourceType})${r.status === 'DELETED' ? ': deleted outside CloudFormation' : ''}`);
    for (const d of r.differences) {
      const mark = d.kind === 'ADD' ? '+' : d.kind === 'REMOVE' ? '-' : '~';
      lines.push(`      ${mark} ${d.path}: expected ${d.expected ?? '(none)'}, actual ${d.actual ?? '(none)'}`);
    }
  }
  if (inSync.length > 0) lines.push(`  ${color.green('IN_SYNC')} ${inSync.map((r) => r.logicalId).join(', ')}`);
  return lines;
}
