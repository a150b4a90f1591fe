/**
 * MOCK integrations as read from a template and answered. AWS: the request template's statusCode
 * selects the integration response (SelectionPattern, else the default), whose static
 * ResponseParameters and response template make the answer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html);
 * a mapped header must be declared by the method response and an integration response needs one
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegrationResponse.html);
 * PassthroughBehavior NEVER refuses an unmapped content type with 415, a missing Content-Type
 * counts as application/json
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html).
 */
import { expect } from 'chai';
import { TemplateError, UnsupportedTemplateError } from '../../cli/local/intrinsics.js';
import { answerMock, readMockIntegration } from '../../cli/local/mock-integration.js';

const where = (p: string) => `template.yaml: Resources.Options.Properties.${p}`;

function integration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'MOCK',
    PassthroughBehavior: 'NEVER',
    RequestTemplates: { 'application/json': '{"statusCode": 200}' },
    IntegrationResponses: [
      {
        StatusCode: '200',
        ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'https://a.test'", 'method.response.header.Vary': "'Origin'" },
        ResponseTemplates: { 'application/json': '#if($input.params().header.get("Origin") == "https://b.test")#set($context.responseOverride.header.Access-Control-Allow-Origin = "https://b.test")#end' },
      },
    ],
    ...overrides,
  };
}
const METHOD_RESPONSES = [{ StatusCode: '200', ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': true, 'method.response.header.Vary': true } }];

const request = (headers: Record<string, string> = {}) => ({ rawHeaders: Object.entries(headers).flat(), query: '', pathParameters: null });

describe('cli/local/mock-integration', () => {
  describe('answerMock', () => {
    const mock = readMockIntegration(integration(), METHOD_RESPONSES, where);

    it('answers the selected response: status, static headers, Content-Type and the template output as body', () => {
      const a = answerMock(mock, request({ Origin: 'https://a.test' }));
      expect(a).to.deep.equal({
        kind: 'answer',
        response: {
          statusCode: 200,
          headers: [
            ['Access-Control-Allow-Origin', 'https://a.test'],
            ['Vary', 'Origin'],
            ['Content-Type', 'application/json'],
          ],
          body: Buffer.from(''),
        },
      });
    });

    it('lets the response template override a header', () => {
      const a = answerMock(mock, request({ Origin: 'https://b.test' }));
      expect(a.kind === 'answer' && a.response.headers[0]).to.deep.equal(['Access-Control-Allow-Origin', 'https://b.test']);
    });

    it('answers 415 for a Content-Type without request template; a charset parameter still matches', () => {
      expect(answerMock(mock, request({ 'Content-Type': 'text/plain' }))).to.deep.equal({ kind: 'unsupported-media-type', contentType: 'text/plain' });
      expect(answerMock(mock, request({ 'Content-Type': 'application/json; charset=utf-8' })).kind).to.equal('answer');
    });

    it('selects by SelectionPattern before the default response, and maps the status it gives', () => {
      const m = readMockIntegration(
        integration({
          RequestTemplates: { 'application/json': '{"statusCode": 201}' },
          IntegrationResponses: [{ StatusCode: '200' }, { StatusCode: '202', SelectionPattern: '2\\d1' }],
        }),
        [{ StatusCode: '200' }, { StatusCode: '202' }],
        where,
      );
      const a = answerMock(m, request());
      expect(a.kind === 'answer' && a.response.statusCode).to.equal(202);
    });
  });

  describe('readMockIntegration', () => {
    const refused: [string, Record<string, unknown>, unknown, typeof TemplateError | typeof UnsupportedTemplateError, string][] = [
      ['PassthroughBehavior other than NEVER', integration({ PassthroughBehavior: 'WHEN_NO_MATCH' }), METHOD_RESPONSES, UnsupportedTemplateError, 'Integration.PassthroughBehavior: a MOCK integration with PassthroughBehavior WHEN_NO_MATCH is not emulated'],
      ['no request template', integration({ RequestTemplates: {} }), METHOD_RESPONSES, UnsupportedTemplateError, 'a MOCK integration needs a request template'],
      ['a dynamic request template', integration({ RequestTemplates: { 'application/json': '{"statusCode": $input.params("s")}' } }), METHOD_RESPONSES, UnsupportedTemplateError, 'Integration.RequestTemplates.application/json: the local stack runs a MOCK request template that is the text'],
      ['a mapped header the method response does not declare', integration(), [{ StatusCode: '200', ResponseParameters: { 'method.response.header.Vary': true } }], TemplateError, 'the 200 method response does not declare method.response.header.Access-Control-Allow-Origin'],
      ['an integration response without method response', integration(), [{ StatusCode: '204' }], TemplateError, 'no MethodResponses entry has StatusCode 200'],
      ['a mapping from the integration response', integration({ IntegrationResponses: [{ StatusCode: '200', ResponseParameters: { 'method.response.header.Vary': 'integration.response.header.X' } }] }), METHOD_RESPONSES, UnsupportedTemplateError, "integration.response.header.X is not emulated for a MOCK integration"],
      ['no response for the status', integration({ IntegrationResponses: [{ StatusCode: '200', SelectionPattern: '5\\d\\d' }] }), METHOD_RESPONSES, TemplateError, 'no integration response matches the mock status 200 and none is the default'],
      ['a response template with #foreach', integration({ IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '#foreach($a in $b)#end' } }] }), METHOD_RESPONSES, UnsupportedTemplateError, 'ResponseTemplates.application/json: mapping template line 1, column 1: #foreach is not emulated'],
    ];
    for (const [what, i, responses, type, message] of refused) {
      it(`refuses ${what}, naming the property`, () => {
        expect(() => readMockIntegration(i, responses, where)).to.throw(type, message);
        expect(() => readMockIntegration(i, responses, where)).to.throw(/^template\.yaml: Resources\.Options\.Properties\./);
      });
    }
  });
});
