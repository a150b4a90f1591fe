import { expect } from 'chai';
import { regionDescription } from '../../cli/aws/region.js';

describe('cli/aws/region', () => {
  describe('regionDescription', () => {
    it('knows the regions of every partition, opt-in ones too, and not a typo', async () => {
      expect(await regionDescription('eu-west-1')).to.equal('Europe (Ireland)');
      expect(await regionDescription('ap-east-1')).to.be.a('string');
      expect(await regionDescription('me-south-1')).to.be.a('string');
      expect(await regionDescription('us-gov-west-1')).to.be.a('string');
      expect(await regionDescription('cn-north-1')).to.be.a('string');
      expect(await regionDescription('eu-wset-1')).to.equal(undefined);
    });
  });
});
