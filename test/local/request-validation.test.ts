/**
 * A method's request validation, pure: parameters first ("included and not blank"), then the
 * body by its content type ($default for any; none found: not checked), an empty body checked
 * as {} (api-gateway-method-request-validation.html; AWS's answers recorded in LocalStack's
 * validated snapshot test_apigateway_common.snapshot.json, test_api_gateway_request_validator:
 * "Missing required request parameters: [x-header-param, issuer, qs1]", "Invalid request body").
 */
import { expect } from 'chai';
import { gatewayResponse } from '../../cli/local/apigateway-event.js';
import { explainRefusal, refusalAnswer, refusalMessage, type Refusal } from '../../cli/local/explanations.js';
import { compileSchema } from '../../cli/local/json-schema.js';
import { MAX_BODY_NESTING, nestedDeeperThan, validateRequest } from '../../cli/local/request-validation.js';
import type { RequestValidation } from '../../cli/local/resources/api-gateway-validation.js';

const item = { name: 'Item', check: compileSchema({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, 'Item') };
const request = (body: string, headers: Record<string, string> = {}, query = '') => ({ headers, query, body: Buffer.from(body) });

describe('cli/local/request-validation', () => {
  describe('validateRequest', () => {
    const both: RequestValidation = {
      validatorName: 'both',
      models: new Map([['$default', item]]),
      requiredParameters: [{ in: 'header', name: 'X-Tenant' }, { in: 'querystring', name: 'q' }],
    };

    it('names the missing or blank required parameters, before looking at the body', () => {
      expect(validateRequest(both, request('[]'))).to.deep.equal({ kind: 'missing-parameters', validator: 'both', missing: ['X-Tenant', 'q'] });
      expect(validateRequest(both, request('[]', { 'x-tenant': ' ' }, 'q='))).to.deep.include({ missing: ['X-Tenant', 'q'] });
      expect(validateRequest(both, request('{"id":"a"}', { 'x-tenant': 't' }, 'q=1'))).to.equal(undefined);
    });

    it('checks the body against the model of its content type, $default for any, {} for an empty one', () => {
      const body: RequestValidation = { validatorName: 'body', models: new Map([['$default', item]]), requiredParameters: undefined };
      expect(validateRequest(body, request('{"id":"a"}', { 'content-type': 'text/plain' }))).to.equal(undefined);
      expect(validateRequest(body, request(''))).to.deep.include({ kind: 'invalid-body', model: 'Item', contentType: 'application/json', problems: [{ at: 'body', message: 'is missing the required property "id"' }] });
      expect(validateRequest(body, request('{"id":', { 'content-type': 'application/json; charset=utf-8' }))).to.deep.include({ kind: 'invalid-body', contentType: 'application/json' });
      const jsonOnly: RequestValidation = { validatorName: 'body', models: new Map([['application/json', item]]), requiredParameters: undefined };
      expect(validateRequest(jsonOnly, request('[]', { 'content-type': 'text/plain' })), 'no model for text/plain: not checked').to.equal(undefined);
      expect(validateRequest(jsonOnly, request('[]'))).to.deep.include({ kind: 'invalid-body' });
    });

    it('refuses a body nested deeper than MAX_BODY_NESTING after one pass, without parsing it', () => {
      const body: RequestValidation = { validatorName: 'body', models: new Map([['$default', item]]), requiredParameters: undefined };
      const deep = '['.repeat(MAX_BODY_NESTING + 1) + ']'.repeat(MAX_BODY_NESTING + 1);
      expect(validateRequest(body, request(deep))).to.deep.include({ problems: [{ at: 'body', message: `is nested more than ${MAX_BODY_NESTING} levels deep` }] });
      expect(nestedDeeperThan('{"a":"[[[[[["}', 2), 'brackets in strings do not count').to.equal(false);
      expect(nestedDeeperThan('{"a\\\\":[[1]]}', 2), 'an escaped backslash ends before the quote').to.equal(true);
      expect(nestedDeeperThan('[[1],[2]]', 2)).to.equal(false);
    });

    it('checks nothing a validator does not validate', () => {
      expect(validateRequest({ validatorName: 'none', models: undefined, requiredParameters: undefined }, request('not json'))).to.equal(undefined);
    });
  });

  describe('the refusals (explanations.ts)', () => {
    const route = { httpMethod: 'POST', resourcePath: '/items', timeoutMs: 29_000 };
    const q = { method: 'POST', rawUrl: '/prod/items' };

    it('answers an invalid body 400 {"message":"Invalid request body"} with BadRequestException, and prints why', () => {
      const refusal: Refusal = { kind: 'invalid-body', validator: 'body-and-parameters', model: 'Item', contentType: 'application/json', problems: [{ at: 'body.id', message: 'expected string, got number' }], route };
      expect(gatewayResponse(refusalAnswer(refusal), refusalMessage(refusal))).to.deep.equal({ statusCode: 400, body: '{"message":"Invalid request body"}', contentType: 'application/json', errorType: 'BadRequestException' });
      const lines = explainRefusal(refusal, q);
      expect(lines[0]).to.equal('POST /prod/items -> POST /items: the body does not match model Item (request validator body-and-parameters, content type application/json) -> 400 {"message":"Invalid request body"}; the function was not invoked.');
      expect(lines[1]).to.equal('  body.id expected string, got number');
    });

    it('answers missing parameters 400 with their names', () => {
      const refusal: Refusal = { kind: 'missing-parameters', validator: 'parameters', missing: ['x-header-param', 'qs1'], route };
      expect(gatewayResponse(refusalAnswer(refusal), refusalMessage(refusal))).to.deep.equal({ statusCode: 400, body: '{"message":"Missing required request parameters: [x-header-param, qs1]"}', contentType: 'application/json', errorType: 'BadRequestException' });
      expect(explainRefusal(refusal, q)[0]).to.include('missing required request parameters x-header-param, qs1 (request validator parameters) -> 400');
    });
  });
});
