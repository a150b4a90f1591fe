/**
 * Why a stack operation failed, from its events: the first resource that failed (the cause; the
 * rest are usually "cancelled" knock-on failures), the other failures, and a hint when the
 * reason matches a cause we know. Pure.
 */
import type { StackEvent } from '../aws/stack-api.js';
import { isStackEvent } from './progress-state.js';

export interface FailedResource {
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string;
}

export interface RootCause {
  first?: FailedResource;
  others: FailedResource[];
  /** The stack's own final status reason, e.g. "The following resource(s) failed to create: [Function]". */
  stackReason?: string;
  /** Each hint may span lines (`\n`); formatRootCause indents the continuation lines. */
  hints: string[];
  /**
   * Resources the rollback left behind on purpose (DELETE_SKIPPED: DeletionPolicy Retain). A
   * table kept by a failed first create makes the next create fail with "already exists".
   */
  retained: { logicalId: string; resourceType: string; physicalId: string }[];
}

/** Where the commands in hints should point (`--region`, `--profile`, the user's target flags). */
export interface HintContext {
  region?: string;
  profile?: string;
  /** e.g. ` --stage dev` */
  flags?: string;
}

/** Failures CloudFormation reports only because something else failed first. */
const KNOCK_ON = /Resource (creation|update|deletion) cancelled|cancelled because another resource failed/i;

interface Hint {
  pattern: RegExp;
  hint: (failure: FailedResource & { physicalId?: string }, context: HintContext) => string;
}

const HINTS: Hint[] = [
  {
    pattern: /not authorized to perform|AccessDenied|Access Denied|is not authorized|UnauthorizedOperation|iam:PassRole/i,
    hint: ({ reason }) =>
      `Missing permission: the identity deploying (or the role CloudFormation uses) lacks the action named above${
        actionIn(reason) ? ` (${actionIn(reason)})` : ''
      }. Add it to the IAM policy, or deploy with a profile that has it.`,
  },
  {
    pattern: /runtime parameter of .* is no longer supported|runtime .* (is )?deprecated|deprecated runtime/i,
    hint: () =>
      'Deprecated runtime: Lambda no longer accepts this runtime for new or updated functions. Set Runtime in infra/cfn/template.yaml to a supported nodejs version (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).',
  },
  {
    pattern: /already exists/i,
    hint: alreadyExistsHint,
  },
  {
    pattern: /PermanentRedirect|must be addressed using the specified endpoint|in a different region|not in the same region|region .* does not match/i,
    hint: () =>
      'Bucket in another region: Lambda reads its code only from a bucket in the stack\'s own region. Use a bucket in this region (--bucket) or drop --bucket to use the managed one.',
  },
];

/**
 * CloudFormation's wordings: "Resource of type 'AWS::DynamoDB::Table' with identifier 'X' already
 * exists." (outside any stack), "X already exists in stack arn:..." (another stack owns it), and
 * older handlers' "Table already exists: X".
 */
function alreadyExistsHint(failure: FailedResource & { physicalId?: string }, context: HintContext): string {
  const { reason, resourceType } = failure;
  const name =
    /with identifier '([^']+)'/.exec(reason)?.[1] ??
    /already exists: ([\w.-]+)/i.exec(reason)?.[1] ??
    /^(?:.*?: )?"?([\w.-]+) already exists in stack/.exec(reason)?.[1] ??
    failure.physicalId;
  const owner = /already exists in stack (arn:\S+?)\.?(?:\s|"|$)/.exec(reason)?.[1];
  const deploy = `npx cli deploy${context.flags ?? ''}`;
  if (resourceType !== 'AWS::DynamoDB::Table' || !name) {
    return (
      `Name already exists: a ${resourceType} with this physical name exists outside this stack. Delete it, or deploy with another name` +
      ` (e.g. ${deploy} --parameter-overrides TableName=<new-name>, or another --stage, which suffixes the table name).`
    );
  }
  if (owner) {
    return [
      `Table ${name} belongs to another stack (${owner}); deploy this one with its own table name:`,
      `${deploy} --parameter-overrides TableName=<new-name>   (or another --stage, which suffixes the table name)`,
    ].join('\n');
  }
  const where = awsCliTarget(context);
  return [
    `Table ${name} already exists outside any stack: usually the table an earlier failed first deploy or \`cli delete\` kept (DeletionPolicy Retain).`,
    `If its items are not needed, delete it and deploy again:`,
    `  aws dynamodb scan --table-name ${name} --select COUNT${where}   (how many items it holds)`,
    `  aws dynamodb delete-table --table-name ${name}${where}`,
    `Or keep it and give this stack another table: ${deploy} --parameter-overrides TableName=<new-name>`,
  ].join('\n');
}

/** ` --region R --profile P` for an `aws` command line. */
function awsCliTarget(context: HintContext): string {
  return (context.region ? ` --region ${context.region}` : '') + (context.profile ? ` --profile ${context.profile}` : '');
}

