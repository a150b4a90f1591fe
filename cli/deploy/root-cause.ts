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
  hints: string[];
}

/** Failures CloudFormation reports only because something else failed first. */
const KNOCK_ON = /Resource (creation|update|deletion) cancelled|cancelled because another resource failed/i;

interface Hint {
  pattern: RegExp;
  hint: (reason: string) => string;
}

const HINTS: Hint[] = [
  {
    pattern: /not authorized to perform|AccessDenied|Access Denied|is not authorized|UnauthorizedOperation|iam:PassRole/i,
    hint: (reason) =>
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
    hint: () =>
      'Name already exists: a resource with this physical name exists outside this stack (often the DynamoDB table retained by an earlier `cli delete`). Delete it, or deploy with another name, e.g. --parameter-overrides TableName=<new-name> (or --stage, which suffixes the table name).',
  },
  {
    pattern: /PermanentRedirect|must be addressed using the specified endpoint|in a different region|not in the same region|region .* does not match/i,
    hint: () =>
      'Bucket in another region: Lambda reads its code only from a bucket in the stack\'s own region. Use a bucket in this region (--bucket) or drop --bucket to use the managed one.',
  },
];

function actionIn(reason: string): string | undefined {
  return /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(reason)?.[1];
}

/** `events` oldest first (as ProgressState keeps them). */
export function findRootCause(events: readonly StackEvent[], stackName: string): RootCause {
  const failures: FailedResource[] = [];
  let stackReason: string | undefined;
  for (const event of events) {
    if (isStackEvent(event, stackName)) {
      if (event.reason && event.reason !== 'User Initiated' && /FAILED|ROLLBACK/.test(event.status) && !stackReason) {
        stackReason = event.reason;
      }
      continue;
    }
    if (!event.status.endsWith('_FAILED')) continue;
    failures.push({
      logicalId: event.logicalId,
      resourceType: event.resourceType,
      status: event.status,
      reason: event.reason ?? '(no reason given)',
    });
  }
  const causes = failures.filter((f) => !KNOCK_ON.test(f.reason));
  const first = causes[0] ?? failures[0];
  const others = failures.filter((f) => f !== first);
  const hints: string[] = [];
  for (const failure of first ? [first, ...others] : []) {
    for (const h of HINTS) {
      if (h.pattern.test(failure.reason)) {
        const text = h.hint(failure.reason);
        if (!hints.includes(text)) hints.push(text);
      }
    }
  }
  return { first, others, stackReason, hints };
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
  for (const hint of cause.hints) lines.push(`Hint: ${hint}`);
  return lines;
}
