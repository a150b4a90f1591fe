import { expect } from 'chai';
import { formatDataWarnings, formatDiff } from '../../cli/diff/format-diff.js';
import { diffTemplates, isEmptyDiff } from '../../cli/diff/template-diff.js';
import type { CfnTemplate } from '../../cli/template/cfn-template.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const base = (): CfnTemplate => ({
  Parameters: { TableName: { Type: 'String' }, MemorySize: { Type: 'Number' } },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { TableName: { Ref: 'TableName' }, BillingMode: 'PAY_PER_REQUEST' } },
    Function: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: { Ref: 'MemorySize' }, Environment: { Variables: { A: '1', B: '2' } } } },
  },
  Outputs: { TableName: { Value: { Ref: 'Table' } } },
});
const params = { TableName: 't', MemorySize: '256' };
const { color } = createMemoryReporter();

describe('cli/diff/template-diff', () => {
  describe('diffTemplates', () => {
    it('finds nothing between equal templates and values', () => {
      expect(isEmptyDiff(diffTemplates({ template: base(), parameters: params }, { template: base(), parameters: params }))).to.equal(true);
    });

    it('reports a nested property change at its path, without replacement', () => {
      const after = base();
      (after.Resources.Function!.Properties!.Environment as { Variables: Record<string, string> }).Variables.B = '3';
      const diff = diffTemplates({ template: base(), parameters: params }, { template: after, parameters: params });
      expect(diff.resources).to.deep.equal([
        { logicalId: 'Function', resourceType: 'AWS::Lambda::Function', action: 'Modify', replacement: 'no', changes: [{ path: 'Properties.Environment.Variables.B', before: '2', after: '3', replaces: 'no' }] },
      ]);
      expect(formatDiff(diff, color)).to.deep.equal(['Resources', '[~] AWS::Lambda::Function Function', ' └─ [~] Properties.Environment.Variables.B: "2" -> "3"']);
    });

    // TableName is "Update requires: Replacement":
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
    it('counts a parameter change under an unchanged property, and warns that the retained table is replaced', () => {
      const diff = diffTemplates({ template: base(), parameters: params }, { template: base(), parameters: { ...params, TableName: 'u' } });
      expect(diff.parameters).to.deep.equal([{ name: 'TableName', before: 't', after: 'u' }]);
      expect(diff.resources).to.have.length(1);
      expect(diff.resources[0]).to.include({ logicalId: 'Table', action: 'Modify', replacement: 'yes', dataRisk: 'retained' });
      expect(diff.resources[0]!.changes[0]).to.deep.include({ path: 'Properties.TableName', viaParameters: ['TableName'], replaces: 'yes' });
      expect(diff.outputs).to.deep.equal([]);
      expect(formatDiff(diff, color)).to.deep.equal([
        'Parameters',
        '[~] TableName: t -> u',
        'Resources',
        '[~] AWS::DynamoDB::Table Table (requires replacement)',
        ' └─ [~] Properties.TableName: {"Ref":"TableName"} (via parameter TableName) (replaces)',
      ]);
      expect(formatDataWarnings(diff)).to.deep.equal([
        'Table (AWS::DynamoDB::Table) is replaced: the old resource and its data are retained (Retain policy), outside the stack; the stack gets a new, empty one.',
      ]);
    });

    it('says "lost" for a stateful resource removed without a Retain policy', () => {
      const before = base();
      delete before.Resources.Table!.DeletionPolicy;
      const after = base();
      delete after.Resources.Table;
      const diff = diffTemplates({ template: before, parameters: params }, { template: after, parameters: params });
      expect(diff.resources.map((r) => [r.logicalId, r.action, r.dataRisk])).to.deep.equal([['Table', 'Remove', 'lost']]);
      expect(diff.outputs).to.deep.equal([]);
      expect(formatDataWarnings(diff)).to.deep.equal(['DATA LOSS: Table (AWS::DynamoDB::Table) is removed from the stack and its data is deleted (no Retain policy).']);
    });

    it('reports a renamed logical id as a removal and an addition, and other sections by name', () => {
      const after = base();
      after.Resources.Function2 = after.Resources.Function!;
      delete after.Resources.Function;
      after.Conditions = { Always: { 'Fn::Equals': ['a', 'a'] } };
      after.Outputs!.Extra = { Value: 'x' };
      const diff = diffTemplates({ template: base(), parameters: params }, { template: after, parameters: params });
      expect(diff.resources.map((r) => `${r.action} ${r.logicalId}`)).to.deep.equal(['Remove Function', 'Add Function2']);
      expect(diff.sections).to.deep.equal(['Conditions']);
      expect(diff.outputs).to.deep.equal([{ name: 'Extra', action: 'Add' }]);
    });

    it('says "may require replacement" for a type the table does not cover', () => {
      const before: CfnTemplate = { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'a' } } } };
      const after: CfnTemplate = { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'b' } } } };
      const diff = diffTemplates({ template: before, parameters: {} }, { template: after, parameters: {} });
      expect(diff.resources[0]!.replacement).to.equal('unknown');
      expect(formatDiff(diff, color)[1]).to.equal('[~] AWS::SQS::Queue Q (may require replacement: type not in the replacement table)');
    });
  });
});
