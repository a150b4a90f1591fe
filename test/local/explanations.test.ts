import { expect } from 'chai';
import type { GatewayErrorKind } from '../../cli/local/apigateway-event.js';
import { explainPreflight, explainRefusal, iamRefusal, refusalAnswer, routedRequest, type Refusal, type RequestLine } from '../../cli/local/explanations.js';

describe('cli/local/explanations', () => {
  const routes = [
    { method: 'POST', path: '/DynamoDBManager' },
    { method: 'GET', path: '/items/{id}' },
    { method: 'GET', path: '/' },
  ];
  const proxy = { httpMethod: 'ANY', resourcePath: '/{proxy+}', timeoutMs: 29_000 };
  const get = (rawUrl: string): RequestLine => ({ method: 'GET', rawUrl });

  // Default status of each gateway response type:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
  // The 10 MB payload and the 29 s integration timeout:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
  // Lambda's 6 MB request and response: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
  // A stage the API does not have (missing or misspelt) is 403 {"message":"Forbidden"}: AWS Knowledge Center,
  // https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden (its video: "Invoking the API with a
  // non-existent stage name will result in a 403 forbidden error"), and public captures (issue 9, item 10).
  // A result that is not a proxy response is a 502:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
  const noStageHelp = [
    '  The stage is part of the URL: http://HOST/<stage>/<path>. API Gateway answers {"message":"Forbidden"}',
    '  (not "Missing Authentication Token") when the first segment is no stage: a missing or misspelt stage.',
    '  Stages: /prod, /dev. Routes:',
    '    POST   /prod/DynamoDBManager',
    '    GET    /prod/items/{id}',
    '    GET    /prod',
  ];
  const cases: [string, Refusal, RequestLine, GatewayErrorKind, string[]][] = [
    [
      'a body declared over 10 MB',
      { kind: 'body-over-limit', declaredBytes: 10485761 },
      { method: 'POST', rawUrl: '/dev/echo' },
      'PAYLOAD_OVER_LIMIT',
      ["POST /dev/echo: request body of 10485761 bytes is over API Gateway's 10 MB payload limit -> 413"],
    ],
    [
      'a body read over 10 MB (no Content-Length)',
      { kind: 'body-over-limit' },
      { method: 'POST', rawUrl: '/dev/echo' },
      'PAYLOAD_OVER_LIMIT',
      ["POST /dev/echo: request body over API Gateway's 10 MB payload limit -> 413"],
    ],
    [
      'a path outside any stage',
      { kind: 'no-stage', stages: ['prod', 'dev'], routes },
      get('/items/1'),
      'FORBIDDEN',
      [
        '403 Forbidden for GET /items/1: the path does not start with a stage of this API.',
        ...noStageHelp,
      ],
    ],
    [
      'a stage spelt with the wrong case',
      { kind: 'no-stage', stages: ['prod', 'dev'], routes },
      get('/Prod/items/1'),
      'FORBIDDEN',
      [
        '403 Forbidden for GET /Prod/items/1: the path does not start with a stage of this API; stage names are case-sensitive: did you mean /prod?',
        ...noStageHelp,
      ],
    ],
    [
      'a method the path does not have',
      { kind: 'no-route', stage: 'dev', routes },
      { method: 'POST', rawUrl: '/dev/dynamodbmanager' },
      'MISSING_AUTHENTICATION_TOKEN',
      [
        '403 Missing Authentication Token for POST /dev/dynamodbmanager: the API has no POST method on this path.',
        '  API Gateway answers this for any path or method it has no route for (it is not about authentication;',
        '  in AWS it also means a method not deployed to the stage). Routes of stage dev:',
        '    POST   /dev/DynamoDBManager',
        '    GET    /dev/items/{id}',
        '    GET    /dev',
      ],
    ],
    [
      'no x-api-key on a key-protected method',
      { kind: 'no-api-key', header: 'missing', keyToSend: 'k'.repeat(40) },
      get('/dev/secret'),
      'INVALID_API_KEY',
      ['403 Forbidden for GET /dev/secret: the method requires an API key and the request has no x-api-key header.', `  Send the header x-api-key: ${'k'.repeat(40)}`],
    ],
    [
      'an unknown x-api-key when the template has no enabled key',
      { kind: 'no-api-key', header: 'unknown', keyToSend: undefined },
      get('/dev/secret'),
      'INVALID_API_KEY',
      [
        '403 Forbidden for GET /dev/secret: the method requires an API key and the request has an unknown x-api-key.',
        '  The template defines no enabled AWS::ApiGateway::ApiKey, so no key can pass.',
      ],
    ],
    [
      'a proxy event over 6 MB',
      { kind: 'event-over-limit', eventBytes: 6815876, hasBody: true },
      { method: 'POST', rawUrl: '/dev/echo' },
      'REQUEST_TOO_LARGE',
      [
        "POST /dev/echo: the proxy event is 6815876 bytes, over Lambda's 6 MB (6291456 bytes) request payload limit -> 413.",
        '  The event carries the body (base64 for binary media types: a third larger) plus headers and context.',
      ],
    ],
    [
      'a proxy event over 6 MB with no body',
      { kind: 'event-over-limit', eventBytes: 6300000, hasBody: false },
      get('/dev/echo'),
      'REQUEST_TOO_LARGE',
      [
        "GET /dev/echo: the proxy event is 6300000 bytes, over Lambda's 6 MB (6291456 bytes) request payload limit -> 413.",
        '  The event carries the body plus headers and context.',
      ],
    ],
    [
      'the integration timeout running out',
      { kind: 'integration-timeout', route: { ...proxy, timeoutMs: 300 } },
      get('/dev/slow'),
      'INTEGRATION_TIMEOUT',
      ['GET /dev/slow -> ANY /{proxy+}: no response within the integration timeout (300 ms) -> 504 Endpoint request timed out'],
    ],
    [
      "the function's own Timeout running out first",
      { kind: 'function-timeout', route: proxy, seconds: 1 },
      get('/dev/hang'),
      'INTERNAL_ERROR',
      [
        'GET /dev/hang -> ANY /{proxy+}: the function timed out (Timeout 1 s) -> 502 Internal server error.',
        '  (API Gateway answers 504 only when its own 29 s integration timeout runs out first.)',
      ],
    ],
    [
      'the function throwing',
      { kind: 'function-error', route: proxy, errorType: 'Error', errorMessage: 'boom' },
      get('/dev/throw'),
      'INTERNAL_ERROR',
      ['GET /dev/throw -> ANY /{proxy+}: the function failed (Error: boom) -> 502 Internal server error'],
    ],
    [
      'the execution environment dying',
      { kind: 'function-crash', route: proxy, reason: 'Runtime exited with error: exit status 7' },
      get('/dev/exit'),
      'INTERNAL_ERROR',
      ['GET /dev/exit -> ANY /{proxy+}: Runtime exited with error: exit status 7 -> 502 Internal server error'],
    ],
    [
      'a response over 6 MB',
      { kind: 'response-over-limit', route: proxy, responseBytes: 6291557 },
      get('/dev/big-response'),
      'INTERNAL_ERROR',
      [
        'GET /dev/big-response -> ANY /{proxy+}: the function\'s response is 6291557 bytes: "Response payload size exceeded maximum allowed payload size (6291556 bytes)" -> 502',
      ],
    ],
    [
      'a malformed proxy response',
      { kind: 'malformed-response', route: proxy, problem: 'body must be a string (use JSON.stringify), got an object', payload: '{"statusCode":200,"body":{"not":"a string"}}' },
      get('/dev/x'),
      'INTERNAL_ERROR',
      [
        'GET /dev/x -> ANY /{proxy+}: Malformed Lambda proxy response: body must be a string (use JSON.stringify), got an object -> 502 {"message": "Internal server error"}.',
        '  A proxy integration must return {statusCode: number, headers?: {...}, multiValueHeaders?: {...}, body?: string, isBase64Encoded?: boolean};',
        '  got: {"statusCode":200,"body":{"not":"a string"}}',
      ],
    ],
    [
      'a malformed proxy response of more than 200 characters (cut)',
      { kind: 'malformed-response', route: proxy, problem: 'the result is not JSON', payload: 'x'.repeat(201) },
      get('/dev/x'),
      'INTERNAL_ERROR',
      [
        'GET /dev/x -> ANY /{proxy+}: Malformed Lambda proxy response: the result is not JSON -> 502 {"message": "Internal server error"}.',
        '  A proxy integration must return {statusCode: number, headers?: {...}, multiValueHeaders?: {...}, body?: string, isBase64Encoded?: boolean};',
        `  got: ${'x'.repeat(200)}...`,
      ],
    ],
    // IAM refusals: 403 with AWS's message and x-amzn-ErrorType (iamRefusal), answers recorded in
    // test/local/sigv4-verifier.test.ts; 429s: https://repost.aws/knowledge-center/api-gateway-429-limit
    [
      'an unsigned request to an AWS_IAM method',
      { kind: 'iam-refused', region: 'us-east-1', verdict: { ok: false, refusal: 'missing', message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' } },
      get('/prod/items'),
      'MISSING_AUTHENTICATION_TOKEN',
      [
        '403 MissingAuthenticationTokenException for GET /prod/items: the method has AuthorizationType AWS_IAM and the request is not signed: Missing Authentication Token',
        '  Sign for service execute-api, region us-east-1, with the local credentials: AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE and the secret cli dev printed',
        '  (npx cli invoke signs with them; curl: --aws-sigv4 "aws:amz:us-east-1:execute-api" --user KEY:SECRET).',
      ],
    ],
    [
      'a signature that does not match (with the canonical request)',
      {
        kind: 'iam-refused',
        region: 'eu-west-1',
        verdict: { ok: false, refusal: 'mismatch', message: 'The request signature we calculated does not match the signature you provided.\n\n...', errorType: 'InvalidSignatureException', canonicalRequest: 'GET\n/prod/items\n', stringToSign: 'x' },
      },
      get('/prod/items'),
      'MISSING_AUTHENTICATION_TOKEN',
      [
        '403 InvalidSignatureException for GET /prod/items: the method has AuthorizationType AWS_IAM and the signature does not match: The request signature we calculated does not match the signature you provided.',
        '  Sign for service execute-api, region eu-west-1, with the local credentials: AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE and the secret cli dev printed',
        '  (npx cli invoke signs with them; curl: --aws-sigv4 "aws:amz:eu-west-1:execute-api" --user KEY:SECRET).',
        '  Canonical request the local stack computed:',
        '    GET',
        '    /prod/items',
        '    ',
      ],
    ],
    [
      "over the stage's throttle",
      { kind: 'throttled', scope: 'stage prod', settings: { rateLimit: 100, burstLimit: 200 } },
      get('/prod/items'),
      'THROTTLED',
      [
        '429 Too Many Requests for GET /prod/items: over the stage prod throttle (rate 100/s, burst 200); API Gateway refills a token bucket at the rate.',
        '  Slow down and retry with backoff, raise ThrottlingRateLimit/ThrottlingBurstLimit, or run cli dev --no-throttle.',
      ],
    ],
    [
      "a key's spent quota",
      { kind: 'quota-exceeded', plan: 'UsagePlan', keyId: 'k1', settings: { limit: 1000, period: 'DAY', offset: 0 } },
      get('/prod/items'),
      'QUOTA_EXCEEDED',
      [
        '429 Limit Exceeded for GET /prod/items: API key k1 has spent the 1000 requests per DAY of usage plan UsagePlan.',
        '  The quota starts again with the next day (UTC); raise UsagePlanQuotaLimit, or restart cli dev (local counts are in memory).',
      ],
    ],
  ];

  describe('iamRefusal', () => {
    it("gives an IAM refusal AWS's own message and error type, and leaves the others to their gateway response", () => {
      const verdict = { ok: false as const, refusal: 'expired' as const, message: 'Signature expired: a is now earlier than b (c - 5 min.)', errorType: 'InvalidSignatureException' };
      expect(iamRefusal({ kind: 'iam-refused', region: 'us-east-1', verdict })).to.deep.equal({ message: verdict.message, errorType: 'InvalidSignatureException' });
      expect(iamRefusal({ kind: 'throttled', scope: 'stage prod', settings: { rateLimit: 1, burstLimit: 1 } })).to.equal(undefined);
    });
  });

  describe('explainRefusal', () => {
    for (const [name, refusal, request, , lines] of cases) {
      it(`explains ${name}`, () => {
        expect(explainRefusal(refusal, request)).to.deep.equal(lines);
      });
    }
  });

  describe('refusalAnswer', () => {
    for (const [name, refusal, , answer] of cases) {
      it(`answers ${name} with ${answer}`, () => {
        expect(refusalAnswer(refusal)).to.equal(answer);
      });
    }
  });

  describe('routedRequest', () => {
    it('names the request and the route it reached', () => {
      expect(routedRequest({ method: 'PATCH', rawUrl: '/dev/files/a?x=1' }, proxy)).to.equal('PATCH /dev/files/a?x=1 -> ANY /{proxy+}');
    });
  });
  // A browser's CORS check of a preflight answer (https://fetch.spec.whatwg.org/#cors-preflight-fetch):
  // a 2xx status, the origin (or *), the method unless safelisted (GET, HEAD, POST), every requested header (or *).
  describe('explainPreflight', () => {
    const options = { method: 'OPTIONS', rawUrl: '/prod/items' };
    const preflight = { origin: 'https://a.test', method: 'PUT', headers: ['content-type', 'authorization'] };
    const answer = (extra: Record<string, string> = {}) =>
      new Map(Object.entries({ 'access-control-allow-origin': 'https://a.test', 'access-control-allow-methods': 'GET,PUT', 'access-control-allow-headers': 'Content-Type,Authorization', ...extra }));

    it('says nothing about a preflight the browser accepts', () => {
      expect(explainPreflight(options, preflight, 200, answer())).to.deep.equal([]);
      expect(explainPreflight(options, { ...preflight, method: 'POST' }, 200, answer({ 'access-control-allow-methods': 'GET' }))).to.deep.equal([]);
      expect(explainPreflight(options, preflight, 204, answer({ 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }))).to.deep.equal([]);
    });

    it('names every reason the browser will block the request', () => {
      const lines = explainPreflight(options, preflight, 403, new Map([['access-control-allow-origin', 'https://b.test'], ['access-control-allow-headers', 'content-type']]));
      expect(lines).to.deep.equal([
        'OPTIONS /prod/items: CORS preflight from https://a.test for PUT: the browser will block the request: its status is 403, not 2xx; Access-Control-Allow-Origin is https://b.test, not https://a.test (the origin is not in CorsAllowedOrigins); Access-Control-Allow-Methods (none) does not list PUT; Access-Control-Allow-Headers (content-type) does not list authorization.',
        "  API Gateway answers the preflight from the template's OPTIONS method; set CorsAllowedOrigins, CorsAllowedMethods and CorsAllowedHeaders (--parameter-overrides) to allow it.",
      ]);
      expect(explainPreflight(options, preflight, 200, new Map())[0]).to.include('it has no Access-Control-Allow-Origin');
    });
  });

  describe('CORS refusals', () => {
    it('explains a preflight on a path without OPTIONS, and a MOCK without a template for the Content-Type', () => {
      const noRoute = explainRefusal({ kind: 'no-route', stage: 'prod', routes: [], preflight: { origin: 'https://a.test', method: 'POST', headers: [] } }, { method: 'OPTIONS', rawUrl: '/prod/items' });
      expect(noRoute.slice(-2)).to.deep.equal([
        "  This is a browser's CORS preflight (Origin https://a.test, POST): the path has no OPTIONS method, so the browser blocks the request.",
        '  Allow the origin with --parameter-overrides CorsAllowedOrigins=https://a.test (comma-separated for several); the template then answers preflights on every resource.',
      ]);
      const media: Refusal = { kind: 'unsupported-media-type', route: { httpMethod: 'OPTIONS', resourcePath: '/items', timeoutMs: 29_000 }, contentType: 'text/plain', templates: ['application/json'] };
      expect(refusalAnswer(media)).to.equal('UNSUPPORTED_MEDIA_TYPE');
      expect(explainRefusal(media, { method: 'OPTIONS', rawUrl: '/prod/items' })).to.deep.equal([
        'OPTIONS /prod/items -> OPTIONS /items: the MOCK integration has no request template for Content-Type text/plain and PassthroughBehavior NEVER -> 415 Unsupported Media Type.',
        '  Its request templates: application/json.',
      ]);
    });
  });
});
