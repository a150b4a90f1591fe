/**
 * What a deploy must do with the stack as it stands now. Pure: the decisions the CLI makes for
 * the states `sam deploy` and `cdk deploy` leave users to untangle by hand.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes
 */
import type { StackDescription } from '../aws/stack-api.js';

export type StackPlan =
  | { action: 'create' }
  | { action: 'update' }
  /** A stack that holds nothing and cannot be updated: delete it, then create. */
  | { action: 'recreate'; reason: string }
  | { action: 'continue-rollback' }
  | { action: 'blocked'; message: string; details: string[] };

/**
 * `resourceCount` is needed only for CREATE_FAILED (a create that failed with rollback
 * disabled); pass undefined otherwise.
 */
export function planForStack(
  stack: StackDescription | undefined,
  options: { continueRollback: boolean; resourceCount?: number; stackFlags: string },
): StackPlan {
  if (!stack) return { action: 'create' };
  const { status } = stack;
  const name = stack.stackName;
  switch (status) {
    case 'ROLLBACK_COMPLETE':
      return {
        action: 'recreate',
        reason: `Stack ${name} is in ROLLBACK_COMPLETE: its first create failed and was rolled back, so it holds no resources and cannot be updated. Deleting it before creating it again.`,
      };
    case 'REVIEW_IN_PROGRESS':
      return {
        action: 'recreate',
        reason: `Stack ${name} is in REVIEW_IN_PROGRESS: a change set for its first create was never executed. Deleting it (and its change sets) before creating it again.`,
      };
    case 'CREATE_FAILED':
      if (options.resourceCount === 0) {
        return {
          action: 'recreate',
          reason: `Stack ${name} is in CREATE_FAILED with no resources. Deleting it before creating it again.`,
        };
      }
      return {
        action: 'blocked',
        message: `Stack ${name} is in CREATE_FAILED and still holds resources (its failed create was not rolled back).`,
        details: [
          `Look at why with \`npx cli status${options.stackFlags}\`, then delete it with \`npx cli delete${options.stackFlags}\` and deploy again.`,
        ],
      };
    case 'UPDATE_ROLLBACK_FAILED':
      if (options.continueRollback) return { action: 'continue-rollback' };
      return {
        action: 'blocked',
        message: `Stack ${name} is in UPDATE_ROLLBACK_FAILED: an update failed and CloudFormation could not roll every resource back, so the stack accepts no update until the rollback finishes.`,
        details: [
          `Fix what blocked the rollback (see \`npx cli status${options.stackFlags}\`; often a resource changed or deleted outside CloudFormation), then run`,
          `  npx cli deploy --continue-rollback${options.stackFlags}`,
          'which asks CloudFormation to finish the rollback (ContinueUpdateRollback) and then deploys.',
          'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html#troubleshooting-errors-update-rollback-failed',
        ],
      };
    case 'ROLLBACK_FAILED':
    case 'DELETE_FAILED':
      return {
        action: 'blocked',
        message: `Stack ${name} is in ${status}: CloudFormation could not delete some of its resources.`,
        details: [
          `See which with \`npx cli status${options.stackFlags}\`, remove what blocks them, then \`npx cli delete${options.stackFlags}\` and deploy again.`,
        ],
      };
    default:
      if (status.endsWith('_IN_PROGRESS')) {
        return {
          action: 'blocked',
          message: `Stack ${name} is busy (${status}); CloudFormation runs one operation at a time.`,
          details: [`Follow it with \`npx cli status${options.stackFlags}\` and deploy when it has finished.`],
        };
      }
      return { action: 'update' };
  }
}
