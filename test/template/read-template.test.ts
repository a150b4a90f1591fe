import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplate, parseTemplateWithPositions, TemplateSyntaxError } from '../../cli/template/read-template.js';

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
});
