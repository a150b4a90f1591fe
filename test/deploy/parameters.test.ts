import { expect } from 'chai';
import { changeSetParameters, stageDefaults } from '../../cli/deploy/parameters.js';
import { UsageError } from '../../cli/errors.js';

describe('cli/deploy/parameters', () => {
  const declared = { StageName: { Default: 'prod' }, TableName: { Default: 'lambda-apigateway' }, ArtifactBucket: {}, ArtifactKey: {} };

  describe('changeSetParameters', () => {
    it('layers values, keeps previous values on update, and suffixes the table per stage', () => {
      const out = changeSetParameters({
        declared,
        layers: [
          { name: 'stage defaults', values: stageDefaults('dev', declared) },
          { name: 'artifact', values: { ArtifactBucket: 'b', ArtifactKey: 'k.zip' } },
        ],
        previous: { StageName: 'dev', TableName: 'x', ArtifactBucket: 'old', ArtifactKey: 'old.zip' },
      });
      expect(out).to.deep.equal([
        { key: 'StageName', value: 'dev' },
        { key: 'TableName', value: 'lambda-apigateway-dev' },
        { key: 'ArtifactBucket', value: 'b' },
        { key: 'ArtifactKey', value: 'k.zip' },
      ]);
      const update = changeSetParameters({ declared, layers: [{ name: 'artifact', values: { ArtifactBucket: 'b', ArtifactKey: 'k.zip' } }], previous: { TableName: 'custom' } });
      expect(update).to.deep.include({ key: 'TableName', usePreviousValue: true });
    });

    it('names a parameter without a value', () => {
      expect(() => changeSetParameters({ declared, layers: [] })).to.throw(UsageError, 'no value for template parameters ArtifactBucket, ArtifactKey');
    });
  });
});
