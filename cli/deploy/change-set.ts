/**
 * Creating a change set and waiting until CloudFormation has computed it. An empty change set
 * ("nothing to deploy") is a result, not an error.
 */
import { CliError } from '../errors.js';
import { awsErrorName, isNoChangesReason, isThrottling } from '../aws/aws-errors.js';
import type { ChangeSetDescription, CreateChangeSetInput, StackApi } from '../aws/stack-api.js';
import type { Sleep } from './progress-poller.js';

export type ChangeSetOutcome =
  | { kind: 'ready'; changeSet: ChangeSetDescription; stackId: string }
  /** `created`: a FAILED empty change set exists and must be deleted. */
  | { kind: 'empty'; created: boolean; stackId?: string };

/** A name CloudFormation accepts ([a-zA-Z][-a-zA-Z0-9]*, at most 128) that sorts by time. */
export function changeSetName(now: number): string {
  return `cli-deploy-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-')}`;
}

export async function createChangeSet(
  stacks: StackApi,
  input: CreateChangeSetInput,
  wait: { sleep: Sleep; intervalMs: number; signal?: AbortSignal },
): Promise<ChangeSetOutcome> {
  let created: { id: string; stackId: string };
  try {
    created = await stacks.createChangeSet(input);
  } catch (err) {
    // moto (and UpdateStack-style validation) answers an identical template this way.
    if (awsErrorName(err) === 'ValidationError' && isNoChangesReason((err as Error).message)) return { kind: 'empty', created: false };
    throw err;
  }
  let delay = wait.intervalMs;
  for (;;) {
    let cs: ChangeSetDescription | undefined;
    try {
      cs = await stacks.describeChangeSet(input.stackName, input.changeSetName);
      delay = wait.intervalMs;
    } catch (err) {
      if (!isThrottling(err)) throw err;
      delay = Math.min(Math.max(delay, 1) * 2, 30_000);
    }
    if (cs?.status === 'CREATE_COMPLETE') return { kind: 'ready', changeSet: cs, stackId: cs.stackId || created.stackId };
    if (cs?.status === 'FAILED') {
      if (isNoChangesReason(cs.statusReason)) return { kind: 'empty', created: true, stackId: cs.stackId || created.stackId };
      throw new ChangeSetFailedError(input.changeSetName, cs.statusReason ?? 'no reason given', input.type);
    }
    if (cs && cs.status.startsWith('DELETE')) throw new CliError(`Change set ${input.changeSetName} was deleted while being created (${cs.status})`);
    wait.signal?.throwIfAborted();
    await wait.sleep(delay, wait.signal);
  }
}

/** CloudFormation refused the change set itself (bad template or parameter value). */
export class ChangeSetFailedError extends CliError {
  constructor(
    readonly changeSetName: string,
    readonly reason: string,
    readonly type: 'CREATE' | 'UPDATE',
  ) {
    super(`CloudFormation rejected the change set: ${reason}`);
    this.name = 'ChangeSetFailedError';
  }
}
