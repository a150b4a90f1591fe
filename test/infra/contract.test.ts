/**
 * The contract's drift test: the template's AWS::ApiGateway::Model resources are the JSON Schema
 * files of handler/contract/, byte for byte (each Schema, serialized as the file is, is the file),
 * and every method names its request validator and body model as the contract says. The
 * template is hand-written and checked in (readable, reviewable in a diff, deployable as is); this
 * test is what keeps it equal to the contract.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT_FILES, CONTRACT_MODELS } from '../../handler/contract/index.js';
import type { CfnTemplate, TemplateValue } from '../../cli/template/cfn-template.js';
import { parseTemplate } from '../../cli/template/read-template.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Route -> [body model or undefined, validator]: the methods with a body validate it. */
const EXPECTED_ROUTES: Record<string, [string | undefined, string]> = {
  DynamoDBManagerPost: ['RpcRequest', 'BodyAndParametersValidator'],
  ItemsGet: [undefined, 'ParametersValidator'],
  ItemsPost: ['Item', 'BodyAndParametersValidator'],
  ItemGet: [undefined, 'ParametersValidator'],
  ItemPut: ['ItemReplacement', 'BodyAndParametersValidator'],
  ItemPatch: ['ItemPatch', 'BodyAndParametersValidator'],
  ItemDelete: [undefined, 'ParametersValidator'],
};

describe('handler/contract', () => {
  let t: CfnTemplate;
  before(async () => {
    t = parseTemplate(await readFile(join(root, 'infra', 'cfn', 'template.yaml'), 'utf8'), { file: 'infra/cfn/template.yaml' });
  });
  const props = (id: string) => (t.Resources[id]?.Properties ?? {}) as Record<string, TemplateValue>;

  it('is in the template as one AWS::ApiGateway::Model per file, each Schema the file byte for byte', async () => {
    const models = Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Model');
    expect(models.map(([id]) => id).sort()).to.deep.equal(Object.keys(CONTRACT_MODELS).map((name) => `${name}Model`).sort());
    for (const [name, file] of Object.entries(CONTRACT_FILES)) {
      const p = props(`${name}Model`);
      const text = await readFile(join(root, 'handler', 'contract', file), 'utf8');
      expect(p.Name, name).to.equal(name);
      expect(p.ContentType, name).to.equal('application/json');
      expect(p.Description, name).to.equal(`handler/contract/${file}`);
      expect(p.RestApiId, name).to.deep.equal({ Ref: 'Api' });
      expect(`${JSON.stringify(p.Schema, null, 2)}\n`, `${name}Model.Schema differs from handler/contract/${file}: copy the file's content into the template`).to.equal(text);
      expect(JSON.parse(text), file).to.deep.equal(CONTRACT_MODELS[name]);
      expect((CONTRACT_MODELS[name] as { $schema?: string }).$schema, file).to.equal('http://json-schema.org/draft-04/schema#');
    }
  });

  it('validates the body and the parameters of every method with a body, and the parameters of the others', () => {
    expect(props('BodyAndParametersValidator')).to.include({ ValidateRequestBody: true, ValidateRequestParameters: true });
    expect(props('ParametersValidator')).to.include({ ValidateRequestBody: false, ValidateRequestParameters: true });
    // The CORS preflights (MOCK OPTIONS methods, only with CorsAllowedOrigins) take no body and
    // no parameters: API Gateway answers them itself, outside the contract.
    const methods = Object.entries(t.Resources)
      .filter(([, r]) => r.Type === 'AWS::ApiGateway::Method' && r.Properties?.HttpMethod !== 'OPTIONS')
      .map(([id]) => id);
    expect(methods.sort()).to.deep.equal(Object.keys(EXPECTED_ROUTES).sort());
    for (const [id, [model, validator]] of Object.entries(EXPECTED_ROUTES)) {
      const p = props(id);
      expect(p.RequestValidatorId, id).to.deep.equal({ Ref: validator });
      // $default: the model applies whatever the Content-Type (api-gateway-method-request-validation.html).
      expect(p.RequestModels, id).to.deep.equal(model === undefined ? undefined : { $default: { Ref: `${model}Model` } });
    }
  });

  it('documents every answer of every method with a model of the contract (none for a 204)', () => {
    for (const id of Object.keys(EXPECTED_ROUTES)) {
      const responses = props(id).MethodResponses as { StatusCode: string; ResponseModels?: Record<string, { Ref: string }> }[];
      expect(responses, id).to.be.an('array').that.is.not.empty;
      for (const r of responses) {
        const refs = Object.values(r.ResponseModels ?? {}).map((m) => m.Ref.replace(/Model$/, ''));
        if (r.StatusCode === '204') expect(refs, `${id} 204`).to.deep.equal([]);
        else expect(refs.length === 1 && Object.hasOwn(CONTRACT_MODELS, refs[0]!), `${id} ${r.StatusCode}`).to.equal(true);
        if (Number(r.StatusCode) >= 400) expect(refs, `${id} ${r.StatusCode}`).to.deep.equal(['Error']);
      }
    }
  });
});
