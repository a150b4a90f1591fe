import { expect } from 'chai';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_PATCH_ATTRIBUTES } from '../../handler/items-api.js';
import { startHarness, type Harness } from './harness.js';
import type { ProxyEventOptions } from './proxy-event.js';

describe('handler/items-api (REST /items against dynalite)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('items-table');
  });
  after(() => h.stop());

  async function rejected(method: string, path: string, options: ProxyEventOptions, status: number, message: string | RegExp) {
    const before = await h.scanAll();
    const reply = await h.call(method, path, options);
    expect(reply.status, JSON.stringify(reply.json)).to.equal(status);
    expect(reply.headers['Content-Type']).to.equal('application/json');
    expect(Object.keys(reply.json)).to.deep.equal(['message', 'requestId']);
    if (typeof message === 'string') expect(reply.json.message).to.equal(message);
    else expect(reply.json.message).to.match(message);
    expect(await h.scanAll()).to.deep.equal(before);
    return reply;
  }

  describe('POST /items', () => {
    it('creates the item: 201, the item, and a Location under the stage path', async () => {
      const reply = await h.call('POST', '/items', { body: { id: 'a b/c', price: 12.75, tags: ['x'] } });
      expect(reply.status).to.equal(201);
      expect(reply.json).to.deep.equal({ id: 'a b/c', price: 12.75, tags: ['x'] });
      expect(reply.headers.Location).to.equal('/prod/items/a%20b%2Fc');
      expect(await h.scanAll()).to.deep.equal([{ id: { S: 'a b/c' }, price: { N: '12.75' }, tags: { L: [{ S: 'x' }] } }]);
    });

    it('serves the item at its Location (percent-encoded path parameter)', async () => {
      const reply = await h.call('GET', '/items/a%20b%2Fc');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ id: 'a b/c', price: 12.75, tags: ['x'] });
    });

    it('answers 409 when the id exists and keeps the stored item', async () => {
      await rejected('POST', '/items', { body: { id: 'a b/c', price: 1 } }, 409, 'Item "a b/c" already exists');
    });

    const bad: [string, unknown, string | RegExp][] = [
      ['no body', undefined, 'request body is required (a JSON object)'],
      ['a body that is not JSON', '{id:1}', /^request body is not valid JSON: unexpected "i", expected a string key at position 1$/],
      ['an array body', '[]', 'request body must be a JSON object (the item), got an array'],
      ['a body without id', { name: 'x' }, 'request body is missing the key attribute "id"'],
      ['an empty id', { id: '' }, 'request body.id must not be empty (DynamoDB key attributes cannot be empty strings)'],
      ['a numeric id', { id: 12 }, 'request body.id must be a string (the table key "id" is of type S), got a number'],
      ['a number out of range', '{"id":"n","v":1e999}', /^request body\.v: the number is larger in magnitude/],
      ['a __proto__ attribute', '{"id":"n","__proto__":{"polluted":1}}', /^request body uses the attribute name "__proto__"/],
    ];
    for (const [name, body, message] of bad) {
      it(`rejects ${name} with 400 and writes nothing`, async () => {
        await rejected('POST', '/items', { body }, 400, message);
      });
    }

    it('decodes a base64 body (isBase64Encoded)', async () => {
      const body = Buffer.from(JSON.stringify({ id: 'b64', name: 'é' })).toString('base64');
      const reply = await h.call('POST', '/items', { body, isBase64Encoded: true });
      expect(reply.status).to.equal(201);
      expect(reply.json).to.deep.equal({ id: 'b64', name: 'é' });
    });

    it('rejects a base64 body that is not valid base64 or not valid UTF-8', async () => {
      await rejected('POST', '/items', { body: '{"id":"x"}', isBase64Encoded: true }, 400, 'request body is marked isBase64Encoded but is not valid base64');
      const latin1 = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]).toString('base64');
      await rejected('POST', '/items', { body: latin1, isBase64Encoded: true }, 400, 'request body is not valid UTF-8');
    });

    it('rejects unknown query parameters', async () => {
      await rejected('POST', '/items', { body: { id: 'q' }, query: { dryRun: 'true' } }, 400, 'unknown query parameter "dryRun"; this route takes none');
    });
  });

  describe('GET /items/{id}', () => {
    it('returns the item with exact numbers', async () => {
      await h.call('POST', '/items', { body: '{"id":"g1","big":123456789012345678901234567890.5}' });
      const reply = await h.call('GET', '/items/g1');
      expect(reply.status).to.equal(200);
      expect(reply.raw.body).to.equal('{"id":"g1","big":123456789012345678901234567890.5}');
    });

    it('answers 404 for a missing item', async () => {
      const reply = await h.call('GET', '/items/nope');
      expect(reply.status).to.equal(404);
      expect(reply.json.message).to.equal('Item "nope" not found');
    });

    it('answers 400 for an id over 2048 bytes', async () => {
      await rejected('GET', `/items/${'x'.repeat(2049)}`, {}, 400, 'path parameter id is 2049 bytes; DynamoDB partition key values are at most 2048 bytes');
    });
  });

  describe('PUT /items/{id}', () => {
    it('creates (201 + Location) then replaces (200) the item', async () => {
      const created = await h.call('PUT', '/items/p1', { body: { a: 1, b: 2 } });
      expect(created.status).to.equal(201);
      expect(created.json).to.deep.equal({ id: 'p1', a: 1, b: 2 });
      expect(created.headers.Location).to.equal('/prod/items/p1');
      const replaced = await h.call('PUT', '/items/p1', { body: { id: 'p1', c: 3 } });
      expect(replaced.status).to.equal(200);
      expect(replaced.json).to.deep.equal({ id: 'p1', c: 3 });
      expect((await h.scanAll()).find((i) => i.id!.S === 'p1')).to.deep.equal({ id: { S: 'p1' }, c: { N: '3' } });
    });

    it('rejects a body id that differs from the path id', async () => {
      await rejected('PUT', '/items/p1', { body: { id: 'p2', c: 4 } }, 400, 'request body.id "p2" does not match the id in the path "p1"; an item\'s id cannot be changed');
    });

    it('rejects an item over 400 KB', async () => {
      await rejected('PUT', '/items/p1', { body: { s: 'x'.repeat(400 * 1024) } }, 400, /^request body is \d+ bytes; DynamoDB's item size limit is 409600 bytes/);
    });
  });

  describe('PATCH /items/{id}', () => {
    before(async () => {
      await h.call('PUT', '/items/m1', { body: { name: 'old', keep: true } });
    });

    it('sets the given attributes and returns the updated item', async () => {
      const reply = await h.call('PATCH', '/items/m1', { body: { name: 'new', price: 9.99, 'odd name': { n: null }, constructor: 'c' } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ id: 'm1', name: 'new', keep: true, price: 9.99, 'odd name': { n: null }, constructor: 'c' });
    });

    it(`sets up to ${MAX_PATCH_ATTRIBUTES} attributes in one request`, async () => {
      const body = Object.fromEntries(Array.from({ length: MAX_PATCH_ATTRIBUTES }, (_, i) => [`attribute_${i}`, i]));
      const reply = await h.call('PATCH', '/items/m1', { body });
      expect(reply.status, JSON.stringify(reply.json)).to.equal(200);
      expect(reply.json.attribute_249).to.equal(249);
    });

    it('accepts an id in the body equal to the path id', async () => {
      const reply = await h.call('PATCH', '/items/m1', { body: { id: 'm1', name: 'newer' } });
      expect(reply.status).to.equal(200);
      expect(reply.json.name).to.equal('newer');
    });

    it('answers 404 for a missing item and creates nothing', async () => {
      await rejected('PATCH', '/items/ghost', { body: { name: 'x' } }, 404, 'Item "ghost" not found');
    });

    const bad: [string, unknown, string | RegExp][] = [
      ['an empty patch', {}, 'request body must set at least one attribute besides "id"'],
      ['a patch of only the id', { id: 'm1' }, 'request body must set at least one attribute besides "id"'],
      ['a changed id', { id: 'other', name: 'x' }, 'request body.id "other" does not match the id in the path "m1"; an item\'s id cannot be changed'],
      ['an array body', [1], 'request body must be a JSON object (the item), got an array'],
      ['a bad number', '{"n":1e-999}', /^request body\.n: the number is smaller in magnitude/],
      ['a __proto__ attribute', '{"__proto__":1}', /^request body uses the attribute name "__proto__"/],
      [`more than ${MAX_PATCH_ATTRIBUTES} attributes`, Object.fromEntries(Array.from({ length: MAX_PATCH_ATTRIBUTES + 1 }, (_, i) => [`a${i}`, i])), `request body sets ${MAX_PATCH_ATTRIBUTES + 1} attributes; a PATCH sets at most ${MAX_PATCH_ATTRIBUTES} (DynamoDB's 4 KB update expression limit); use PUT to replace the item`],
    ];
    for (const [name, body, message] of bad) {
      it(`rejects ${name} with 400 and changes nothing`, async () => {
        await rejected('PATCH', '/items/m1', { body }, 400, message);
      });
    }
  });

  describe('DELETE /items/{id}', () => {
    it('answers 204 with no body and no Content-Type, then 404', async () => {
      await h.call('PUT', '/items/d1', { body: {} });
      const reply = await h.call('DELETE', '/items/d1');
      expect(reply.status).to.equal(204);
      expect(reply.raw.body).to.equal('');
      expect(reply.headers).to.not.have.property('Content-Type');
      expect((await h.scanAll()).map((i) => i.id!.S)).to.not.include('d1');
      await rejected('DELETE', '/items/d1', {}, 404, 'Item "d1" not found');
    });
  });

  describe('GET /items', () => {
    let all: string[];
    before(async () => {
      for (let i = 0; i < 11; i++) await h.call('PUT', `/items/list-${String(i).padStart(2, '0')}`, { body: { i } });
      all = (await h.scanAll()).map((item) => item.id!.S!);
    });

    it('pages through every item with limit and the next token', async () => {
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const reply = await h.call('GET', '/items', { query: { limit: '4', ...(next ? { next } : {}) } });
        expect(reply.status).to.equal(200);
        expect(['items', 'next']).to.include.members(Object.keys(reply.json));
        if ('next' in reply.json) expect(reply.json.next).to.be.a('string').and.match(/^[A-Za-z0-9_-]+$/);
        expect(reply.json.items.length).to.be.at.most(4);
        seen.push(...reply.json.items.map((item: { id: string }) => item.id));
        next = reply.json.next;
        pages++;
      } while (next);
      expect(pages).to.be.at.least(Math.ceil(all.length / 4));
      expect(seen.sort()).to.deep.equal(all);
    });

    it(`returns up to ${DEFAULT_PAGE_SIZE} items and no next when everything fits`, async () => {
      const reply = await h.call('GET', '/items');
      expect(reply.status).to.equal(200);
      expect(reply.json.items.map((i: { id: string }) => i.id).sort()).to.deep.equal(all);
      expect(reply.json).to.not.have.property('next');
    });

    const badLimits = ['0', '-1', '1.5', 'ten', '', String(MAX_PAGE_SIZE + 1), '99999999999'];
    for (const limit of badLimits) {
      it(`rejects limit=${JSON.stringify(limit)}`, async () => {
        await rejected('GET', '/items', { query: { limit } }, 400, `query parameter limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${JSON.stringify(limit)}`);
      });
    }

    it('rejects a repeated limit', async () => {
      await rejected('GET', '/items', { query: { limit: ['1', '2'] } }, 400, 'query parameter limit is given 2 times; give it once');
    });

    it('rejects tampered next tokens', async () => {
      for (const next of ['not a token', 'e30', Buffer.from('{"id":""}').toString('base64url'), Buffer.from('{"id":"x","i":1}').toString('base64url')]) {
        await rejected('GET', '/items', { query: { next } }, 400, /^query parameter next is not a valid page token \(.*\); pass back the "next" value of the previous page unchanged$/);
      }
    });

    it('rejects unknown query parameters', async () => {
      await rejected('GET', '/items', { query: { limt: '5' } }, 400, 'unknown query parameter "limt"; expected limit, next');
    });
  });
});
