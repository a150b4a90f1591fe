import { expect } from 'chai';
import type { ChangeSetParameter, StackDescription } from '../../cli/aws/stack-api.js';
import { alreadyDeployed, changeSetName, executeHint } from '../../cli/deploy/change-set.js';

const TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n';

function stack(): StackDescription {
  return {
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/items/1',
    stackName: 'items',
    status: 'UPDATE_COMPLETE',
    outputs: [],
    parameters: { ArtifactKey: 'items/handler-aaa.zip', TableName: 'items' },
    terminationProtection: false,
  };
}

const SAME: ChangeSetParameter[] = [
  { key: 'ArtifactKey', value: 'items/handler-aaa.zip' },
  { key: 'TableName', usePreviousValue: true },
];

describe('cli/deploy/change-set', () => {
  describe('alreadyDeployed', () => {
    // The deployed template as GetTemplate (TemplateStage Original) returns it: the text the last
    // change set sent. https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html
    const cases: {
      name: string;
      stack: StackDescription | undefined;
      deployed?: string;
      parameters?: ChangeSetParameter[];
      skip: boolean;
      reason: string;
      /** Whether GetTemplate is asked: only when nothing cheaper has decided. */
      fetches: boolean;
    }[] = [
      { name: 'a stack that does not exist yet', stack: undefined, skip: false, reason: 'no stack yet', fetches: false },
      { name: 'a stack still being updated', stack: { ...stack(), status: 'UPDATE_IN_PROGRESS' }, skip: false, reason: 'the stack is UPDATE_IN_PROGRESS', fetches: false },
      { name: 'a stack whose last update rolled back', stack: { ...stack(), status: 'UPDATE_ROLLBACK_COMPLETE' }, skip: false, reason: 'the stack is UPDATE_ROLLBACK_COMPLETE', fetches: false },
      {
        name: 'a parameter the template no longer declares',
        stack: { ...stack(), parameters: { ...stack().parameters, Old: 'x' } },
        skip: false,
        reason: 'the template no longer declares parameter Old',
        fetches: false,
      },
      {
        name: 'new code (a new ArtifactKey)',
        stack: stack(),
        parameters: [{ key: 'ArtifactKey', value: 'items/handler-bbb.zip' }, SAME[1]!],
        skip: false,
        reason: 'parameter ArtifactKey changes',
        fetches: false,
      },
      { name: 'another template text', stack: stack(), deployed: TEMPLATE.replace('{}', '{ }'), skip: false, reason: 'the template differs from the deployed one', fetches: true },
      { name: 'the same template, code and parameters', stack: stack(), skip: true, reason: 'the deployed template and parameters match', fetches: true },
      { name: 'a completed create', stack: { ...stack(), status: 'CREATE_COMPLETE' }, skip: true, reason: 'the deployed template and parameters match', fetches: true },
    ];
    for (const c of cases) {
      it(`${c.skip ? 'skips' : 'needs a change set'} for ${c.name}, and says why`, async () => {
        const asked: string[] = [];
        const stacks = {
          async getTemplate(stackName: string) {
            asked.push(stackName);
            return c.deployed ?? TEMPLATE;
          },
        };
        const decision = await alreadyDeployed(stacks, c.stack, TEMPLATE, c.parameters ?? SAME);
        expect(decision).to.deep.equal({ skip: c.skip, reason: c.reason });
        expect(asked).to.deep.equal(c.fetches ? [stack().stackId] : []);
      });
    }
  });

  describe('executeHint', () => {
    it('names the change set, the stack and the region, and how to follow it', () => {
      expect(executeHint({ stackName: 'items-dev', name: 'cli-deploy-20300101-000000Z', type: 'UPDATE', region: 'eu-west-1', flags: ' --stage dev' })).to.equal(
        'To run it: aws cloudformation execute-change-set --stack-name items-dev --change-set-name cli-deploy-20300101-000000Z --region eu-west-1, then npx cli status --stage dev',
      );
    });
  });

  describe('changeSetName', () => {
    it('is a valid change set name derived from the clock', () => {
      const name = changeSetName(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
      expect(name).to.equal('cli-deploy-20300102-030405Z');
      expect(name).to.match(/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/);
    });
  });
});
