import { expect } from 'chai';
import { regionDescription, regionNameProblem } from '../../cli/aws/region.js';

describe('cli/aws/region', () => {
  describe('regionNameProblem', () => {
    // The shapes of https://docs.aws.amazon.com/general/latest/gr/rande.html#regional-endpoints
    const cases: [string, string | undefined][] = [
      ['us-east-1', undefined],
      ['us-gov-west-1', undefined],
      ['cn-north-1', undefined],
      ['eu-isoe-west-1', undefined],
      ['eu-wset-1', undefined],
      ['', 'is empty'],
      ['mars-1', '"mars-1" is not an AWS region name'],
      ['US-EAST-1', '"US-EAST-1" is not an AWS region name'],
      ['us-east-1 ', '"us-east-1 " is not an AWS region name'],
    ];
    for (const [region, problem] of cases) {
      it(`${problem ?? 'accepts'} for ${JSON.stringify(region)}`, () => expect(regionNameProblem(region)).to.equal(problem));
    }
  });

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
