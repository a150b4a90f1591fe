/**
 * What `Ref` and `Fn::GetAtt` return for each resource type the local stack knows. The shapes
 * follow the "Return values" section of each type's CloudFormation reference, e.g.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
 * (Ref: the table name; Arn; StreamArn),
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html
 * (Arn `arn:aws:logs:us-east-1:123456789012:log-group:/mystack-testgroup-12ABC1AB12A1:*`),
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-resource.html
 * (Ref: the resource id, such as abc123). The generated parts are pinned: they are the names a
 * persisted --data-dir and an outputs file already hold, so they must not change.
 */
import { expect } from 'chai';
import { TemplateError, TemplateResolver, UnsupportedTemplateError } from '../../../cli/local/intrinsics.js';
import { apiDeployment, apiStage } from '../../../cli/local/resources/api-gateway.js';
import { RESOURCE_TYPES, registry } from '../../../cli/local/resources/registry.js';
import { pseudoParameters } from '../../../cli/local/stack-model.js';
import { loadTemplateText } from '../../../cli/template/read-template.js';

/** Logical id, type, properties, and the physical id `Ref` gives it. */
const RESOURCES: [string, string, string, string][] = [
  ['Table', 'AWS::DynamoDB::Table', '{}', 'my-stack-Table-YF98MXNAKI6Q'],
  ['Fn', 'AWS::Lambda::Function', '{}', 'my-stack-Fn-GXHTQG2TARRS'],
  ['Logs', 'AWS::Logs::LogGroup', '{}', 'my-stack-Logs-HXL6RYKWUDP0'],
  ['Role', 'AWS::IAM::Role', '{}', 'my-stack-Role-TDLKP233G6P1'],
  ['Api', 'AWS::ApiGateway::RestApi', '{}', 'eabdxa4vlk'],
  ['Res', 'AWS::ApiGateway::Resource', '{}', 'lmmx6s'],
  ['Get', 'AWS::ApiGateway::Method', '{}', 'my-stack-Get-8A2CL3X7JASN'],
  ['Stage', 'AWS::ApiGateway::Stage', '{}', 'l9or3d'],
  ['Deploy', 'AWS::ApiGateway::Deployment', '{}', 'vyt293'],
  ['Key', 'AWS::ApiGateway::ApiKey', '{}', '53fhob1pba'],
  ['Plan', 'AWS::ApiGateway::UsagePlan', '{}', 'cnvy2zqq0s'],
  // A type with no entry still has CloudFormation's generated name.
  ['Topic', 'AWS::SNS::Topic', '{}', 'my-stack-Topic-UFUSGQVQQ87C'],
  ['NamedTable', 'AWS::DynamoDB::Table', "{TableName: !Sub '${AWS::StackName}-items'}", 'my-stack-items'],
  ['NamedFn', 'AWS::Lambda::Function', "{FunctionName: !Sub '${NamedTable}-fn'}", 'my-stack-items-fn'],
  ['NamedLogs', 'AWS::Logs::LogGroup', "{LogGroupName: !Sub '/aws/lambda/${NamedFn}'}", '/aws/lambda/my-stack-items-fn'],
  ['NamedRole', 'AWS::IAM::Role', '{RoleName: runner}', 'runner'],
  ['NamedStage', 'AWS::ApiGateway::Stage', '{StageName: prod}', 'prod'],
  ['DeployedStage', 'AWS::ApiGateway::Stage', '{StageName: dev, DeploymentId: !Ref Deploy}', 'dev'],
  ['StageDeploy', 'AWS::ApiGateway::Deployment', '{StageName: test}', 'uh5tpf'],
];

const TEMPLATE = [
  'Resources:',
  ...RESOURCES.map(([id, type, properties]) => `  ${id}: {Type: ${type}, Properties: ${properties}}`),
  "  Self: {Type: AWS::DynamoDB::Table, Properties: {TableName: !Sub '${Self}-x'}}",
].join('\n');

function resolver(stackName = 'my-stack') {
  const loaded = loadTemplateText(TEMPLATE, 'infra/cfn/template.yaml');
  return new TemplateResolver({
    template: loaded.template,
    file: loaded.displayPath,
    pseudo: pseudoParameters({ region: 'eu-west-1', stackName }),
    resources: registry,
    locate: loaded.locate,
  });
}

