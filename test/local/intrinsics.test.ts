import { expect } from 'chai';
import {
  splitPath,
  TemplateError,
  TemplateResolver,
  UnsupportedTemplateError,
  type ResourceResolver,
} from '../../cli/local/intrinsics.js';
import { pseudoParameters } from '../../cli/local/stack-model.js';
import { loadTemplateText } from '../../cli/template/read-template.js';
import { UsageError } from '../../cli/errors.js';

const TEMPLATE = `
Parameters:
  Stage: {Type: String, Default: prod, AllowedValues: [prod, dev]}
  Flag: {Type: String, Default: 'false'}
  Count: {Type: Number, Default: 3, MinValue: 1, MaxValue: 5}
  Names: {Type: CommaDelimitedList, Default: 'a,b,c'}
  Pattern: {Type: String, Default: abc, AllowedPattern: '[a-z]+'}
  NoDefault: {Type: String}
Mappings:
  Sizes:
    prod: {memory: 512}
    dev: {memory: 128}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  FlagOn: !Equals [!Ref Flag, 'true']
  ProdOrFlag: !Or [!Condition IsProd, !Condition FlagOn]
  ProdAndFlag: !And [!Condition IsProd, !Condition FlagOn]
  NotProd: !Not [!Condition IsProd]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {}
  Optional:
    Type: AWS::SNS::Topic
    Condition: FlagOn
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          X: !ImportValue shared-thing
`;

/** A stand-in for the stack model's physical ids: Ref -> `<id>-ref`, GetAtt -> `<id>.<attr>`. */
const resources: ResourceResolver = {
  ref: (id) => `${id}-ref`,
  getAtt: (id, attribute) => `${id}.${attribute}`,
};

function resolver(overrides: Record<string, string> = {}) {
  const loaded = loadTemplateText(TEMPLATE, 'infra/cfn/template.yaml');
  const r = new TemplateResolver({
    template: loaded.template,
    file: loaded.displayPath,
    pseudo: pseudoParameters({ region: 'eu-west-1', stackName: 'my-stack' }),
    resources,
    overrides,
    locate: loaded.locate,
  });
  return r;
}

