import { expect } from 'chai';
import { BadRequestError } from '../../handler/errors.js';
import { decodePageToken, encodePageToken } from '../../handler/page-token.js';

describe('handler/page-token', () => {
  describe('encodePageToken / decodePageToken', () => {
    it('round-trips any key, including unicode and URL-unsafe characters', () => {
      for (const id of ['a', 'a b/c?d=e&f', 'é😀', 'x'.repeat(2048)]) {
        const token = encodePageToken({ id });
        expect(token).to.match(/^[A-Za-z0-9_-]+$/);
        expect(decodePageToken(token, 'next')).to.equal(id);
      }
    });

    const bad: [string, string][] = [
      ['not base64url', 'abc+/='],
      ['not JSON', Buffer.from('nope').toString('base64url')],
      ['an array', Buffer.from('["a"]').toString('base64url')],
      ['another key', Buffer.from('{"idx":"a"}').toString('base64url')],
      ['an extra key', Buffer.from('{"id":"a","x":1}').toString('base64url')],
      ['a number id', Buffer.from('{"id":1}').toString('base64url')],
      ['an empty id', Buffer.from('{"id":""}').toString('base64url')],
      ['an oversized id', Buffer.from(JSON.stringify({ id: 'x'.repeat(2049) })).toString('base64url')],
      ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')],
    ];
    for (const [what, token] of bad) {
      it(`rejects a token that is ${what}`, () => {
        expect(() => decodePageToken(token, 'query parameter next')).to.throw(BadRequestError, /^query parameter next is not a valid page token/);
      });
    }
  });
});
