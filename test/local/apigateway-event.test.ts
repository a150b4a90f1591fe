import { expect } from 'chai';
import {
  buildProxyEvent,
  collectHeaders,
  formatRequestTime,
  gatewayResponse,
  matchesMediaType,
  parseProxyResult,
  parseQuery,
  type ProxyEventContext,
  type ProxyRequest,
} from '../../cli/local/apigateway-event.js';

const EPOCH = Date.UTC(2015, 3, 9, 12, 34, 56, 789);

function request(overrides: Partial<ProxyRequest> = {}): ProxyRequest {
  return {
    httpMethod: 'POST',
    path: '/items/42',
    query: 'a=1&a=2&b=x%20y',
    rawHeaders: ['Host', '127.0.0.1:3000', 'User-Agent', 'curl/8.0', 'Content-Type', 'application/json', 'X-Multi', 'one', 'x-multi', 'two'],
    body: Buffer.from('{"k":"v"}'),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    port: 3000,
    ...overrides,
  };
}

function context(overrides: Partial<ProxyEventContext> = {}): ProxyEventContext {
  return {
    stage: 'prod',
    stageVariables: { color: 'blue' },
    resourcePath: '/items/{id}',
    resourceId: 'abc123',
    pathParameters: { id: '42' },
    apiId: 'a1b2c3d4e5',
    accountId: '000000000000',
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'BQGojGJ4PHcFb-g=',
    traceId: 'Root=1-5e1b4151-5ac6c58f5b5daa6532e4fb20',
    requestTimeEpoch: EPOCH,
    binaryMediaTypes: [],
    deploymentId: 'dep123',
    ...overrides,
  };
}

