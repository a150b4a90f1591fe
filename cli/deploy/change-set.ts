/**
 * A change set's life in a deploy: whether one is needed at all, creating it and waiting until
 * CloudFormation has computed it, the go-ahead to execute it, and discarding one that will not
 * run. An empty change set ("nothing to deploy") is a result, not an error.
 */
import { CliError, InterruptedError, UsageError } from '../errors.js';
import { awsErrorName, isNoChangesReason, isThrottling } from '../aws/aws-errors.js';
import type { ChangeSetDescription, ChangeSetParameter, CreateChangeSetInput, StackApi, StackDescription } from '../aws/stack-api.js';
import type { Reporter } from '../ui/reporter.js';
import type { Sleep } from './progress-poller.js';

/** One change set of a deploy, with what its messages name (region, the user's target flags). */
export interface ChangeSetRef {
  stackName: string;
  name: string;
  type: 'CREATE' | 'UPDATE';
  region: string;
  /** e.g. ` --stage dev` */
  flags: string;
}

/** Whether the deploy can stop before creating a change set, and why (said either way). */
export interface SkipDecision {
  skip: boolean;
  reason: string;
}

export type ChangeSetOutcome =
  | { kind: 'ready'; changeSet: ChangeSetDescription; stackId: string }
  /** `created`: a FAILED empty change set exists and must be deleted. */
  | { kind: 'empty'; created: boolean; stackId?: string };

/** A name CloudFormation accepts ([a-zA-Z][-a-zA-Z0-9]*, at most 128) that sorts by time. */
export function changeSetName(now: number): string {
  return `cli-deploy-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-')}`;
}

/**
 * The fast "nothing to do": the deployed template text (GetTemplate, Original) is the one we
 * would send and every parameter keeps its value, so a change set could only come back empty.
 * One cheap call instead of creating, polling and deleting a change set (seconds on AWS).
 * Anything else (or any doubt) goes through a real change set. The template is fetched last,
 * only when nothing cheaper has decided.
 */
export async function alreadyDeployed(
  stacks: Pick<StackApi, 'getTemplate'>,
  stack: StackDescription | undefined,
  text: string,
  parameters: readonly ChangeSetParameter[],
): Promise<SkipDecision> {
  if (!stack) return { skip: false, reason: 'no stack yet' };
  if (!/_COMPLETE$/.test(stack.status) || stack.status.includes('ROLLBACK')) return { skip: false, reason: `the stack is ${stack.status}` };
  const declared = new Set(parameters.map((p) => p.key));
  const dropped = Object.keys(stack.parameters).find((k) => !declared.has(k));
  if (dropped !== undefined) return { skip: false, reason: `the template no longer declares parameter ${dropped}` };
  const changed = parameters.find((p) => !p.usePreviousValue && stack.parameters[p.key] !== p.value);
  if (changed) return { skip: false, reason: `parameter ${changed.key} changes` };
  if ((await stacks.getTemplate(stack.stackId)) !== text) return { skip: false, reason: 'the template differs from the deployed one' };
  return { skip: true, reason: 'the deployed template and parameters match' };
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

/** How to run a change set left for review, then follow it. */
export function executeHint(cs: ChangeSetRef): string {
  return `To run it: aws cloudformation execute-change-set --stack-name ${cs.stackName} --change-set-name ${cs.name} --region ${cs.region}, then npx cli status${cs.flags}`;
}

export interface Approval {
  /** --yes: no question asked. */
  yes?: boolean;
  /** A person can answer (stdin and stderr are a TTY, not CI). */
  interactive: boolean;
  confirm?(question: string): Promise<boolean>;
  /** The preview found a DATA LOSS RISK; the question says so. */
  dataLoss: boolean;
  /** Ctrl-C while the question was open. */
  signal?: AbortSignal;
}

/**
 * The go-ahead to execute: --yes, or "y" from a person. Any other way out (no terminal, "no",
 * Ctrl-C or Ctrl-D at the question) discards the change set and throws.
 */
export async function confirmChangeSet(stacks: StackApi, reporter: Reporter, cs: ChangeSetRef, approval: Approval): Promise<void> {
  if (!approval.yes) {
    if (!approval.interactive || !approval.confirm) {
      // Exit 2 (bad input), as `cli delete` does: the command line must change (add --yes, or run
      // it on a terminal); 1 is for a deployment that failed or a person who answered no.
      throw new UsageError(`Not deploying: no terminal to confirm on and no --yes. Change set ${cs.name} is left on stack ${cs.stackName} for review.`, {
        details: [executeHint(cs), `Or deploy without asking: npx cli deploy --yes${cs.flags}`],
      });
    }
    let answer: boolean;
    try {
      answer = await approval.confirm(`${approval.dataLoss ? 'DATA LOSS RISK above. ' : ''}Deploy these changes to ${cs.stackName}? [y/N] `);
    } catch (err) {
      await discardChangeSet(stacks, reporter, cs);
      throw err;
    }
    if (!answer) {
      await discardChangeSet(stacks, reporter, cs);
      throw new CliError('Deployment cancelled; nothing was changed.');
    }
  }
  if (approval.signal?.aborted) {
    await discardChangeSet(stacks, reporter, cs);
    throw new InterruptedError('Interrupted before executing; nothing was deployed.');
  }
}

/** Deletes a change set that will not run, and says so (a CREATE's empty stack goes too). */
export async function discardChangeSet(stacks: StackApi, reporter: Reporter, cs: ChangeSetRef): Promise<void> {
  try {
    if (cs.type === 'CREATE') {
      await stacks.deleteStack(cs.stackName);
      reporter.info(`Deleted change set ${cs.name} and the empty stack (REVIEW_IN_PROGRESS) it had created.`);
    } else {
      await stacks.deleteChangeSet(cs.stackName, cs.name);
      reporter.info(`Deleted change set ${cs.name}.`);
    }
  } catch (err) {
    reporter.warn(
      `Could not delete change set ${cs.name} (${(err as Error).message}); delete it in the console or with \`aws cloudformation delete-change-set --stack-name ${cs.stackName} --change-set-name ${cs.name}\`.`,
    );
  }
}
