import { expect } from 'chai';
import { dataLossRisks } from '../../cli/deploy/preview.js';

describe('cli/deploy/preview', () => {
  describe('dataLossRisks', () => {
    it('flags a replaced or removed table, not a modified function', () => {
      const risks = dataLossRisks([
        { action: 'Modify', logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', replacement: 'Conditional' },
        { action: 'Remove', logicalId: 'Old', resourceType: 'AWS::DynamoDB::Table' },
        { action: 'Modify', logicalId: 'Function', resourceType: 'AWS::Lambda::Function', replacement: 'True' },
        { action: 'Modify', logicalId: 'Table2', resourceType: 'AWS::DynamoDB::Table', replacement: 'False' },
      ]);
      expect(risks.map((r) => [r.change.logicalId, r.kind])).to.deep.equal([['Table', 'possibly replaced'], ['Old', 'removed']]);
    });
  });
});
