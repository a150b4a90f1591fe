/**
 * CORS on the local stack, from the project's own template (the OPTIONS MOCK methods, the
 * DEFAULT_4XX/5XX gateway responses) and handler (handler/cors.ts), over HTTP.
 *
 * AWS sources next to each case:
 * - preflight = the OPTIONS method's MOCK integration: 200, its static Access-Control-Allow-*
 *   values, no backend call: https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
 *   and https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 * - the Origin reflected by the response template's $context.responseOverride.header:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 *   (the template AWS CDK's defaultCorsPreflightOptions generates for several origins,
 *   aws-cdk-lib/aws-apigateway/test/cors.test.ts "allowOrigins with multiple origins")
 * - a path without the OPTIONS method: 403 Missing Authentication Token, as any unknown route:
 *   https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
 * - gateway responses adding headers to API Gateway's own errors:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 * - 415 for a content type without a request template under PassthroughBehavior NEVER:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
 */
import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP = 'http://app.test';
const ADMIN = 'http://admin.test:8080';
const EVIL = 'http://evil.test';
const PREFLIGHT_HEADERS = 'content-type,authorization';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly these headers (fetch would refuse to set Origin). */
function send(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const preflight = (stack: LocalStack, path: string, origin: string, extra: Record<string, string> = {}) =>
  send(`${stack.endpoint}${path}`, 'OPTIONS', { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': PREFLIGHT_HEADERS, ...extra });

describe('cli/local CORS (the project template and handler)', () => {
  describe('with several allowed origins', () => {
    let stack: LocalStack;
    const reporter = createMemoryReporter();
    const terminal = () => reporter.stderr.join('\n');
    before(async () => {
      stack = await startLocalStack({ root: ROOT, port: 0, reporter, parameterOverrides: { AuthMode: 'NONE', CorsAllowedOrigins: `${APP},${ADMIN}` } });
    });
    after(() => stack?.stop());

    it('answers a preflight from an allowed origin on every resource with 200 and the Access-Control-Allow-* headers, without calling the function', async () => {
      for (const path of ['/items', '/items/some%20id', '/DynamoDBManager']) {
        const before = reporter.stderr.length;
        const res = await preflight(stack, path, ADMIN);
        expect(res.status, path).to.equal(200);
        expect(res.headers['access-control-allow-origin'], path).to.equal(ADMIN);
        expect(res.headers['access-control-allow-methods']).to.equal('GET,POST,PUT,PATCH,DELETE,OPTIONS');
        expect(res.headers['access-control-allow-headers']).to.equal('Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Api-Key');
        expect(res.headers['access-control-max-age']).to.equal('600');
        expect(res.headers.vary).to.equal('Origin');
        expect(res.headers['content-type']).to.equal('application/json');
        expect(res.headers['x-amzn-requestid']).to.match(/^[0-9a-f-]{36}$/);
        expect(res.body).to.equal('');
        // The function logs one JSON line per request it serves: none for a preflight.
        expect(reporter.stderr.slice(before).join('\n')).not.to.include('"route"');
        expect(reporter.stderr.slice(before).join('\n')).not.to.include('browser will block');
      }
      const first = await preflight(stack, '/items', APP);
      expect(first.headers['access-control-allow-origin']).to.equal(APP);
    });

    it('answers a refused origin as the template does (the first origin, which its browser rejects) and says why', async () => {
      const res = await preflight(stack, '/items', EVIL);
      expect(res.status).to.equal(200);
      expect(res.headers['access-control-allow-origin']).to.equal(APP);
      expect(terminal()).to.include(`CORS preflight from ${EVIL} for POST: the browser will block the request: Access-Control-Allow-Origin is ${APP}, not ${EVIL}`);
    });

    it('says why a preflight asking for a header the template does not allow will be blocked', async () => {
      const res = await preflight(stack, '/items', APP, { 'Access-Control-Request-Headers': 'content-type,x-custom' });
      expect(res.status).to.equal(200);
      expect(terminal()).to.include('does not list x-custom');
    });

    it("adds the function's CORS headers for an allowed origin, and none for a refused one", async () => {
      const created = await send(`${stack.endpoint}/items`, 'POST', { Origin: ADMIN, 'Content-Type': 'application/json' }, Buffer.from('{"id":"cors-1"}'));
      expect(created.status).to.equal(201);
      expect(created.headers['access-control-allow-origin']).to.equal(ADMIN);
      expect(created.headers['access-control-expose-headers']).to.equal('Location,x-amzn-RequestId');
      expect(created.headers.vary).to.equal('Origin');
      expect(created.headers.location).to.be.a('string');
      // The function's log line (what the preflight test looks for and does not find).
      // The function's stdout reaches the terminal through the worker's stream, after the answer.
      while (!terminal().includes('"route":"POST /items"')) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(terminal()).to.include('"route":"POST /items"');
      const refused = await send(`${stack.endpoint}/items/cors-1`, 'GET', { Origin: EVIL });
      expect(refused.status).to.equal(200);
      expect(refused.headers).not.to.have.property('access-control-allow-origin');
      expect(refused.headers.vary).to.equal('Origin');
    });

    it("adds DEFAULT_4XX's headers to API Gateway's own errors: an unknown route, a path without OPTIONS, a Lambda request over 6 MB", async () => {
      const unknown = await send(`${stack.endpoint}/nope`, 'GET', { Origin: APP });
      expect(unknown.status).to.equal(403);
      expect(unknown.body).to.equal('{"message":"Missing Authentication Token"}');
      // Several origins: a gateway response holds static values only, so '*'.
      expect(unknown.headers['access-control-allow-origin']).to.equal('*');
      expect(unknown.headers['access-control-expose-headers']).to.equal('x-amzn-RequestId,x-amzn-ErrorType');
      expect(unknown.headers['x-amzn-errortype']).to.equal('MissingAuthenticationTokenException');
      // The root resource has no methods, so no OPTIONS either.
      const root = await preflight(stack, '/', APP);
      expect(root.status).to.equal(403);
      expect(root.headers['access-control-allow-origin']).to.equal('*');
      // A body the method's model accepts (an RPC echo), so the request reaches the integration,
      // whose 6 MB limit answers; an invalid one would get the validator's 400 first.
      const echo = Buffer.from(JSON.stringify({ operation: 'echo', payload: { text: 'x'.repeat(7 * 1024 * 1024) } }));
      const big = await send(`${stack.endpoint}/DynamoDBManager`, 'POST', { Origin: APP, 'Content-Type': 'application/json' }, echo);
      expect(big.status).to.equal(413);
      expect(big.body).to.equal('{"message": "Request Too Long"}');
      expect(big.headers['access-control-allow-origin']).to.equal('*');
    });

    it('answers 415 with the CORS headers to an OPTIONS whose Content-Type has no request template', async () => {
      const res = await preflight(stack, '/items', APP, { 'Content-Type': 'text/plain' });
      expect(res.status).to.equal(415);
      expect(res.body).to.equal('{"message":"Unsupported Media Type"}');
      expect(res.headers['access-control-allow-origin']).to.equal('*');
      expect(terminal()).to.include('has no request template for Content-Type text/plain');
    });

    it('leaves a body over 10 MB (answered before API Gateway proper) without gateway response headers', async () => {
      const res = await send(`${stack.endpoint}/items`, 'POST', { Origin: APP, 'Content-Length': String(11 * 1024 * 1024) });
      expect(res.status).to.equal(413);
      expect(res.headers).not.to.have.property('access-control-allow-origin');
    });
  });

  describe('with one allowed origin', () => {
    let stack: LocalStack;
    before(async () => {
      stack = await startLocalStack({ root: ROOT, port: 0, parameterOverrides: { AuthMode: 'NONE', CorsAllowedOrigins: APP } });
    });
    after(() => stack?.stop());

    it('names the origin, statically, in the preflight and in the gateway responses', async () => {
      const res = await preflight(stack, '/items/x', APP);
      expect(res.headers['access-control-allow-origin']).to.equal(APP);
      const refused = await preflight(stack, '/items/x', EVIL);
      expect(refused.headers['access-control-allow-origin']).to.equal(APP);
      const unknown = await send(`${stack.endpoint}/nope`, 'GET', { Origin: EVIL });
      expect(unknown.status).to.equal(403);
      expect(unknown.headers['access-control-allow-origin']).to.equal(APP);
    });
  });

  describe('with CORS off (the default)', () => {
    let stack: LocalStack;
    const reporter = createMemoryReporter();
    before(async () => {
      stack = await startLocalStack({ root: ROOT, port: 0, reporter, parameterOverrides: { AuthMode: 'NONE' } });
    });
    after(() => stack?.stop());

    it('answers a preflight 403 Missing Authentication Token, without CORS headers, and says how to allow the origin', async () => {
      const res = await preflight(stack, '/items', APP);
      expect(res.status).to.equal(403);
      expect(res.body).to.equal('{"message":"Missing Authentication Token"}');
      expect(res.headers).not.to.have.property('access-control-allow-origin');
      const said = reporter.stderr.join('\n');
      expect(said).to.include(`This is a browser's CORS preflight (Origin ${APP}, POST): the path has no OPTIONS method`);
      expect(said).to.include(`--parameter-overrides CorsAllowedOrigins=${APP}`);
    });

    it('adds no CORS header to the function’s answers', async () => {
      const res = await send(`${stack.endpoint}/items`, 'GET', { Origin: APP });
      expect(res.status).to.equal(200);
      expect(res.headers).not.to.have.property('access-control-allow-origin');
      expect(res.headers).not.to.have.property('vary');
    });
  });

  describe('parameter checks', () => {
    it('refuses an origin with a path, naming the value, before anything starts', async () => {
      let error: unknown;
      await startLocalStack({ root: ROOT, port: 0, parameterOverrides: { CorsAllowedOrigins: `${APP},https://x.test/app` } }).then(
        (s) => s.stop(),
        (e: unknown) => (error = e),
      );
      expect((error as Error).message).to.equal(
        'parameter CorsAllowedOrigins (--parameter-overrides) has the value "https://x.test/app", which does not match ^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)?$',
      );
    });
  });
});