describe('cli/local/intrinsics', () => {
  describe('TemplateResolver.resolve', () => {
    const cases: [string, unknown, unknown][] = [
      ['Ref of a parameter default', { Ref: 'Stage' }, 'prod'],
      ['Ref of a Number parameter (a string, as CloudFormation gives it)', { Ref: 'Count' }, '3'],
      ['Ref of a CommaDelimitedList', { Ref: 'Names' }, ['a', 'b', 'c']],
      ['Ref AWS::Region', { Ref: 'AWS::Region' }, 'eu-west-1'],
      ['Ref AWS::AccountId', { Ref: 'AWS::AccountId' }, '000000000000'],
      ['Ref AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
      ['Ref AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
      ['Ref AWS::StackName', { Ref: 'AWS::StackName' }, 'my-stack'],
      ['Ref AWS::StackId', { Ref: 'AWS::StackId' }, 'arn:aws:cloudformation:eu-west-1:000000000000:stack/my-stack/6442eb6b-d561-c040-84cf-bd6ddbef31aa'],
      ['Ref AWS::NotificationARNs (none locally)', { Ref: 'AWS::NotificationARNs' }, []],
      ['Ref of a resource', { Ref: 'Table' }, 'Table-ref'],
      ['Fn::GetAtt list form', { 'Fn::GetAtt': ['Table', 'Arn'] }, 'Table.Arn'],
      ['Fn::GetAtt string form', { 'Fn::GetAtt': 'Table.Arn' }, 'Table.Arn'],
      ['Fn::Sub with parameters, pseudo parameters and attributes', { 'Fn::Sub': '${Stage}-${AWS::Region}-${Table.Arn}-${Table}' }, 'prod-eu-west-1-Table.Arn-Table-ref'],
      ['Fn::Sub with a variable map', { 'Fn::Sub': ['${A}/${Stage}', { A: { Ref: 'Count' } }] }, '3/prod'],
      ['Fn::Sub keeps ${!Literal}', { 'Fn::Sub': '${!Literal}-${Stage}' }, '${Literal}-prod'],
      ['Fn::Join', { 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, 3]] }, 'a-prod-3'],
      ['Fn::Join of a list parameter', { 'Fn::Join': ['+', { Ref: 'Names' }] }, 'a+b+c'],
      ['Fn::Select', { 'Fn::Select': [1, { Ref: 'Names' }] }, 'b'],
      ['Fn::Split', { 'Fn::Split': [',', 'x,y'] }, ['x', 'y']],
      ['Fn::FindInMap', { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'memory'] }, 512],
      ['Fn::Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
      ['Fn::If true branch', { 'Fn::If': ['IsProd', 'big', 'small'] }, 'big'],
      ['Fn::If false branch', { 'Fn::If': ['FlagOn', 'on', 'off'] }, 'off'],
      ['Fn::Equals', { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, true],
      ['Fn::Not', { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }, true],
      ['AWS::NoValue removes an object key', { a: 1, b: { 'Fn::If': ['FlagOn', 2, { Ref: 'AWS::NoValue' }] } }, { a: 1 }],
      ['AWS::NoValue removes a list element', [1, { Ref: 'AWS::NoValue' }, 3], [1, 3]],
      ['nested objects and lists', { k: [{ Ref: 'Stage' }, { n: { Ref: 'Count' } }] }, { k: ['prod', { n: '3' }] }],
      ['plain values pass through', { s: 'x', n: 1, b: true, z: null }, { s: 'x', n: 1, b: true, z: null }],
    ];
    for (const [name, input, expected] of cases) {
      it(`resolves ${name}`, () => {
        expect(resolver().resolve(input, 'Outputs.X.Value')).to.deep.equal(expected);
      });
    }

    it('uses --parameter-overrides over defaults', () => {
      const r = resolver({ Stage: 'dev', Flag: 'true' });
      expect(r.resolve({ Ref: 'Stage' }, 'p')).to.equal('dev');
      expect(r.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'memory'] }, 'p')).to.equal(128);
      expect(r.resolve({ 'Fn::If': ['FlagOn', 'on', 'off'] }, 'p')).to.equal('on');
    });

    it('names the unsupported function and where it is used, with the line', () => {
      const r = resolver();
      const path = 'Resources.Fn.Properties.Environment.Variables.X';
      const err = (() => {
        try {
          r.resolve(r.template.Resources.Fn!.Properties!.Environment, 'Resources.Fn.Properties.Environment');
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err).to.be.instanceOf(UnsupportedTemplateError);
      expect(err!.message).to.match(/^infra\/cfn\/template\.yaml:\d+:\d+: /);
      expect(err!.message).to.contain(`${path}.Fn::ImportValue`);
      expect(err!.message).to.contain('Fn::ImportValue is not supported by the local stack');
      expect((err as UnsupportedTemplateError).details.join(' ')).to.contain('Fn::Sub');
    });

    it('says which parameter has no default and how to pass it', () => {
      expect(() => resolver().resolve({ Ref: 'NoDefault' }, 'Resources.Fn.Properties.Code.S3Bucket'))
        .to.throw(UsageError, /Resources\.Fn\.Properties\.Code\.S3Bucket\.Ref: parameter NoDefault has no Default/)
        .with.property('details')
        .that.deep.equals(['pass it: --parameter-overrides NoDefault=VALUE']);
    });

    it('refuses a Ref to a resource whose condition is false', () => {
      expect(() => resolver().resolve({ Ref: 'Optional' }, 'Outputs.T.Value')).to.throw(TemplateError, /Condition FlagOn is false/);
    });

    it('refuses a pseudo parameter it does not know, naming it', () => {
      expect(() => resolver().resolve({ Ref: 'AWS::Nope' }, 'Outputs.T.Value')).to.throw(UnsupportedTemplateError, /Outputs\.T\.Value\.Ref: pseudo parameter AWS::Nope is not supported by the local stack/);
    });

    it('refuses a Ref to nothing', () => {
      expect(() => resolver().resolve({ Ref: 'Nope' }, 'Outputs.T.Value')).to.throw(TemplateError, /Ref Nope names no parameter/);
    });

    it('refuses Fn::Select out of range', () => {
      expect(() => resolver().resolve({ 'Fn::Select': [5, ['a']] }, 'p')).to.throw(TemplateError, /out of range/);
    });
  });

  describe('TemplateResolver.condition', () => {
    const cases: [string, Record<string, string>, boolean][] = [
      ['IsProd', {}, true],
      ['IsProd', { Stage: 'dev' }, false],
      ['NotProd', {}, false],
      ['ProdOrFlag', { Stage: 'dev' }, false],
      ['ProdOrFlag', { Stage: 'dev', Flag: 'true' }, true],
      ['ProdAndFlag', { Flag: 'true' }, true],
      ['ProdAndFlag', {}, false],
    ];
    for (const [name, overrides, expected] of cases) {
      it(`evaluates ${name} to ${expected} with ${JSON.stringify(overrides)}`, () => {
        expect(resolver(overrides).condition(name, 'test')).to.equal(expected);
      });
    }

    it('drops resources whose condition is false', () => {
      expect(resolver().resourceExists('Optional')).to.equal(false);
      expect(resolver({ Flag: 'true' }).resourceExists('Optional')).to.equal(true);
    });

    it('rejects an undefined condition', () => {
      expect(() => resolver().condition('Missing', 'Resources.X.Condition')).to.throw(TemplateError, /condition Missing is not defined/);
    });
  });

  describe('parameter validation', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ Stage: 'qa' }, /parameter Stage \(--parameter-overrides\) must be one of prod, dev; got "qa"/],
      [{ Count: 'many' }, /parameter Count \(--parameter-overrides\) must be a number, got "many"/],
      [{ Count: '9' }, /parameter Count \(--parameter-overrides\) must be at most 5, got 9/],
      [{ Pattern: 'ABC' }, /parameter Pattern \(--parameter-overrides\) must match \[a-z\]\+; got "ABC"/],
      [{ Unknown: 'x' }, /--parameter-overrides: the template has no parameter "Unknown"/],
    ];
    for (const [overrides, message] of bad) {
      it(`rejects ${JSON.stringify(overrides)}`, () => {
        expect(() => resolver(overrides)).to.throw(UsageError, message);
      });
    }
  });

  describe('SSM parameter types', () => {
    const ssm = (declaration: string) => {
      const loaded = loadTemplateText(`Parameters:\n  Ami: {${declaration}}\nResources:\n  T: {Type: AWS::SNS::Topic}\n`);
      return () => new TemplateResolver({ template: loaded.template, file: loaded.displayPath, pseudo: pseudoParameters({ region: 'eu-west-1', stackName: 's' }), resources });
    };
    it('refuses one with a value (the local stack cannot read SSM) and leaves one without a value alone', () => {
      expect(ssm("Type: 'AWS::SSM::Parameter::Value<String>', Default: /ami/latest")).to.throw(UnsupportedTemplateError, /parameter Ami has type AWS::SSM::Parameter::Value<String>/);
      expect(ssm("Type: 'AWS::SSM::Parameter::Value<String>'")).to.not.throw();
    });
  });

  describe('splitPath', () => {
    it('turns a dotted path with indexes into segments', () => {
      expect(splitPath('Resources.Fn.Properties.Layers[0].Fn::Sub')).to.deep.equal(['Resources', 'Fn', 'Properties', 'Layers', 0, 'Fn::Sub']);
    });
  });
});
