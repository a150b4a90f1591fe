/**
 * cli/postman/collection.ts without a server: the Postman-side subset check agrees with `cli invoke
 * --check`'s on every case, each auth mode gets the auth Postman needs, and environments carry
 * what their mode reads and nothing else.
 * Postman's auth types: https://learning.postman.com/docs/sending-requests/authorization/authorization-types/
 */
import { expect } from 'chai';
import { parseRequestFile, subsetMismatch } from '../../cli/invoke/request-file.js';
import { buildCollection, buildEnvironment, collectionAuth, COLLECTION_SCHEMA, expectScript, SUBSET_MISMATCH_SOURCE } from '../../cli/postman/collection.js';

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const postmanSubset = new Function(`${SUBSET_MISMATCH_SOURCE}; return subsetMismatch;`)() as (e: unknown, a: unknown, p: string) => string | undefined;

describe('cli/postman/collection', () => {
  const cases: [string, unknown, unknown][] = [
    ['equal scalars', 'pong', 'pong'],
    ['different scalars', 5, 6],
    ['number vs string', 5, '5'],
    ['null vs object', null, {}],
    ['subset of keys', { a: 1 }, { a: 1, b: 2 }],
    ['missing key', { a: 1, c: 3 }, { a: 1 }],
    ['{} vs non-empty', {}, { a: 1 }],
    ['{} vs {}', {}, {}],
    ['array length', [1, 2], [1]],
    ['array items', [{ id: 'x' }], [{ id: 'y' }]],
    ['array vs object', [1], { 0: 1 }],
    ['nested', { Items: [{ id: '1', n: { m: true } }] }, { Items: [{ id: '1', n: { m: false } }], Count: 1 }],
    ['nothing', { a: 1 }, undefined],
    ['NaN is NaN', Number.NaN, Number.NaN],
  ];
  for (const [name, expected, actual] of cases) {
    it(`the Postman subset check says what cli invoke's says: ${name}`, () => {
      expect(postmanSubset(expected, actual, 'body')).to.equal(subsetMismatch(expected, actual, 'body'));
    });
  }

  it('turns RPC and REST samples into requests on the environment URLs, in order, with their checks', () => {
    const rpc = parseRequestFile('samples/01-ping.json', JSON.stringify({ operation: 'ping', expect: { status: 200, body: 'pong' } }));
    const rest = parseRequestFile('samples/14-list.json', JSON.stringify({ method: 'GET', path: '/items', query: { limit: 10 }, expect: { status: 200 } }));
    const bare = parseRequestFile('samples/99-put.json', JSON.stringify({ method: 'PUT', path: '/items/a', body: 'text' }));
    const c = buildCollection([rpc, rest, bare], { name: 'n', authMode: 'NONE' });
    expect(c.info.schema).to.equal(COLLECTION_SCHEMA);
    expect(c.item.map((i) => [i.name, i.request.method, i.request.url])).to.deep.equal([
      ['01-ping', 'POST', '{{DynamoDBManagerUrl}}'],
      ['14-list', 'GET', '{{ApiEndpoint}}/items?limit=10'],
      ['99-put', 'PUT', '{{ApiEndpoint}}/items/a'],
    ]);
    expect(c.item[0]!.request.body).to.deep.equal({ mode: 'raw', raw: '{"operation":"ping"}', options: { raw: { language: 'json' } } });
    expect(c.item[2]!.request.body?.options?.raw.language).to.equal('text');
    expect(c.item[0]!.event![0]!.script.exec.join('\n')).to.include("pm.response.to.have.status(200)").and.include('subsetMismatch("pong", pm.response.json()');
    expect(c.item[1]!.event![0]!.script.exec.join('\n')).to.not.include('subsetMismatch');
    expect(c.item[2]!.event).to.equal(undefined);
    expect(expectScript({})).to.deep.equal([]);
  });

  it('gives each auth mode the Postman auth its callers need', () => {
    expect(collectionAuth('NONE')).to.deep.equal({ type: 'noauth', noauth: [] });
    expect(collectionAuth('API_KEY').apikey).to.deep.include({ key: 'key', value: 'x-api-key' });
    expect(collectionAuth('COGNITO_USER_POOLS').apikey).to.deep.include({ key: 'key', value: 'Authorization' });
    const v4 = Object.fromEntries(collectionAuth('AWS_IAM').awsv4!.map((kv) => [kv.key, kv.value]));
    expect(v4).to.deep.equal({ accessKey: '{{awsAccessKeyId}}', secretKey: '{{awsSecretAccessKey}}', sessionToken: '{{awsSessionToken}}', region: '{{awsRegion}}', service: 'execute-api' });
  });

  it('puts in an environment only the variables its mode reads, secrets marked secret', () => {
    const target = { name: 'dev', apiEndpoint: 'https://x/dev', rpcUrl: 'https://x/dev/DynamoDBManager', region: 'eu-west-1', apiKey: 'k', accessKeyId: 'AKID', secretAccessKey: 'S' };
    const keys = (mode: Parameters<typeof buildEnvironment>[1]) => buildEnvironment(target, mode).values.map((v) => `${v.key}=${v.value}${v.type === 'secret' ? ' (secret)' : ''}`);
    expect(keys('NONE')).to.deep.equal(['ApiEndpoint=https://x/dev', 'DynamoDBManagerUrl=https://x/dev/DynamoDBManager']);
    expect(keys('API_KEY')).to.include('apiKey=k (secret)');
    expect(keys('COGNITO_USER_POOLS')).to.include('token= (secret)');
    expect(keys('AWS_IAM')).to.include.members(['awsRegion=eu-west-1', 'awsAccessKeyId=AKID (secret)', 'awsSecretAccessKey=S (secret)', 'awsSessionToken= (secret)']);
  });
});