describe('cli/local/apigateway-event', () => {
  describe('buildProxyEvent', () => {
    const event = buildProxyEvent(request(), context());

    const fields: [string, unknown, unknown][] = [
      ['resource', event.resource, '/items/{id}'],
      ['path', event.path, '/items/42'],
      ['httpMethod', event.httpMethod, 'POST'],
      ['queryStringParameters (last value wins)', event.queryStringParameters, { a: '2', b: 'x y' }],
      ['multiValueQueryStringParameters', event.multiValueQueryStringParameters, { a: ['1', '2'], b: ['x y'] }],
      ['pathParameters', event.pathParameters, { id: '42' }],
      ['stageVariables', event.stageVariables, { color: 'blue' }],
      ['body', event.body, '{"k":"v"}'],
      ['isBase64Encoded', event.isBase64Encoded, false],
      ['requestContext.accountId', event.requestContext.accountId, '000000000000'],
      ['requestContext.apiId', event.requestContext.apiId, 'a1b2c3d4e5'],
      ['requestContext.stage', event.requestContext.stage, 'prod'],
      ['requestContext.requestId', event.requestContext.requestId, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'],
      ['requestContext.extendedRequestId', event.requestContext.extendedRequestId, 'BQGojGJ4PHcFb-g='],
      ['requestContext.resourceId', event.requestContext.resourceId, 'abc123'],
      ['requestContext.resourcePath', event.requestContext.resourcePath, '/items/{id}'],
      ['requestContext.httpMethod', event.requestContext.httpMethod, 'POST'],
      ['requestContext.path (with the stage)', event.requestContext.path, '/prod/items/42'],
      ['requestContext.protocol', event.requestContext.protocol, 'HTTP/1.1'],
      ['requestContext.requestTime', event.requestContext.requestTime, '09/Apr/2015:12:34:56 +0000'],
      ['requestContext.requestTimeEpoch', event.requestContext.requestTimeEpoch, EPOCH],
      // AWS: LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_aws_proxy_integration
      // (test_apigateway_lambda.snapshot.json): deploymentId is set, domainName is the Host header (no port on
      // execute-api's 443), domainPrefix its first label (the API id).
      ['requestContext.deploymentId', (event.requestContext as { deploymentId?: string }).deploymentId, 'dep123'],
      ['requestContext.domainName (the host without the port)', event.requestContext.domainName, '127.0.0.1'],
      ['requestContext.domainPrefix (first label of the host)', event.requestContext.domainPrefix, '127'],
      ['requestContext.identity.sourceIp', event.requestContext.identity.sourceIp, '127.0.0.1'],
      ['requestContext.identity.userAgent', event.requestContext.identity.userAgent, 'curl/8.0'],

      ['requestContext.identity.user', event.requestContext.identity.user, null],
    ];
    for (const [name, actual, expected] of fields) {
      it(`sets ${name}`, () => {
        expect(actual).to.deep.equal(expected);
      });
    }

    it('keeps header casing, the last value in headers and every value in multiValueHeaders', () => {
      expect(event.headers['Host']).to.equal('127.0.0.1:3000');
      expect(event.headers['X-Multi']).to.equal('two');
      expect(event.multiValueHeaders['X-Multi']).to.deep.equal(['one', 'two']);
      expect(event.multiValueHeaders['User-Agent']).to.deep.equal(['curl/8.0']);
    });

    it('spells Host, User-Agent and Authorization as API Gateway does, other headers as sent', () => {
      // AWS: LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_aws_proxy_integration,
      // snapshot "invocation-payload-with-params-encoding-multi": a client's `aUThorization` arrives as `Authorization`,
      // `tEsT-HEADeR` (snapshot "invocation-payload-with-params-encoding") as sent.
      const e = buildProxyEvent(request({ rawHeaders: ['host', 'h.example', 'user-agent', 'fetch', 'aUThorization', 'Bearer t', 'tEsT-HEADeR', 'aValUE'] }), context());
      expect(e.headers).to.include({ Host: 'h.example', 'User-Agent': 'fetch', Authorization: 'Bearer t', 'tEsT-HEADeR': 'aValUE' });
      expect(e.multiValueHeaders).to.include.keys('Host', 'User-Agent', 'Authorization', 'tEsT-HEADeR');
      expect(e.headers).to.not.have.any.keys('host', 'user-agent', 'aUThorization');
    });

    it('drops Connection and Content-Length, which API Gateway does not pass to the function', () => {
      // AWS: LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_aws_proxy_integration,
      // snapshot "invocation-payload-with-params-encoding-multi": a POST with a body sent by python-requests
      // (Connection: keep-alive, Content-Length) reaches the function with neither header.
      const e = buildProxyEvent(request({ rawHeaders: ['Host', 'h', 'Connection', 'keep-alive', 'content-length', '9', 'Accept', '*/*'] }), context());
      expect(e.headers).to.not.have.any.keys('Connection', 'content-length');
      expect(e.multiValueHeaders).to.not.have.any.keys('Connection', 'content-length');
      expect(e.headers['Accept']).to.equal('*/*');
    });

    it('adds the headers API Gateway adds', () => {
      // AWS sends X-Forwarded-Proto https and X-Forwarded-Port 443 (execute-api is HTTPS only); locally they
      // describe the real connection (http, the local port) so URLs a function builds from them work on the
      // laptop. Listed in README "Known differences from AWS".
      expect(event.headers['X-Amzn-Trace-Id']).to.equal('Root=1-5e1b4151-5ac6c58f5b5daa6532e4fb20');
      expect(event.headers['X-Forwarded-For']).to.equal('127.0.0.1');
      expect(event.headers['X-Forwarded-Port']).to.equal('3000');
      expect(event.headers['X-Forwarded-Proto']).to.equal('http');
    });

    it('appends the source address to a client X-Forwarded-For', () => {
      const e = buildProxyEvent(request({ rawHeaders: ['X-Forwarded-For', '10.0.0.1'] }), context());
      expect(e.headers['X-Forwarded-For']).to.equal('10.0.0.1, 127.0.0.1');
    });

    it('drops the extra slash of /<stage>//x from path but keeps it in requestContext.path', () => {
      // AWS: LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_aws_proxy_integration,
      // snapshots "invocation-payload-with-prepended-slash" (/stage//proxy-value: path /proxy-value, requestContext.path
      // /stage//proxy-value) and "invocation-payload-with-double-slash" (an inner // is kept in both).
      const e = buildProxyEvent(request({ path: '//items//42' }), context());
      expect(e.path).to.equal('/items//42');
      expect(e.requestContext.path).to.equal('/prod//items//42');
    });

    it('sends null (not {}) for absent query string, path parameters, stage variables and body', () => {
      const e = buildProxyEvent(request({ query: '', body: Buffer.alloc(0), httpMethod: 'GET' }), context({ pathParameters: null, stageVariables: null }));
      expect(e.queryStringParameters).to.equal(null);
      expect(e.multiValueQueryStringParameters).to.equal(null);
      expect(e.pathParameters).to.equal(null);
      expect(e.stageVariables).to.equal(null);
      expect(e.body).to.equal(null);
      expect(e.isBase64Encoded).to.equal(false);
    });

    it('base64-encodes a body whose Content-Type is one of the API BinaryMediaTypes', () => {
      const bytes = Buffer.from([0, 1, 2, 250, 255]);
      const e = buildProxyEvent(request({ rawHeaders: ['Content-Type', 'image/png'], body: bytes }), context({ binaryMediaTypes: ['image/*'] }));
      expect(e.isBase64Encoded).to.equal(true);
      expect(e.body).to.equal(bytes.toString('base64'));
    });

    it('passes a text body as UTF-8 when its type is not binary', () => {
      const e = buildProxyEvent(request({ rawHeaders: ['Content-Type', 'text/plain'], body: Buffer.from('héllo') }), context({ binaryMediaTypes: ['image/*'] }));
      expect(e.isBase64Encoded).to.equal(false);
      expect(e.body).to.equal('héllo');
    });

    it('puts U+FFFD in place of bytes of a text body that are not UTF-8, as API Gateway does', () => {
      // AWS: LocalStack's AWS-validated snapshot tests/aws/services/apigateway/test_apigateway_s3.snapshot.json
      // ("get-obj-no-binary-media-binary-raw", recorded 2025-03-17) and https://stackoverflow.com/questions/59383951.
      const e = buildProxyEvent(request({ rawHeaders: ['Content-Type', 'application/json'], body: Buffer.from([0x22, 0xff, 0xfe, 0x22]) }), context());
      expect(e.isBase64Encoded).to.equal(false);
      expect(e.body).to.equal('"\uFFFD\uFFFD"');
    });

    it('leaves apiKey and apiKeyId out of identity when no API key was used', () => {
      // AWS: same snapshot, "invocation-payload-with-params-encoding-multi": identity has no apiKey/apiKeyId keys.
      expect(event.requestContext.identity).to.not.have.any.keys('apiKey', 'apiKeyId');
    });

    it('takes domainName and domainPrefix from a host name with a port', () => {
      const e = buildProxyEvent(request({ rawHeaders: ['Host', 'a1b2c3d4e5.execute-api.localhost:3000'] }), context());
      expect(e.requestContext.domainName).to.equal('a1b2c3d4e5.execute-api.localhost');
      expect(e.requestContext.domainPrefix).to.equal('a1b2c3d4e5');
    });

    it('reports the API key used on a key-protected method', () => {
      const e = buildProxyEvent(request(), context({ apiKey: { value: 'k'.repeat(40), id: 'keyid12345' } }));
      expect(e.requestContext.identity.apiKey).to.equal('k'.repeat(40));
      expect(e.requestContext.identity.apiKeyId).to.equal('keyid12345');
    });
  });

  describe('parseQuery', () => {
    const cases: [string, unknown][] = [
      ['', { single: null, multi: null }],
      ['a', { single: { a: '' }, multi: { a: [''] } }],
      ['a=1&b=&a=3', { single: { a: '3', b: '' }, multi: { a: ['1', '3'], b: [''] } }],
      ['q=%E2%9C%93&bad=%zz', { single: { q: '✓', bad: '%zz' }, multi: { q: ['✓'], bad: ['%zz'] } }],
    ];
    for (const [query, expected] of cases) {
      it(`parses "${query}"`, () => {
        expect(parseQuery(query)).to.deep.equal(expected);
      });
    }

    it('splits the query at an unencoded ; as at &, and keeps an encoded %3B', () => {
      // AWS: "The semicolon character (;) is not supported for any request URL query string and results in the data being split."
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
      expect(parseQuery('a=1;b=2&c=x%3By')).to.deep.equal({ single: { a: '1', b: '2', c: 'x;y' }, multi: { a: ['1'], b: ['2'], c: ['x;y'] } });
    });

    it('decodes an unencoded + as a space and %2B as +, as API Gateway does', () => {
      // AWS: LocalStack's AWS-validated tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_aws_proxy_integration,
      // snapshot "invocation-payload-with-params-encoding" (test_apigateway_lambda.snapshot.json).
      const query = 'dateTimeOffset=2023-06-12T18:05:10.123456+00:00&email=test%2Balias@gmail.com&plus=test+alias@gmail.com';
      expect(parseQuery(query).single).to.deep.equal({
        dateTimeOffset: '2023-06-12T18:05:10.123456 00:00',
        email: 'test+alias@gmail.com',
        plus: 'test alias@gmail.com',
      });
    });
  });

  describe('collectHeaders', () => {
    it('merges names case-insensitively under the first casing seen', () => {
      expect(collectHeaders(['Accept', 'a', 'ACCEPT', 'b'], {}).multi).to.deep.equal({ Accept: ['a', 'b'] });
    });
  });

  describe('matchesMediaType', () => {
    const cases: [string | undefined, string[], boolean][] = [
      ['image/png', ['image/png'], true],
      ['image/png; charset=x', ['image/*'], true],
      ['application/json', ['*/*'], true],
      ['application/json', ['image/*'], false],
      [undefined, ['*/*'], false],
      ['image/png', [], false],
    ];
    for (const [type, patterns, expected] of cases) {
      it(`${expected ? 'matches' : 'does not match'} ${type} against ${JSON.stringify(patterns)}`, () => {
        expect(matchesMediaType(type, patterns)).to.equal(expected);
      });
    }
  });

  describe('formatRequestTime', () => {
    it('formats as API Gateway does (CLF, UTC)', () => {
      expect(formatRequestTime(Date.UTC(2020, 0, 5, 3, 4, 5))).to.equal('05/Jan/2020:03:04:05 +0000');
    });
  });

  describe('parseProxyResult', () => {
    const options = { binaryMediaTypes: ['image/*'] };
    const malformed: [string, unknown, RegExp][] = [
      ['a string', 'hello', /returned a string \("hello"\), not an object/],
      ['null (a handler that returned nothing)', null, /returned null, not an object/],
      ['an array', [1], /returned an array/],
      ['a body that is an object', { statusCode: 200, body: { a: 1 } }, /body must be a string \(use JSON\.stringify\), got an object/],
      ['an unknown key', { statusCode: 200, body: 'x', extra: 1 }, /unknown key "extra"/],
      ['a statusCode that is not a number', { statusCode: 'abc' }, /statusCode must be an integer HTTP status/],
      ['a statusCode out of range', { statusCode: 700 }, /statusCode must be an integer HTTP status \(100-599\), got a number 700/],
      ['headers that are not an object', { statusCode: 200, headers: ['a'] }, /headers must be an object/],
      ['a header value that is an object', { statusCode: 200, headers: { a: { b: 1 } } }, /headers\.a must be a string/],
      ['multiValueHeaders that are not arrays', { statusCode: 200, multiValueHeaders: { a: 'x' } }, /multiValueHeaders\.a must be an array/],
      ['isBase64Encoded that is not a boolean', { statusCode: 200, isBase64Encoded: 'yes' }, /isBase64Encoded must be a boolean/],
    ];
    for (const [name, value, problem] of malformed) {
      it(`rejects ${name}`, () => {
        const parsed = parseProxyResult(JSON.stringify(value), options);
        expect(parsed.ok).to.equal(false);
        if (!parsed.ok) expect(parsed.problem).to.match(problem);
      });
    }

    it('accepts the minimal result and defaults Content-Type to application/json', () => {
      const parsed = parseProxyResult('{"statusCode":204}', options);
      expect(parsed).to.deep.equal({ ok: true, response: { statusCode: 204, headers: [['Content-Type', 'application/json']], body: Buffer.alloc(0) } });
    });

    it('accepts a numeric string statusCode', () => {
      const parsed = parseProxyResult('{"statusCode":"201","body":"x"}', options);
      expect(parsed.ok && parsed.response.statusCode).to.equal(201);
    });

    // AWS answers, recorded: localstack/localstack tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json,
    // test_aws_proxy_response_payload_format_validation (aws.validated 2024-11-15):
    // "invoke-api-multi-headers-overwrite" -> `test-multi: value-multi, value-solo`, and
    // "invoke-api-multi-headers-overwrite-casing" (tesT-Multi / test-multi) -> `tesT-Multi: value-multi, value-solo`.
    it('sends a header set in both headers and multiValueHeaders with both values, names compared case-insensitively', () => {
      const parsed = parseProxyResult(
        JSON.stringify({ statusCode: 200, headers: { 'set-cookie': 'x=0', 'test-multi': 'value-solo', 'X-One': 1, 'Content-Type': 'text/plain' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'tesT-Multi': ['value-multi'] }, body: 'hi' }),
        options,
      );
      expect(parsed.ok).to.equal(true);
      if (!parsed.ok) return;
      expect(parsed.response.headers).to.deep.equal([
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['Set-Cookie', 'x=0'],
        ['tesT-Multi', 'value-multi'],
        ['tesT-Multi', 'value-solo'],
        ['X-One', '1'],
        ['Content-Type', 'text/plain'],
      ]);
      expect(parsed.response.body.toString()).to.equal('hi');
    });

    // Same recording: "invoke-api-only-headers" (`{"headers": {"test-header": "value"}}`) is a 200 with an
    // empty body; test_lambda_aws_proxy_response_format (aws.validated 2024-02-23) answers `{}` with 200 too.
    for (const value of [{ headers: { 'test-header': 'value' } }, {}]) {
      it(`answers ${JSON.stringify(value)} (no statusCode) with 200`, () => {
        const parsed = parseProxyResult(JSON.stringify(value), options);
        expect(parsed.ok && parsed.response.statusCode).to.equal(200);
      });
    }

    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
    it('remaps Connection, Content-Length, Date and Server and drops Transfer-Encoding, as API Gateway does', () => {
      const headers = { 'Content-Length': '999', Connection: 'close', Date: 'd', Server: 's', 'Transfer-Encoding': 'chunked', 'X-Other': 'o' };
      const parsed = parseProxyResult(JSON.stringify({ statusCode: 200, headers }), options);
      expect(parsed.ok && parsed.response.headers).to.deep.equal([
        ['x-amzn-Remapped-Content-Length', '999'],
        ['x-amzn-Remapped-Connection', 'close'],
        ['x-amzn-Remapped-Date', 'd'],
        ['x-amzn-Remapped-Server', 's'],
        ['X-Other', 'o'],
        ['Content-Type', 'application/json'],
      ]);
    });

    it('decodes a base64 body when the client accepts a binary media type of the API', () => {
      const body = Buffer.from([0, 255]).toString('base64');
      const parsed = parseProxyResult(JSON.stringify({ statusCode: 200, isBase64Encoded: true, body }), { ...options, accept: 'image/png' });
      expect(parsed.ok && [...parsed.response.body]).to.deep.equal([0, 255]);
    });

    it('returns the base64 text as is (with a note) when the client does not accept a binary type', () => {
      const body = Buffer.from([0, 255]).toString('base64');
      const parsed = parseProxyResult(JSON.stringify({ statusCode: 200, isBase64Encoded: true, body }), { ...options, accept: 'application/json' });
      expect(parsed.ok && parsed.response.body.toString()).to.equal(body);
      expect(parsed.ok && parsed.note).to.match(/not one of the API's BinaryMediaTypes/);
    });
  });

  describe('gatewayResponse', () => {
    const cases: [Parameters<typeof gatewayResponse>[0], number, string][] = [
      ['MISSING_AUTHENTICATION_TOKEN', 403, '{"message":"Missing Authentication Token"}'],
      ['INVALID_API_KEY', 403, '{"message":"Forbidden"}'],
      // A stage the API does not have: https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
      ['FORBIDDEN', 403, '{"message":"Forbidden"}'],
      ['INTERNAL_ERROR', 502, '{"message": "Internal server error"}'],
      ['INTEGRATION_TIMEOUT', 504, '{"message": "Endpoint request timed out"}'],
      // Captured from an edge-optimized REST API (issue 9, item 9): Lambda's 6 MB limit, then API Gateway's 10 MB one.
      ['REQUEST_TOO_LARGE', 413, '{"message": "Request Too Long"}'],
      ['PAYLOAD_OVER_LIMIT', 413, 'HTTP content length exceeded 10485760 bytes.'],
    ];
    for (const [kind, status, body] of cases) {
      it(`answers ${kind} with ${status} ${body}`, () => {
        expect(gatewayResponse(kind)).to.include({ statusCode: status, body });
      });
    }
  });
});