describe('cli/local/resources/registry', () => {
  describe('Ref', () => {
    for (const [id, , , expected] of RESOURCES) {
      it(`gives ${id} the physical id ${expected}`, () => {
        expect(resolver().resolve({ Ref: id }, 'Outputs.X.Value')).to.equal(expected);
      });
    }

    it('keeps a generated name within the type limit (64 for a function), cutting the stack name', () => {
      const name = resolver('a-very-long-stack-name-that-goes-on-and-on-and-on-and-on-and-on-and-on').resolve({ Ref: 'Fn' }, 'Outputs.X.Value');
      expect(name).to.equal('a-very-long-stack-name-that-goes-on-and-on-and-on-a-EDDNPKX7CACJ');
      expect(name).to.have.length(64);
    });

    it('refuses a name that refers to itself, naming the resource', () => {
      expect(() => resolver().resolve({ Ref: 'Self' }, 'Outputs.X.Value')).to.throw(TemplateError, /^infra\/cfn\/template\.yaml:\d+:\d+: Resources\.Self: its name refers to itself$/);
    });
  });

  describe('stage readers', () => {
    // requestContext.deploymentId of the proxy event is the stage's deployment (LocalStack's AWS-validated
    // tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_aws_proxy_integration snapshot).
    it('gives a Stage the id of the Deployment its DeploymentId names', () => {
      expect(apiStage.read('DeployedStage', resolver())).to.deep.equal({ name: 'dev', variables: null, deploymentId: 'vyt293' });
    });

    it('gives the stage a Deployment creates with StageName the Deployment id', () => {
      expect(apiDeployment.read('StageDeploy', resolver())).to.deep.equal({ name: 'test', variables: null, deploymentId: 'uh5tpf' });
    });
  });

  describe('Fn::GetAtt', () => {
    /** By resource, its attributes and what each gives. */
    const attributes: Record<string, Record<string, string>> = {
      Table: {
        Arn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/my-stack-Table-YF98MXNAKI6Q',
        StreamArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/my-stack-Table-YF98MXNAKI6Q/stream/1970-01-01T00:00:00.000',
      },
      Fn: { Arn: 'arn:aws:lambda:eu-west-1:000000000000:function:my-stack-Fn-GXHTQG2TARRS' },
      NamedFn: { Arn: 'arn:aws:lambda:eu-west-1:000000000000:function:my-stack-items-fn' },
      Logs: { Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:my-stack-Logs-HXL6RYKWUDP0:*' },
      // IAM is global: no region in the ARN.
      Role: { Arn: 'arn:aws:iam::000000000000:role/my-stack-Role-TDLKP233G6P1', RoleId: 'AROATDLKP233G6P15ACU7' },
      Api: { RootResourceId: '80tfmuw7qy', RestApiId: 'eabdxa4vlk' },
      Res: { ResourceId: 'lmmx6s' },
      Deploy: { DeploymentId: 'vyt293' },
      Key: { APIKeyId: '53fhob1pba' },
    };
    for (const [id, byName] of Object.entries(attributes)) {
      for (const [attribute, expected] of Object.entries(byName)) {
        it(`gives ${id}.${attribute} ${expected}`, () => {
          expect(resolver().resolve({ 'Fn::GetAtt': [id, attribute] }, 'Outputs.X.Value')).to.equal(expected);
        });
      }
    }

    const refused: [string, string, RegExp, string[]][] = [
      ['Table', 'Nope', /Fn::GetAtt Table\.Nope \(AWS::DynamoDB::Table\) is not emulated by the local stack$/, ['attributes of AWS::DynamoDB::Table it emulates: Arn, StreamArn']],
      ['Topic', 'TopicArn', /Fn::GetAtt Topic\.TopicArn \(AWS::SNS::Topic\) is not emulated by the local stack$/, []],
      ['Stage', 'constructor', /Fn::GetAtt Stage\.constructor \(AWS::ApiGateway::Stage\) is not emulated by the local stack$/, []],
    ];
    for (const [id, attribute, message, details] of refused) {
      it(`refuses ${id}.${attribute}, listing the attributes it does emulate`, () => {
        let error: unknown;
        try {
          resolver().resolve({ 'Fn::GetAtt': [id, attribute] }, 'Outputs.X.Value');
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(UnsupportedTemplateError);
        expect((error as Error).message).to.match(message);
        expect((error as UnsupportedTemplateError).details).to.deep.equal(details);
      });
    }
  });

  describe('RESOURCE_TYPES', () => {
    it('has one entry per type', () => {
      const types = RESOURCE_TYPES.map((entry) => entry.type);
      expect(types).to.have.length(new Set(types).size);
      expect(types).to.include.members(['AWS::Lambda::Function', 'AWS::DynamoDB::Table', 'AWS::ApiGateway::RestApi', 'AWS::IAM::Role', 'AWS::Logs::LogGroup']);
    });
  });
});
