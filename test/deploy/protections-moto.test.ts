/**
 * The template's optional protections (issue 11 section 3) deployed by `cli deploy` against a
 * real moto server, as far as moto models them. moto creates the KMS key and the function's key
 * policy, and keeps DeletionProtectionEnabled; it does not record the table's SSE key or the log
 * groups' KmsKeyId from CloudFormation, and has no CloudFormation support for AWS::WAFv2::*
 * (README, Security): those are checked by cfn-lint, checkov and the Terraform parity test.
 */
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { join } from 'node:path';
import { deploy } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { MOTO_ACCOUNT, OK_HANDLER, useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');

describe('template protections deployed against moto', () => {
  const suite = useMoto('protections-moto-', { handler: OK_HANDLER });

  async function deployWith(stackName: string, parameterOverrides: Record<string, string>) {
    const aws = await suite.clients();
    const result = await deploy(
      { stackName, yes: true, skipLint: true, outputsFile: join(suite.dir, `${stackName}.json`), parameterOverrides },
      { reporter: createMemoryReporter(), aws, build: async () => suite.artifact, lint: () => Promise.reject(new Error('lint is skipped')), loadTemplate: () => loadDeployTemplate(root), interactive: false, pollIntervalMs: 10 },
    );
    expect(result.stackStatus, suite.moto.log()).to.equal('CREATE_COMPLETE');
    const config = { endpoint: suite.moto.endpoint, region: suite.moto.region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const cfn = new CloudFormationClient(config);
    const dynamodb = new DynamoDBClient(config);
    try {
      const { StackResources = [] } = await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }));
      const table = await dynamodb.send(new DescribeTableCommand({ TableName: parameterOverrides.TableName }));
      return { outputs: result.outputs, resources: new Map(StackResources.map((r) => [r.LogicalResourceId, r])), table: table.Table };
    } finally {
      cfn.destroy();
      dynamodb.destroy();
    }
  }

  it('TableKmsKey=CREATE makes the key and the role policy for it, outputs its ARN, and keeps deletion protection on by default', async () => {
    const { outputs, resources, table } = await deployWith('protected', { TableName: 'protected-items', TableKmsKey: 'CREATE', ReservedConcurrency: '5' });
    const key = resources.get('TableKey');
    expect(key?.ResourceType).to.equal('AWS::KMS::Key');
    expect(resources.get('FunctionTableKeyPolicy')?.ResourceType).to.equal('AWS::IAM::Policy');
    expect(outputs.TableKmsKeyArn).to.equal(`arn:aws:kms:${suite.moto.region}:${MOTO_ACCOUNT}:key/${key?.PhysicalResourceId}`);
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html (DeletionProtectionEnabled)
    expect(table?.DeletionProtectionEnabled).to.equal(true);
    expect(resources.has('WebAcl')).to.equal(false);
  });

  it('the defaults make no table key, no key policy and no key output; TableDeletionProtection=false turns protection off', async () => {
    const { outputs, resources, table } = await deployWith('plain', { TableName: 'plain-items', TableDeletionProtection: 'false' });
    const types = [...resources.values()].map((r) => r.ResourceType);
    expect(types).to.include('AWS::Lambda::Function');
    // The one key of a default deploy is the alarm topic's (CloudWatch cannot publish to a topic on
    // the AWS managed SNS key); the table stays on DynamoDB's AWS managed key.
    expect([...resources].filter(([, r]) => r.ResourceType === 'AWS::KMS::Key').map(([id]) => id)).to.deep.equal(['AlarmTopicKey']);
    expect(types).not.to.include('AWS::IAM::Policy');
    expect(outputs).not.to.have.property('TableKmsKeyArn');
    expect(table?.DeletionProtectionEnabled).to.equal(false);
  });
});
