import { expect } from 'chai';
import type { StackEvent } from '../../cli/aws/stack-api.js';
import { failureDetails, statusHint } from '../../cli/deploy/root-cause.js';

const STACK = 'AWS::CloudFormation::Stack';

function ev(logicalId: string, resourceType: string, status: string, atSecond: number, reason?: string): StackEvent {
  return { eventId: `e${atSecond}`, stackName: 'items', stackId: 'arn:stack/items/1', logicalId, resourceType, status, reason, timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, atSecond)) };
}

// What each final status means for the next deploy:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes
// (UPDATE_ROLLBACK_FAILED and ContinueUpdateRollback:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html#troubleshooting-errors-update-rollback-failed)
describe('cli/deploy/root-cause', () => {
  describe('statusHint', () => {
    const cases: { status: string | undefined; hint: string | undefined }[] = [
      {
        status: 'ROLLBACK_COMPLETE',
        hint: 'The stack is in ROLLBACK_COMPLETE and holds no resources; the next `npx cli deploy --stage dev` deletes it and creates it again.',
      },
      { status: 'UPDATE_ROLLBACK_FAILED', hint: 'The rollback failed too: fix the cause, then `npx cli deploy --continue-rollback --stage dev`.' },
      { status: 'UPDATE_ROLLBACK_COMPLETE', hint: 'The stack was rolled back and runs what it ran before this deploy.' },
      { status: 'DELETE_FAILED', hint: undefined },
      { status: 'UPDATE_COMPLETE', hint: undefined },
      { status: undefined, hint: undefined },
    ];
    for (const { status, hint } of cases) {
      it(`${hint === undefined ? 'adds nothing' : 'says what comes next'} for ${status ?? 'an unknown status'}`, () => {
        expect(statusHint(status, ' --stage dev')).to.equal(hint);
      });
    }
  });

  describe('failureDetails', () => {
    const events = [
      ev('items', STACK, 'UPDATE_IN_PROGRESS', 0, 'User Initiated'),
      ev('Function', 'AWS::Lambda::Function', 'UPDATE_FAILED', 1, 'The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions.'),
      ev('items', STACK, 'UPDATE_ROLLBACK_IN_PROGRESS', 2, 'The following resource(s) failed to update: [Function].'),
      ev('items', STACK, 'UPDATE_ROLLBACK_COMPLETE', 3),
    ];

    it('puts the root cause and its hints first, then what the final status means', () => {
      const lines = failureDetails(events, 'items', 'UPDATE_ROLLBACK_COMPLETE');
      expect(lines[0]).to.equal('Root cause: Function (AWS::Lambda::Function) UPDATE_FAILED');
      expect(lines[2]).to.match(/^Hint: Deprecated runtime/);
      expect(lines.at(-1)).to.equal('The stack was rolled back and runs what it ran before this deploy.');
    });

    it('ends with the root cause when the status needs no word', () => {
      const lines = failureDetails(events, 'items', 'DELETE_FAILED');
      expect(lines.at(-1)).to.match(/^Hint: Deprecated runtime/);
    });
  });
});
