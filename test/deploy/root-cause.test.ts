import { expect } from 'chai';
import type { StackEvent } from '../../cli/aws/stack-api.js';
import { failureDetails, findRootCause, statusHint } from '../../cli/deploy/root-cause.js';

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

  describe('findRootCause', () => {
    it('names the first real failure, lists the knock-on ones and hints at a name clash', () => {
      const cause = findRootCause(
        [
          ev('items', STACK, 'CREATE_IN_PROGRESS', 0, 'User Initiated'),
          ev('Role', 'AWS::IAM::Role', 'CREATE_FAILED', 1, 'Resource creation cancelled'),
          ev('Table', 'AWS::DynamoDB::Table', 'CREATE_FAILED', 2, 'Resource handler returned message: "Table already exists: lambda-apigateway"'),
          ev('items', STACK, 'ROLLBACK_IN_PROGRESS', 3, 'The following resource(s) failed to create: [Table, Role].'),
          ev('items', STACK, 'ROLLBACK_COMPLETE', 4),
        ],
        'items',
      );
      expect(cause.first).to.deep.include({ logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', status: 'CREATE_FAILED' });
      expect(cause.others.map((o) => o.logicalId)).to.deep.equal(['Role']);
      expect(cause.stackReason).to.equal('The following resource(s) failed to create: [Table, Role].');
      expect(cause.hints).to.have.length(1);
      expect(cause.hints[0]).to.match(/^Table lambda-apigateway already exists outside any stack/);
    });

    it('says which stack owns a table name that is taken, and how to use another name', () => {
      const cause = findRootCause(
        [ev('Table', 'AWS::DynamoDB::Table', 'CREATE_FAILED', 0, 'lambda-apigateway already exists in stack arn:aws:cloudformation:us-east-1:123456789012:stack/other/1a2b')],
        'items',
        { region: 'us-east-1', flags: ' --region us-east-1' },
      );
      expect(cause.hints).to.deep.equal([
        'Table lambda-apigateway belongs to another stack (arn:aws:cloudformation:us-east-1:123456789012:stack/other/1a2b); deploy this one with its own table name:\n' +
          'npx cli deploy --region us-east-1 --parameter-overrides TableName=<new-name>   (or another --stage, which suffixes the table name)',
      ]);
    });

    it('notes a table kept by a rollback (DELETE_SKIPPED), but not one kept by a stack delete', () => {
      const skipped = (status: string) =>
        findRootCause(
          [
            ev('items', STACK, status, 0),
            { ...ev('Table', 'AWS::DynamoDB::Table', 'DELETE_SKIPPED', 1), physicalId: 'lambda-apigateway' },
            ev('Role', 'AWS::IAM::Role', 'DELETE_FAILED', 2, 'Role is in use'),
          ],
          'items',
          { region: 'eu-west-1' },
        );
      const rollback = skipped('ROLLBACK_IN_PROGRESS');
      expect(rollback.retained).to.deep.equal([{ logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', physicalId: 'lambda-apigateway' }]);
      expect(rollback.hints.join('\n')).to.include('aws dynamodb delete-table --table-name lambda-apigateway --region eu-west-1');
      const deletion = skipped('DELETE_IN_PROGRESS');
      expect(deletion.retained).to.deep.equal([]);
      expect(deletion.hints).to.deep.equal([]);
    });

    it('hints at a bucket in another region', () => {
      const cause = findRootCause([ev('Function', 'AWS::Lambda::Function', 'CREATE_FAILED', 0, 'Error occurred while GetObject. S3 Error Code: PermanentRedirect. S3 Error Message: The bucket is in this region: eu-west-1.')], 'items');
      expect(cause.hints[0]).to.match(/^Bucket in another region/);
    });
  });
});
