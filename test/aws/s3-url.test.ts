import { expect } from 'chai';
import { objectHttpsUrl } from '../../cli/aws/s3-url.js';

describe('cli/aws/s3-url', () => {
  describe('objectHttpsUrl', () => {
    it('makes a virtual-hosted https URL with each path segment encoded', () => {
      expect(objectHttpsUrl('bkt', 'stack/template a.yaml', 'ap-southeast-2')).to.equal('https://bkt.s3.ap-southeast-2.amazonaws.com/stack/template%20a.yaml');
    });
  });
});
