import { expect } from 'chai';
import { resolveStackTarget, validateConfig } from '../../cli/stack/config.js';
import { UsageError } from '../../cli/errors.js';

describe('cli/stack/config', () => {
  describe('validateConfig', () => {
    it('accepts stages with parameters and turns values into strings', () => {
      const config = validateConfig({ region: 'eu-west-1', stages: { prod: { stackName: 'items-prod', parameters: { LogRetentionInDays: 14, ApiKeyRequired: true } } } });
      expect(config.stages?.prod?.parameters).to.deep.equal({ LogRetentionInDays: '14', ApiKeyRequired: 'true' });
    });

    it('names the bad key by its path', () => {
      expect(() => validateConfig({ stages: { prod: { paramters: {} } } })).to.throw(UsageError, 'cli.config.json: stages.prod.paramters is not a known key');
      expect(() => validateConfig({ region: 'Europe' })).to.throw(UsageError, 'cli.config.json: region "Europe" is not an AWS region name');
      expect(() => validateConfig({ parameters: { A: { nested: 1 } } })).to.throw(UsageError, 'cli.config.json: parameters.A must be a string, number or boolean');
      expect(() => validateConfig([])).to.throw(UsageError, 'must be a JSON object');
    });
  });

  describe('resolveStackTarget', () => {
    const config = validateConfig({ stackName: 'items', region: 'eu-west-1', parameters: { A: '1' }, stages: { prod: { region: 'us-east-2', parameters: { A: '2' } } } });

    it('uses flag > environment > config file > default', () => {
      expect(resolveStackTarget({}, {}, {})).to.include({ stackName: 'serverless-api-gateway-lambda-dynamodb', region: undefined });
      expect(resolveStackTarget({ stage: 'dev' }, {}, {})).to.include({ stackName: 'serverless-api-gateway-lambda-dynamodb-dev' });
      expect(resolveStackTarget({ stage: 'dev' }, {}, { ...config, stages: { ...config.stages, dev: {} } })).to.include({ stackName: 'items-dev', region: 'eu-west-1' });
      expect(resolveStackTarget({ stage: 'prod' }, {}, config)).to.deep.include({ region: 'us-east-2', parameters: { A: '2' } });
      expect(resolveStackTarget({ stage: 'prod' }, { AWS_REGION: 'ap-south-1', CLI_STACK_NAME: 'env-stack' }, config)).to.include({ region: 'ap-south-1', stackName: 'env-stack' });
      expect(resolveStackTarget({ stage: 'prod', region: 'sa-east-1', stackName: 'flag-stack' }, { AWS_REGION: 'ap-south-1' }, config)).to.include({ region: 'sa-east-1', stackName: 'flag-stack' });
      expect(resolveStackTarget({}, { CLI_STAGE: 'qa' }, {})).to.include({ stage: 'qa', stackName: 'serverless-api-gateway-lambda-dynamodb-qa' });
    });

    it('rejects a stage the config file does not list, naming the ones it does', () => {
      expect(() => resolveStackTarget({ stage: 'prd' }, {}, config)).to.throw(UsageError, '--stage "prd" is not a stage of cli.config.json (stages: prod)');
      expect(() => resolveStackTarget({}, { CLI_STAGE: 'prd' }, config)).to.throw(UsageError, 'CLI_STAGE "prd" is not a stage of cli.config.json (stages: prod)');
      expect(resolveStackTarget({ stage: 'prd' }, {}, { stackName: 'items' })).to.include({ stackName: 'items-prd' });
    });

    it('rejects an invalid stack name', () => {
      expect(() => resolveStackTarget({ stackName: '1bad_name' }, {}, {})).to.throw(UsageError, 'stack name "1bad_name" is not valid');
    });
  });
});
