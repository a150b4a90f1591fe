import { expect } from 'chai';
import { UsageError } from '../../cli/errors.js';
import { parseRequestFile, subsetMismatch } from '../../cli/invoke/request-file.js';

describe('cli/invoke/request-file', () => {
  describe('parseRequestFile', () => {
    it('reads an RPC payload in the original format and strips "expect" from what is sent', () => {
      const r = parseRequestFile('a.json', JSON.stringify({ operation: 'read', tableName: 't', payload: { Key: { id: '1' } }, expect: { status: 200, body: {} } }));
      expect(r).to.deep.equal({
        file: 'a.json',
        kind: 'rpc',
        method: 'POST',
        path: '',
        headers: { 'content-type': 'application/json' },
        body: '{"operation":"read","tableName":"t","payload":{"Key":{"id":"1"}}}',
        expect: { status: 200, body: {} },
      });
    });

    it('reads a REST request, JSON-encoding an object body and adding the query string', () => {
      const r = parseRequestFile('b.json', JSON.stringify({ method: 'post', path: '/items', query: { limit: 2, tag: ['a', 'b'] }, body: { id: 'x' } }));
      expect(r).to.deep.include({ kind: 'rest', method: 'POST', path: '/items?limit=2&tag=a&tag=b', body: '{"id":"x"}' });
      expect(r.headers).to.deep.equal({ 'content-type': 'application/json' });
    });

    const bad: [string, string, RegExp][] = [
      ['not JSON', '{', /^c\.json: not valid JSON/],
      ['an array', '[]', /^c\.json: must hold a JSON object/],
      ['neither shape', '{"hello":1}', /has neither "operation" \(RPC payload\) nor "method"\/"path"/],
      ['a non-string operation', '{"operation":1}', /"operation" must be a string/],
      ['a bad method', '{"method":"FETCH","path":"/x"}', /"method" must be one of GET, HEAD, POST/],
      ['a relative path', '{"method":"GET","path":"items"}', /"path" must be a string starting with \//],
      ['an unknown REST key', '{"method":"GET","path":"/x","bdy":1}', /unknown key "bdy" in a REST request/],
      ['a bad expect.status', '{"operation":"ping","expect":{"status":"200"}}', /"expect\.status" must be an HTTP status code/],
      ['an unknown expect key', '{"operation":"ping","expect":{"code":200}}', /"expect" has unknown key "code"/],
      ['a non-string header', '{"method":"GET","path":"/x","headers":{"a":1}}', /"headers\.a" must be a string/],
    ];
    for (const [name, text, message] of bad) {
      it(`rejects ${name}, naming the file`, () => {
        expect(() => parseRequestFile('c.json', text)).to.throw(UsageError, message);
      });
    }
  });

  describe('subsetMismatch', () => {
    const cases: [unknown, unknown, string | undefined][] = [
      [{ a: 1 }, { a: 1, b: 2 }, undefined],
      [{ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2, d: 3 }] } }, undefined],
      [{}, {}, undefined],
      [{}, { Item: {} }, 'body: expected {}, got {"Item":{}}'],
      [{ a: 1 }, { a: 2 }, 'body.a: expected 1, got 2'],
      [{ a: 1 }, {}, 'body.a: missing'],
      [[1, 2], [1], 'body: expected 2 items, got 1'],
      ['pong', 'pong', undefined],
      ['pong', 'ping', 'body: expected "pong", got "ping"'],
      [{ a: 1 }, 'text', 'body: expected an object, got "text"'],
    ];
    for (const [expected, actual, result] of cases) {
      it(`${result === undefined ? 'matches' : 'does not match'} ${JSON.stringify(expected)} in ${JSON.stringify(actual)}`, () => {
        expect(subsetMismatch(expected, actual)).to.equal(result);
      });
    }
  });
});
