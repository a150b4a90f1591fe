import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deploymentHash, versionHash, prepareTemplate } from '../../cli/template/prepare-template.js';
import { parseTemplate } from '../../cli/template/read-template.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const templatePath = join(root, 'infra', 'cfn', 'template.yaml');

describe('cli/template/prepare-template', () => {
  let text: string;
  before(async () => {
    text = await readFile(templatePath, 'utf8');
  });

  describe('prepareTemplate', () => {
    it('renames the Deployment and every reference to it, changing nothing else', () => {
      const prepared = prepareTemplate(text);
      expect(prepared.deploymentId).to.match(/^ApiDeployment[0-9a-f]{10}$/);
      const id = prepared.deploymentId as string;
      const before = parseTemplate(text);
      const after = parseTemplate(prepared.text);
      expect(after.Resources).not.to.have.property('ApiDeployment');
      expect(after.Resources[id]).to.deep.equal(before.Resources.ApiDeployment);
      expect(after.Resources.Stage?.Properties?.DeploymentId).to.deep.equal({ Ref: id });
      const changed = prepared.text.split('\n').filter((line, i) => line !== text.split('\n')[i]);
      const version = prepared.versions[0]?.to;
      expect(version).to.match(/^FunctionVersion[0-9a-f]{10}$/);
      expect(changed.map((l) => l.trim())).to.deep.equal([`${id}:`, `DeploymentId: !Ref ${id}`, `${version}:`, `FunctionVersion: !GetAtt ${version}.Version`]);
    });

    it('renames long-form, Fn::GetAtt, Fn::Sub and DependsOn references as well', () => {
      const source = [
        'Resources:',
        '  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}',
        '  Dep:',
        '    Type: AWS::ApiGateway::Deployment',
        '    Properties: {RestApiId: !Ref Api}',
        '  Other:',
        '    Type: X::Y::Z',
        '    DependsOn: [Dep]',
        '    Properties:',
        '      A: {Ref: Dep}',
        '      B: !GetAtt Dep.Id',
        '      C: {"Fn::GetAtt": [Dep, Id]}',
        "      D: !Sub '${Dep}/${Dep.Id}/${!Dep}/${DepX}'",
        '      E: Dep',
      ].join('\n');
      const { text: out, deploymentId } = prepareTemplate(source);
      const t = parseTemplate(out);
      expect(t.Resources.Other?.DependsOn).to.deep.equal([deploymentId]);
      expect(t.Resources.Other?.Properties).to.deep.equal({
        A: { Ref: deploymentId },
        B: { 'Fn::GetAtt': [deploymentId, 'Id'] },
        C: { 'Fn::GetAtt': [deploymentId, 'Id'] },
        D: { 'Fn::Sub': `\${${deploymentId}}/\${${deploymentId}.Id}/\${!Dep}/\${DepX}` },
        E: 'Dep',
      });
    });

    it('keeps the same id for the same API, whatever else changes', () => {
      const id = prepareTemplate(text).deploymentId;
      expect(prepareTemplate(text).deploymentId).to.equal(id);
      const otherTable = text.replace('PointInTimeRecoveryEnabled: true', 'PointInTimeRecoveryEnabled: false');
      const withComment = text.replace('Resources:\n', 'Resources:\n  # a new comment\n');
      const otherTableName = prepareTemplate(text, { parameters: { TableName: 'other' } });
      expect([prepareTemplate(otherTable).deploymentId, prepareTemplate(withComment).deploymentId, otherTableName.deploymentId]).to.deep.equal([id, id, id]);
      expect(prepareTemplate(text, { parameters: { ApiKeyRequired: 'false' } }).deploymentId, 'the default, given explicitly').to.equal(id);
    });

    it('gives a new id when a method, a route or a parameter the methods use changes', () => {
      const id = prepareTemplate(text).deploymentId;
      const methodChanged = text.replace(/HttpMethod: PATCH/, 'HttpMethod: POST');
      const routeChanged = text.replace('PathPart: items', 'PathPart: things');
      const integrationChanged = text.replace('IntegrationHttpMethod: POST', 'IntegrationHttpMethod: GET');
      const ids = [
        prepareTemplate(methodChanged).deploymentId,
        prepareTemplate(routeChanged).deploymentId,
        prepareTemplate(integrationChanged).deploymentId,
        prepareTemplate(text, { parameters: { ApiKeyRequired: 'true' } }).deploymentId,
      ];
      for (const other of ids) expect(other).to.match(/^ApiDeployment[0-9a-f]{10}$/).and.not.equal(id);
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it('returns the text unchanged when there is no Deployment', () => {
      const source = 'Resources:\n  T: {Type: AWS::SNS::Topic}\n';
      expect(prepareTemplate(source)).to.deep.equal({ text: source, deploymentId: undefined, deployments: [], versions: [] });
    });
  });

  describe('versionHash', () => {
    // A version is published only when the AWS::Lambda::Version is created:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html
    it("changes with the function's code and configuration, not with parameters it does not use", () => {
      const template = parseTemplate(text);
      const base = { ArtifactKey: 'a/handler-1.zip', ArtifactBucket: 'b', StageName: 'dev' };
      const hash = versionHash(template, 'FunctionVersion', base);
      expect(versionHash(template, 'FunctionVersion', { ...base, ArtifactKey: 'a/handler-2.zip' })).to.not.equal(hash);
      expect(versionHash(template, 'FunctionVersion', { ...base, FunctionMemorySize: '512' })).to.not.equal(hash);
      expect(versionHash(template, 'FunctionVersion', { ...base, StageName: 'test' })).to.equal(hash);
    });
  });

  describe('deploymentHash', () => {
    it('does not depend on the order of keys', () => {
      const a = parseTemplate('Resources:\n  A: {Type: AWS::ApiGateway::RestApi, Properties: {Name: n, Description: d}}\n  D: {Type: AWS::ApiGateway::Deployment, Properties: {RestApiId: !Ref A}}\n');
      const b = parseTemplate('Resources:\n  D: {Type: AWS::ApiGateway::Deployment, Properties: {RestApiId: !Ref A}}\n  A: {Type: AWS::ApiGateway::RestApi, Properties: {Description: d, Name: n}}\n');
      expect(deploymentHash(a, 'D', {})).to.equal(deploymentHash(b, 'D', {}));
    });
  });
});
