import { expect } from 'chai';
import { orderOutputs } from '../../cli/stack/outputs.js';

describe('cli/stack/outputs', () => {
  describe('orderOutputs', () => {
    it('puts ApiEndpoint first, then the template order', () => {
      const ordered = orderOutputs([{ key: 'TableName', value: 't' }, { key: 'Extra', value: 'e' }, { key: 'ApiEndpoint', value: 'u' }, { key: 'ItemsUrl', value: 'i' }], ['ItemsUrl', 'TableName']);
      expect(ordered.map((o) => o.key)).to.deep.equal(['ApiEndpoint', 'ItemsUrl', 'TableName', 'Extra']);
    });
  });
});
