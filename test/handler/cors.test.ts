/**
 * The function's CORS headers. With a Lambda proxy integration API Gateway passes the function's
 * headers through, so "your backend must return the applicable CORS headers"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html#apigateway-enable-cors-proxy);
 * a browser lets a page read an answer only when Access-Control-Allow-Origin is its origin or `*`
 * and reads only the safelisted headers plus Access-Control-Expose-Headers
 * (https://fetch.spec.whatwg.org/#cors-check, https://fetch.spec.whatwg.org/#http-access-control-expose-headers).
 */
import { expect } from 'chai';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHandler } from '../../handler/create-handler.js';
import { corsHeaders, parseAllowedOrigins } from '../../handler/cors.js';
import { createDocumentClient } from '../../handler/document-client.js';
import { LOCAL_CREDENTIALS, startTestDynamo, type TestDynamo } from '../support/dynamo.js';
import { toReply } from './harness.js';
import { proxyEvent } from './proxy-event.js';

const APP = 'https://app.example.com';
const ADMIN = 'http://localhost:5173';

describe('handler/cors', () => {
  describe('parseAllowedOrigins', () => {
    it('splits the comma-joined parameter and drops empty values (the empty default is CORS off)', () => {
      expect(parseAllowedOrigins(undefined)).to.deep.equal([]);
      expect(parseAllowedOrigins('')).to.deep.equal([]);
      expect(parseAllowedOrigins(`${APP}, ${ADMIN},`)).to.deep.equal([APP, ADMIN]);
    });
  });

  describe('corsHeaders', () => {
    const event = (headers: Record<string, string>) => proxyEvent('GET', '/items', { headers });

    it('reflects an allowed origin with Vary: Origin and exposes Location and x-amzn-RequestId', () => {
      expect(corsHeaders(event({ Origin: ADMIN }), [APP, ADMIN])).to.deep.equal({
        'Access-Control-Allow-Origin': ADMIN,
        'Access-Control-Expose-Headers': 'Location,x-amzn-RequestId',
        Vary: 'Origin',
      });
    });

    it('finds the header whatever the case of its name (HTTP/2 clients send origin)', () => {
      expect(corsHeaders(event({ origin: APP }), [APP])['Access-Control-Allow-Origin']).to.equal(APP);
    });

    it('gives a refused origin, or a request without Origin, no CORS header but Vary: Origin', () => {
      expect(corsHeaders(event({ Origin: 'https://evil.example' }), [APP])).to.deep.equal({ Vary: 'Origin' });
      expect(corsHeaders(event({ Origin: `${APP}/` }), [APP])).to.deep.equal({ Vary: 'Origin' });
      expect(corsHeaders(event({ Origin: 'HTTPS://APP.EXAMPLE.COM' }), [APP])).to.deep.equal({ Vary: 'Origin' });
      expect(corsHeaders(event({}), [APP])).to.deep.equal({ Vary: 'Origin' });
    });

    it('reflects nothing when the request carries two Origin headers', () => {
      const twice = { ...event({}), multiValueHeaders: { Origin: [APP, ADMIN] } };
      expect(corsHeaders(twice, [APP, ADMIN])).to.deep.equal({ Vary: 'Origin' });
    });

    it('adds nothing when CORS is off', () => {
      expect(corsHeaders(event({ Origin: APP }), [])).to.deep.equal({});
    });
  });

  describe('createHandler with allowedOrigins', () => {
    let dynamo: TestDynamo;
    before(async () => {
      dynamo = await startTestDynamo();
      await dynamo.createTable('cors-table');
    });
    after(() => dynamo.stop());
    const handlerWith = (allowedOrigins: string[]) =>
      createHandler({
        db: createDocumentClient(new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS })),
        tableName: 'cors-table',
        log: () => {},
        allowedOrigins,
      });

    it('adds the headers to a 201 with Location, to a 4xx and to a 500, keeping the route headers', async () => {
      const handler = handlerWith([APP]);
      const created = toReply(await handler(proxyEvent('POST', '/items', { body: { id: 'c1' }, headers: { Origin: APP } })));
      expect(created.status).to.equal(201);
      expect(created.headers).to.include({ 'Access-Control-Allow-Origin': APP, Vary: 'Origin', 'Content-Type': 'application/json' });
      expect(created.headers.Location).to.be.a('string');
      const missing = toReply(await handler(proxyEvent('GET', '/items/nope', { headers: { Origin: APP } })));
      expect(missing.status).to.equal(404);
      expect(missing.headers['Access-Control-Allow-Origin']).to.equal(APP);
      const broken = createHandler({ db: {} as never, tableName: undefined, log: () => {}, allowedOrigins: [APP] });
      const failed = toReply(await broken(proxyEvent('GET', '/items', { headers: { Origin: APP } })));
      expect(failed.status).to.equal(500);
      expect(failed.headers['Access-Control-Allow-Origin']).to.equal(APP);
    });

    it('answers a refused origin normally, without Access-Control-Allow-Origin', async () => {
      const reply = toReply(await handlerWith([APP])(proxyEvent('GET', '/items', { headers: { Origin: 'https://evil.example' } })));
      expect(reply.status).to.equal(200);
      expect(reply.headers).not.to.have.property('Access-Control-Allow-Origin');
      expect(reply.headers.Vary).to.equal('Origin');
    });
  });
});
