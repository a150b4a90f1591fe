/**
 * Bodies built to cost the function time or memory, or to slip bytes past it (issue 8, items 1-3),
 * against a real dynalite table. No timings: each case asserts the answer, and the inputs are large
 * enough that the code before the fix could not give it (a quadratic check of a 1 MB number takes
 * about half an hour; 1,000,000 empty maps were built in full before the item size was checked).
 */
import { expect } from 'chai';
import { buildProxyEvent, type ProxyEventContext } from '../../cli/local/apigateway-event.js';
import { RPC_BODY_BUDGET } from '../../handler/dynamodb-manager.js';
import { MAX_ITEM_BYTES, MAX_ITEM_VALUES } from '../../handler/item-value.js';
import { startHarness, toReply, type Harness, type Reply } from './harness.js';
import type { ProxyEventOptions } from './proxy-event.js';

const zeros = (n: number) => '0'.repeat(n);
/** `1`, n zeros, `1`: the shape whose trailing-zero trim was quadratic. */
const oneZerosOne = (n: number) => `1${zeros(n)}1`;

describe('handler: hostile request bodies', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('hostile-table');
  });
  after(() => h.stop());

  async function rejected(call: () => Promise<Reply>, message: string | RegExp): Promise<void> {
    const before = await h.scanAll();
    const reply = await call();
    expect(reply.status, String(reply.json?.message).slice(0, 300)).to.equal(400);
    if (typeof message === 'string') expect(reply.json.message).to.equal(message);
    else expect(reply.json.message).to.match(message);
    expect(await h.scanAll()).to.deep.equal(before);
  }
  const post = (body: string, options: ProxyEventOptions = {}) => () => h.call('POST', '/items', { body, ...options });
  const rpc = (body: string) => () => h.call('POST', '/DynamoDBManager', { body });

  describe('numbers (linear checks, DynamoDB answers)', () => {
    // DynamoDB: at most 38 significant digits, leading and trailing zeros not significant,
    // magnitude 1E-130 .. 9.99E+125.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
    it('refuses a 100 KB number of 1, zeros and 1 with a 400 naming the 38-digit limit', async () => {
      const n = oneZerosOne(100 * 1024 - 2);
      await rejected(post(`{"id":"n","v":${n}}`), `request body.v: the number has ${n.length} significant digits; DynamoDB stores at most 38`);
    });

    it('refuses 1 MB numbers of that shape, in an item, in ExpressionAttributeValues and as Limit', async () => {
      const n = oneZerosOne(1024 * 1024);
      await rejected(post(`{"id":"n","v":${n}}`), /^request body\.v: the number has 1048578 significant digits; DynamoDB stores at most 38$/);
      await rejected(post(`{"id":"n","v":1.${zeros(1024 * 1024)}1}`), /^request body\.v: the number has 1048578 significant digits/);
      await rejected(
        rpc(`{"operation":"update","payload":{"Key":{"id":"n"},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":${n}}}}`),
        /^payload\.ExpressionAttributeValues\[":v"\]: the number has 1048578 significant digits; DynamoDB stores at most 38$/,
      );
      await rejected(
        rpc(`{"operation":"list","payload":{"Limit":${n}}}`),
        `payload.Limit must be a positive integer (at most 1000), got ${n.slice(0, 64)}... (1048578 characters)`,
      );
    });

    it('keeps DynamoDB answers for long numbers whose zeros are not significant', async () => {
      const stored = async (literal: string, expected: string) => {
        const reply = await h.call('PUT', '/items/z', { body: `{"v":${literal}}` });
        expect(reply.status, literal.slice(0, 50)).to.be.oneOf([200, 201]);
        const item = (await h.scanAll()).find((i) => i.id!.S === 'z')!;
        expect(item.v!.N, literal.slice(0, 50)).to.equal(expected);
      };
      await stored(`1.${zeros(1024 * 1024)}`, '1');
      await stored(`0.${zeros(1024 * 1024)}`, '0');
      await stored(`1${zeros(125)}`, `1${zeros(125)}`);
      await stored(`${'9'.repeat(38)}${zeros(88)}`, `${'9'.repeat(38)}${zeros(88)}`);
      await stored(`1e${zeros(1024 * 1024)}2`, '100');
      await rejected(post(`{"id":"m","v":1${zeros(1024 * 1024)}}`), /^request body\.v: the number is larger in magnitude than DynamoDB supports/);
      await rejected(post(`{"id":"m","v":0.${zeros(1024 * 1024)}1}`), /^request body\.v: the number is smaller in magnitude than DynamoDB supports/);
      await rejected(post(`{"id":"m","v":${'9'.repeat(38)}${zeros(89)}}`), /^request body\.v: the number is larger in magnitude/);
    });
  });

  describe('value budget', () => {
    it('refuses 1,000,000 empty maps (3 MB) with a 400 naming the limit, before building them', async () => {
      const body = `{"id":"x","a":[${Array(1_000_000).fill('{}').join(',')}]}`;
      await rejected(
        post(body),
        `request body holds more than ${MAX_ITEM_VALUES} JSON values (the next one is at position ${15 + 3 * (MAX_ITEM_VALUES - 3)}); an item is at most 400 KB and every value in it takes at least 1 byte by DynamoDB's item size rules, so no item holds more`,
      );
    });

    it('still accepts the largest items: a list of empty strings just under 400 KB', async () => {
      // Item size: "id" 2 + "x" 1, "a" 1 + list 3 + 1 per element (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
      const elements = MAX_ITEM_BYTES - 2 - 1 - 1 - 3;
      const reply = await h.call('POST', '/items', { body: `{"id":"x","a":[${Array(elements).fill('""').join(',')}]}` });
      expect(reply.status, reply.json?.message).to.equal(201);
      expect(reply.json.a).to.have.length(elements);
      expect((await h.call('DELETE', '/items/x')).status).to.equal(204);
    });

    it('refuses an RPC body with more values than a valid request can hold', async () => {
      const body = `{"operation":"echo","payload":[${Array(RPC_BODY_BUDGET.maxValues).fill('0').join(',')}]}`;
      await rejected(rpc(body), new RegExp(`^request body holds more than ${RPC_BODY_BUDGET.maxValues} JSON values \\(the next one is at position \\d+\\); a request holds at most one item`));
    });
  });

  describe('bytes that are not UTF-8', () => {
    const gateway: ProxyEventContext = {
      stage: 'prod',
      stageVariables: null,
      resourcePath: '/items',
      resourceId: 'res',
      pathParameters: null,
      apiId: 'api',
      accountId: '000000000000',
      requestId: 'r',
      extendedRequestId: 'e',
      traceId: 't',
      requestTimeEpoch: 0,
      binaryMediaTypes: [],
      deploymentId: 'd',
    };
    /** The bytes as the local API Gateway turns them into an event (U+FFFD in place of invalid bytes, as AWS does). */
    const sendBytes = async (bytes: Buffer) =>
      toReply(
        await h.handler(
          buildProxyEvent(
            { httpMethod: 'POST', path: '/items', query: '', rawHeaders: ['Content-Type', 'application/json'], body: bytes, sourceIp: '127.0.0.1', protocol: 'HTTP/1.1', port: 1 },
            gateway,
          ),
        ),
      );

    it('refuses ff fe inside a text body with a 400, so different bytes cannot collapse into one id', async () => {
      for (const bad of [[0xff, 0xfe], [0xfe, 0xff], [0xc3]]) {
        const bytes = Buffer.concat([Buffer.from('{"id":"'), Buffer.from(bad), Buffer.from('"}')]);
        await rejected(() => sendBytes(bytes), /^request body is not valid UTF-8: it holds U\+FFFD at position 7, which API Gateway puts in place of bytes that are not UTF-8/);
      }
    });

    it('refuses them in a base64 body too, where the bytes themselves arrive', async () => {
      const bytes = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      await rejected(post(bytes.toString('base64'), { isBase64Encoded: true }), 'request body is not valid UTF-8');
    });

    it('stores U+FFFD sent as the JSON escape \\ufffd, and valid multi-byte UTF-8', async () => {
      const reply = await sendBytes(Buffer.from('{"id":"u","s":"\\ufffd","t":"é😀","m":{"k":{}}}'));
      expect(reply.status, reply.json?.message).to.equal(201);
      expect(reply.json).to.deep.equal({ id: 'u', s: '\uFFFD', t: 'é😀', m: { k: {} } });
    });
  });
});