function actionIn(reason: string): string | undefined {
  return /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(reason)?.[1];
}

/** `events` oldest first (as ProgressState keeps them). */
export function findRootCause(events: readonly StackEvent[], stackName: string, context: HintContext = {}): RootCause {
  const failures: (FailedResource & { physicalId?: string })[] = [];
  const retained: RootCause['retained'] = [];
  let stackReason: string | undefined;
  let rollingBack = false;
  for (const event of events) {
    if (isStackEvent(event, stackName)) {
      if (event.status.endsWith('_IN_PROGRESS')) rollingBack = event.status.includes('ROLLBACK');
      if (event.reason && event.reason !== 'User Initiated' && /FAILED|ROLLBACK/.test(event.status) && !stackReason) {
        stackReason = event.reason;
      }
      continue;
    }
    if (rollingBack && event.status === 'DELETE_SKIPPED' && event.physicalId) {
      retained.push({ logicalId: event.logicalId, resourceType: event.resourceType, physicalId: event.physicalId });
    }
    if (!event.status.endsWith('_FAILED')) continue;
    failures.push({
      logicalId: event.logicalId,
      resourceType: event.resourceType,
      status: event.status,
      reason: event.reason ?? '(no reason given)',
      physicalId: event.physicalId || undefined,
    });
  }
  const causes = failures.filter((f) => !KNOCK_ON.test(f.reason));
  const first = causes[0] ?? failures[0];
  const others = failures.filter((f) => f !== first);
  const hints: string[] = [];
  for (const failure of first ? [first, ...others] : []) {
    for (const h of HINTS) {
      if (h.pattern.test(failure.reason)) {
        const text = h.hint(failure, context);
        if (!hints.includes(text)) hints.push(text);
      }
    }
  }
  for (const r of retained) {
    if (r.resourceType !== 'AWS::DynamoDB::Table') continue;
    const where = awsCliTarget(context);
    hints.push(
      [
        `Table ${r.physicalId} was kept by its DeletionPolicy (Retain) when the stack rolled back, so the next create of this stack fails with "already exists" until it is gone.`,
        `This failed deploy created it, so it holds no items you need; delete it before deploying again:`,
        `  aws dynamodb delete-table --table-name ${r.physicalId}${where}`,
        `Or deploy with another table name: npx cli deploy${context.flags ?? ''} --parameter-overrides TableName=<new-name>`,
      ].join('\n'),
    );
  }
  return { first: strip(first), others: others.map((o) => strip(o)!), stackReason, hints, retained };
}

function strip(failure: (FailedResource & { physicalId?: string }) | undefined): FailedResource | undefined {
  if (!failure) return undefined;
  const { physicalId: _physicalId, ...rest } = failure;
  void _physicalId;
  return rest;
}

/**
 * What the status a failed operation left the stack in means for the next step; undefined when
 * it needs no word. `flags`: the user's target flags, repeated in the commands named.
 */
export function statusHint(status: string | undefined, flags = ''): string | undefined {
  switch (status) {
    case 'ROLLBACK_COMPLETE':
      return `The stack is in ROLLBACK_COMPLETE and holds no resources; the next \`npx cli deploy${flags}\` deletes it and creates it again.`;
    case 'UPDATE_ROLLBACK_FAILED':
      return `The rollback failed too: fix the cause, then \`npx cli deploy --continue-rollback${flags}\`.`;
    case 'UPDATE_ROLLBACK_COMPLETE':
      return 'The stack was rolled back and runs what it ran before this deploy.';
    default:
      return undefined;
  }
}

/**
 * The details of a failed stack operation: the root cause from its events (oldest first), then
 * what the stack's final `status` means.
 */
export function failureDetails(events: readonly StackEvent[], stackName: string, status: string | undefined, context: HintContext = {}): string[] {
  const hint = statusHint(status, context.flags);
  return [...formatRootCause(findRootCause(events, stackName, context)), ...(hint ? [hint] : [])];
}

/** Lines for the terminal (the caller colours the heading). */
export function formatRootCause(cause: RootCause): string[] {
  const lines: string[] = [];
  if (cause.first) {
    lines.push(`Root cause: ${cause.first.logicalId} (${cause.first.resourceType}) ${cause.first.status}`);
    lines.push(`  ${cause.first.reason}`);
  } else if (cause.stackReason) {
    lines.push(`Root cause: ${cause.stackReason}`);
  } else {
    lines.push('Root cause: CloudFormation reported no failed resource; see `cli status` for the events.');
  }
  if (cause.others.length > 0) {
    lines.push('Other failures:');
    for (const f of cause.others) lines.push(`  ${f.logicalId} (${f.resourceType}) ${f.status}: ${f.reason}`);
  }
  for (const hint of cause.hints) {
    const [head, ...rest] = hint.split('\n');
    lines.push(`Hint: ${head}`, ...rest.map((line) => `      ${line}`));
  }
  return lines;
}
