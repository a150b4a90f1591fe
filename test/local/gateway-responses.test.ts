/**
 * Which AWS::ApiGateway::GatewayResponse applies to the emulator's own answers, and what it adds.
 * AWS: a response type's own gateway response, else DEFAULT_4XX / DEFAULT_5XX by status; header
 * values are static or from the method request
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html).
 */
import { expect } from 'chai';
import { applicableResponse, customizeGatewayAnswer, type LocalGatewayResponse } from '../../cli/local/gateway-responses.js';

const response = (responseType: string, headers: LocalGatewayResponse['headers'], statusCode?: number): LocalGatewayResponse => ({
  logicalId: responseType,
  responseType,
  headers,
  ...(statusCode !== undefined ? { statusCode } : {}),
});
const CORS = [{ name: 'Access-Control-Allow-Origin', source: { kind: 'static', value: '*' } }] as const;
const DEFAULTS = [response('DEFAULT_4XX', [...CORS]), response('DEFAULT_5XX', [{ name: 'X-5xx', source: { kind: 'static', value: 'yes' } }])];

describe('cli/local/gateway-responses', () => {
  describe('applicableResponse', () => {
    it('takes DEFAULT_4XX for 4xx answers and DEFAULT_5XX for 5xx ones', () => {
      expect(applicableResponse('MISSING_AUTHENTICATION_TOKEN', 403, DEFAULTS)?.responseType).to.equal('DEFAULT_4XX');
      expect(applicableResponse('INVALID_API_KEY', 403, DEFAULTS)?.responseType).to.equal('DEFAULT_4XX');
      expect(applicableResponse('REQUEST_TOO_LARGE', 413, DEFAULTS)?.responseType).to.equal('DEFAULT_4XX');
      expect(applicableResponse('INTERNAL_ERROR', 502, DEFAULTS)?.responseType).to.equal('DEFAULT_5XX');
      expect(applicableResponse('INTEGRATION_TIMEOUT', 504, DEFAULTS)?.responseType).to.equal('DEFAULT_5XX');
    });

    it("prefers the answer's own response type", () => {
      const own = response('MISSING_AUTHENTICATION_TOKEN', [], 404);
      expect(applicableResponse('MISSING_AUTHENTICATION_TOKEN', 403, [...DEFAULTS, own])).to.equal(own);
    });

    it('customizes neither a missing stage nor a body over 10 MB', () => {
      expect(applicableResponse('FORBIDDEN', 403, DEFAULTS)).to.equal(undefined);
      expect(applicableResponse('PAYLOAD_OVER_LIMIT', 413, DEFAULTS)).to.equal(undefined);
    });
  });

  describe('customizeGatewayAnswer', () => {
    it('adds static headers and request headers (any case) and query parameters; an absent one adds nothing', () => {
      const responses = [
        response('DEFAULT_4XX', [
          ...CORS,
          { name: 'X-Origin', source: { kind: 'header', name: 'Origin' } },
          { name: 'X-Q', source: { kind: 'querystring', name: 'q' } },
          { name: 'X-None', source: { kind: 'header', name: 'Missing' } },
        ]),
      ];
      expect(customizeGatewayAnswer('MISSING_AUTHENTICATION_TOKEN', 403, responses, { rawHeaders: ['origin', 'https://a.test'], query: 'q=1' })).to.deep.equal({
        statusCode: 403,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['X-Origin', 'https://a.test'],
          ['X-Q', '1'],
        ],
      });
    });

    it('replaces the status with StatusCode, and leaves an answer without a response alone', () => {
      expect(customizeGatewayAnswer('MISSING_AUTHENTICATION_TOKEN', 403, [response('MISSING_AUTHENTICATION_TOKEN', [], 404)], { rawHeaders: [], query: '' })).to.deep.equal({ statusCode: 404, headers: [] });
      expect(customizeGatewayAnswer('INTERNAL_ERROR', 502, [], { rawHeaders: [], query: '' })).to.deep.equal({ statusCode: 502, headers: [] });
    });
  });
});
