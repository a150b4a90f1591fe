import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../cli/errors.js';
import { parseTemplate, parseTemplateWithPositions, readTemplate, TemplateSyntaxError } from '../../cli/template/read-template.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const templatePath = join(root, 'infra', 'cfn', 'template.yaml');

describe('cli/template/read-template', () => {
  describe('parseTemplate', () => {
    it('turns every short-form tag into the long form', () => {
      const t = parseTemplate(
        [
          'Conditions:',
          '  C: !And [!Equals [!Ref P, x], !Not [!Condition D], !Or [!Condition D, !Condition E]]',
          'Resources:',
          '  R:',
          '    Type: X::Y::Z',
          '    Properties:',
          '      A: !GetAtt Stack.Outputs.Name',
          '      B: !GetAtt [R2, Arn]',
          "      C: !Sub ['${x}', {x: !Ref AWS::Region}]",
          '      D: !If [C, !Join [",", !Split [",", !Select [0, !GetAZs ""]]], !FindInMap [M, K, V]]',
          '      E: !Base64 {"Fn::ImportValue": shared}',
          '      F: !Cidr [10.0.0.0/16, 4, 8]',
        ].join('\n'),
      );
      expect(t.Conditions?.C).to.deep.equal({
        'Fn::And': [
          { 'Fn::Equals': [{ Ref: 'P' }, 'x'] },
          { 'Fn::Not': [{ Condition: 'D' }] },
          { 'Fn::Or': [{ Condition: 'D' }, { Condition: 'E' }] },
        ],
      });
      expect(t.Resources.R?.Properties).to.deep.equal({
        A: { 'Fn::GetAtt': ['Stack', 'Outputs.Name'] },
        B: { 'Fn::GetAtt': ['R2', 'Arn'] },
        C: { 'Fn::Sub': ['${x}', { x: { Ref: 'AWS::Region' } }] },
        D: { 'Fn::If': ['C', { 'Fn::Join': [',', { 'Fn::Split': [',', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }] }] }, { 'Fn::FindInMap': ['M', 'K', 'V'] }] },
        E: { 'Fn::Base64': { 'Fn::ImportValue': 'shared' } },
        F: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      });
    });

    it('reads JSON templates too', () => {
      const t = parseTemplate('{"Resources": {"R": {"Type": "A::B::C", "Properties": {"X": {"Ref": "Y"}}}}}');
      expect(t.Resources.R?.Properties?.X).to.deep.equal({ Ref: 'Y' });
    });

    it('keeps a "__proto__" key as data instead of touching the prototype', () => {
      const t = parseTemplate('Resources:\n  R:\n    Type: A::B::C\n    Properties:\n      __proto__: {polluted: true}\n');
      const p = t.Resources.R?.Properties as Record<string, unknown>;
      expect(Object.keys(p)).to.deep.equal(['__proto__']);
      expect((p as { polluted?: unknown }).polluted).to.equal(undefined);
      expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
    });

    it('names file, line and column of a syntax error', () => {
      expect(() => parseTemplate('Resources:\n  R:\n    Type: [unclosed\n', { file: 'bad.yaml' }))
        .to.throw(TemplateSyntaxError)
        .with.property('message')
        .that.matches(/^bad\.yaml:\d+:\d+: /);
    });

    it('rejects a tag that is not an intrinsic function, with its position', () => {
      expect(() => parseTemplate('Resources:\n  R:\n    Type: !Reff X\n', { file: 't.yaml' })).to.throw(TemplateSyntaxError, 't.yaml:3:11: unknown tag !Reff');
    });

    it('rejects a template without Resources or a resource without Type', () => {
      expect(() => parseTemplate('Outputs: {}\n')).to.throw(TemplateSyntaxError, /Resources section/);
      expect(() => parseTemplate('Resources:\n  R:\n    Properties: {}\n', { file: 't.yaml' })).to.throw(TemplateSyntaxError, 't.yaml:3:5: resource R has no Type');
    });
  });

  describe('parseTemplateWithPositions', () => {
    it('locates a value by its long-form path, with or without the intrinsic key', async () => {
      const text = await readFile(templatePath, 'utf8');
      const { locate } = parseTemplateWithPositions(text);
      const pos = locate(['Resources', 'Stage', 'Properties', 'DeploymentId']);
      const line = text.split('\n')[(pos?.line ?? 0) - 1];
      expect(line).to.match(/^\s+DeploymentId: !Ref ApiDeployment$/);
      expect(locate(['Resources', 'Stage', 'Properties', 'DeploymentId', 'Ref'])).to.deep.equal(pos);
      expect(locate(['Resources', 'Nope'])).to.equal(undefined);
    });
  });

  describe('readTemplate', () => {
    it("reads the project's template by default, with its text and its path relative to the root", async () => {
      const loaded = await readTemplate(root);
      expect(loaded.displayPath).to.equal(join('infra', 'cfn', 'template.yaml'));
      expect(loaded.path).to.equal(templatePath);
      expect(loaded.text).to.equal(await readFile(templatePath, 'utf8'));
      expect(loaded.template.Resources).to.have.property('Api');
    });

    it('names a missing file relative to the root', async () => {
      const err = await readTemplate(root, join(root, 'nope.yaml')).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UsageError).with.property('message', 'template not found: nope.yaml');
    });
  });

  describe('parseTemplate (sections)', () => {
    // The shapes CloudFormation requires of each section; cfn-lint reports each of these as an
    // error (E3012, E3001, E2001, E7001, E6003, E6002):
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
    const resource = 'Resources:\n  T: {Type: AWS::SNS::Topic}\n';
    const cases: { name: string; text: string; error: string }[] = [
      { name: 'Properties that are not a mapping', text: 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n', error: 't.yaml:4:16: Resources.T.Properties must be a mapping, got nothing' },
      { name: 'a resource Condition that is not a name', text: 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Condition: [C]\n', error: 't.yaml:4:16: Resources.T.Condition must be a string, got a list' },
      { name: 'a Parameters section that is a list', text: `${resource}Parameters: [P]\n`, error: 't.yaml:3:13: Parameters must be a mapping, got a list' },
      { name: 'a parameter that is not a mapping', text: `${resource}Parameters:\n  P: String\n`, error: 't.yaml:4:6: Parameters.P must be a mapping, got a string' },
      { name: 'a parameter Type that is not a string', text: `${resource}Parameters:\n  P: {Type: [String]}\n`, error: 't.yaml:4:13: Parameters.P.Type must be a string, got a list' },
      { name: 'AllowedValues that are not a list', text: `${resource}Parameters:\n  P: {Type: String, AllowedValues: a}\n`, error: 't.yaml:4:36: Parameters.P.AllowedValues must be a list, got a string' },
      { name: 'AllowedPattern that is not a string', text: `${resource}Parameters:\n  P: {Type: String, AllowedPattern: [a]}\n`, error: 't.yaml:4:37: Parameters.P.AllowedPattern must be a string, got a list' },
      { name: 'a MinLength that is not a number', text: `${resource}Parameters:\n  P: {Type: String, MinLength: {a: 1}}\n`, error: 't.yaml:4:32: Parameters.P.MinLength must be a number, got a mapping' },
      { name: 'a map that is not a mapping', text: `${resource}Mappings:\n  M: [a]\n`, error: 't.yaml:4:6: Mappings.M must be a mapping, got a list' },
      { name: 'a map key whose entry is not a mapping', text: `${resource}Mappings:\n  M:\n    K: abc\n`, error: 't.yaml:5:8: Mappings.M.K must be a mapping, got a string' },
      { name: 'a Conditions section that is a list', text: `${resource}Conditions: [C]\n`, error: 't.yaml:3:13: Conditions must be a mapping, got a list' },
      { name: 'an empty Outputs section', text: `${resource}Outputs:\n`, error: 't.yaml:3:9: Outputs must be a mapping, got nothing' },
      { name: 'an output without Value', text: `${resource}Outputs:\n  O: {Description: d}\n`, error: 't.yaml:4:6: Outputs.O has no Value' },
      { name: 'an output Condition that is not a name', text: `${resource}Outputs:\n  O: {Value: v, Condition: 1}\n`, error: 't.yaml:4:28: Outputs.O.Condition must be a string, got a number' },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}, naming file, line and column`, () => {
        expect(() => parseTemplate(c.text, { file: 't.yaml' }))
          .to.throw(TemplateSyntaxError)
          .with.property('message', c.error);
      });
    }

    it('accepts numbers and numeric strings for the length and value limits, and any Default', () => {
      const t = parseTemplate(`${resource}Parameters:\n  P: {Type: String, MinLength: '1', MaxLength: 5, NoEcho: 'true', Default: [a, b]}\n  N: {Type: Number, MinValue: 0, MaxValue: '9'}\n`);
      expect(t.Parameters?.P).to.deep.equal({ Type: 'String', MinLength: '1', MaxLength: 5, NoEcho: 'true', Default: ['a', 'b'] });
      expect(t.Parameters?.N).to.deep.equal({ Type: 'Number', MinValue: 0, MaxValue: '9' });
    });
  });
});
