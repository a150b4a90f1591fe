import { expect } from 'chai';
import { normalizeLocation } from '../../cli/aws/artifact-store.js';

describe('cli/aws/artifact-store', () => {
  describe('normalizeLocation', () => {
    it('maps GetBucketLocation quirks to region names', () => {
      expect([normalizeLocation(undefined), normalizeLocation(''), normalizeLocation('EU'), normalizeLocation('eu-central-1')]).to.deep.equal(['us-east-1', 'us-east-1', 'eu-west-1', 'eu-central-1']);
    });
  });
});
