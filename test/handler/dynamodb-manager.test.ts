import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { MAX_LIST_LIMIT } from '../../handler/dynamodb-manager.js';
import { startHarness, type Harness } from './harness.js';

describe('handler/dynamodb-manager (POST /DynamoDBManager against dynalite)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('lambda-apigateway');
  });
  after(() => h.stop());

  /** Runs a request that must be rejected and asserts the table is exactly as before. */
  async function rejected(body: unknown, status: number, message: string | RegExp) {
    const before = await h.scanAll();
    const reply = await h.rpc(body);
    expect(reply.status, JSON.stringify(reply.json)).to.equal(status);
    expect(reply.headers['Content-Type']).to.equal('application/json');
    expect(Object.keys(reply.json)).to.deep.equal(['message', 'requestId']);
    if (typeof message === 'string') expect(reply.json.message).to.equal(message);
    else expect(reply.json.message).to.match(message);
    expect(reply.json.requestId).to.match(/^req-\d+-\d+$/);
    expect(await h.scanAll()).to.deep.equal(before);
    return reply;
  }

  describe('the original samples', () => {
    it('create puts the item and answers {}', async () => {
      const reply = await h.rpc({ operation: 'create', tableName: 'lambda-apigateway', payload: { Item: { id: '1234ABCD', number: 5 } } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({});
      expect(await h.scanAll()).to.deep.equal([{ id: { S: '1234ABCD' }, number: { N: '5' } }]);
    });

    it('read returns {"Item": ...}', async () => {
      const reply = await h.rpc({ operation: 'read', tableName: 'lambda-apigateway', payload: { Key: { id: '1234ABCD' } } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ Item: { id: '1234ABCD', number: 5 } });
    });

    it('update with ReturnValues ALL_NEW returns {"Attributes": ...}', async () => {
      const reply = await h.rpc({
        operation: 'update',
        tableName: 'lambda-apigateway',
        payload: {
          Key: { id: '1234ABCD' },
          UpdateExpression: 'SET #n = :v',
          ExpressionAttributeNames: { '#n': 'number' },
          ExpressionAttributeValues: { ':v': 10 },
          ReturnValues: 'ALL_NEW',
        },
      });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ Attributes: { id: '1234ABCD', number: 10 } });
    });

    it('list scans the table', async () => {
      const reply = await h.rpc({ operation: 'list', tableName: 'lambda-apigateway', payload: {} });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ Items: [{ id: '1234ABCD', number: 10 }], Count: 1, ScannedCount: 1 });
    });

    it('echo returns the payload as is', async () => {
      const reply = await h.rpc({ operation: 'echo', payload: { somekey1: 'somevalue1', somekey2: 'somevalue2' } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ somekey1: 'somevalue1', somekey2: 'somevalue2' });
    });

    it('echo keeps numbers digit for digit', async () => {
      const reply = await h.rpc('{"operation":"echo","payload":{"a":1.50,"b":123456789012345678901234567890}}');
      expect(reply.raw.body).to.equal('{"a":1.50,"b":123456789012345678901234567890}');
    });

    it('ping answers "pong", with or without an empty payload', async () => {
      for (const body of [{ operation: 'ping' }, { operation: 'ping', payload: {} }]) {
        const reply = await h.rpc(body);
        expect(reply.status).to.equal(200);
        expect(reply.json).to.equal('pong');
      }
    });

    it('delete removes the item; ALL_OLD returns it', async () => {
      const reply = await h.rpc({ operation: 'delete', tableName: 'lambda-apigateway', payload: { Key: { id: '1234ABCD' }, ReturnValues: 'ALL_OLD' } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ Attributes: { id: '1234ABCD', number: 10 } });
      expect(await h.scanAll()).to.deep.equal([]);
    });

    it('read of a missing item answers {} as GetItem does', async () => {
      const reply = await h.rpc({ operation: 'read', payload: { Key: { id: '1234ABCD' } } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({});
    });
  });

  describe('numbers', () => {
    it('round-trips decimals exactly ({"price": 12.75})', async () => {
      await h.rpc({ operation: 'create', payload: { Item: { id: 'dec', price: 12.75, tiny: 0.1, neg: -3.5e-7 } } });
      const reply = await h.rpc({ operation: 'read', payload: { Key: { id: 'dec' } } });
      expect(reply.raw.body).to.include('"price":12.75').and.include('"tiny":0.1').and.include('"neg":-0.00000035');
      expect(reply.json.Item).to.deep.equal({ id: 'dec', price: 12.75, tiny: 0.1, neg: -3.5e-7 });
    });

    it('keeps numbers beyond double precision exact (38 significant digits)', async () => {
      const digits = '12345678901234567890123456789012345678';
      const create = await h.rpc(`{"operation":"create","payload":{"Item":{"id":"big","n":${digits},"f":0.${digits},"e":1e125}}}`);
      expect(create.status).to.equal(200);
      const stored = (await h.scanAll()).find((item) => item.id!.S === 'big')!;
      expect(stored.n).to.deep.equal({ N: digits });
      expect(stored.f).to.deep.equal({ N: `0.${digits}` });
      const read = await h.rpc({ operation: 'read', payload: { Key: { id: 'big' } } });
      expect(read.raw.body).to.include(`"n":${digits}`).and.include(`"f":0.${digits}`).and.include(`"e":1${'0'.repeat(125)}`);
      const update = await h.rpc(`{"operation":"update","payload":{"Key":{"id":"big"},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":1},"ReturnValues":"UPDATED_NEW"}}`);
      expect(update.raw.body).to.equal('{"Attributes":{"n":12345678901234567890123456789012345679}}');
    });

    const badNumbers: [string, RegExp][] = [
      ['123456789012345678901234567890123456789', /^payload\.Item\.n: the number has 39 significant digits/],
      ['1e126', /^payload\.Item\.n: the number is larger in magnitude than DynamoDB supports/],
      ['-1e400', /^payload\.Item\.n: the number is larger in magnitude/],
      ['1e-131', /^payload\.Item\.n: the number is smaller in magnitude/],
    ];
    for (const [literal, message] of badNumbers) {
      it(`rejects ${literal} with a 400 naming the attribute and writes nothing`, async () => {
        await rejected(`{"operation":"create","payload":{"Item":{"id":"num","n":${literal}}}}`, 400, message);
      });
    }

    it('rejects NaN and Infinity, which JSON cannot carry', async () => {
      await rejected('{"operation":"create","payload":{"Item":{"id":"num","n":NaN}}}', 400, /^request body is not valid JSON: unexpected "N"/);
      await rejected('{"operation":"create","payload":{"Item":{"id":"num","n":Infinity}}}', 400, /^request body is not valid JSON: unexpected "I"/);
    });

    it('checks numbers inside ExpressionAttributeValues too', async () => {
      await h.rpc({ operation: 'create', payload: { Item: { id: 'n1', n: 1 } } });
      await rejected(
        '{"operation":"update","payload":{"Key":{"id":"n1"},"UpdateExpression":"SET n = :v","ExpressionAttributeValues":{":v":[1e200]}}}',
        400,
        /^payload\.ExpressionAttributeValues\[":v"\]\[0\]: the number is larger in magnitude/,
      );
    });
  });

  describe('list pagination', () => {
    before(async () => {
      for (let i = 0; i < 7; i++) await h.rpc({ operation: 'create', payload: { Item: { id: `page-${i}`, i } } });
    });

    it('walks every item with Limit and ExclusiveStartKey, across several pages', async () => {
      const all = (await h.scanAll()).map((item) => item.id!.S);
      const seen: string[] = [];
      let start: unknown;
      let pages = 0;
      do {
        const reply = await h.rpc({ operation: 'list', payload: { Limit: 3, ...(start ? { ExclusiveStartKey: start } : {}) } });
        expect(reply.status).to.equal(200);
        expect(reply.json.Items.length).to.be.at.most(3);
        expect(reply.json.Count).to.equal(reply.json.Items.length);
        seen.push(...reply.json.Items.map((item: { id: string }) => item.id));
        start = reply.json.LastEvaluatedKey;
        if (start) expect(Object.keys(start as object)).to.deep.equal(['id']);
        pages++;
      } while (start);
      expect(pages).to.be.at.least(3);
      expect(seen.sort()).to.deep.equal(all);
    });

    it('passes FilterExpression and ProjectionExpression through', async () => {
      const reply = await h.rpc({
        operation: 'list',
        payload: { FilterExpression: '#i >= :min', ProjectionExpression: 'id', ExpressionAttributeNames: { '#i': 'i' }, ExpressionAttributeValues: { ':min': 5 } },
      });
      expect(reply.status).to.equal(200);
      expect(reply.json.Items.map((item: object) => item).sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id))).to.deep.equal([{ id: 'page-5' }, { id: 'page-6' }]);
    });

    const badLimits: [unknown, string][] = [
      [0, 'payload.Limit must be a positive integer (at most 1000), got 0'],
      [-1, 'payload.Limit must be a positive integer (at most 1000), got -1'],
      [1.5, 'payload.Limit must be a positive integer (at most 1000), got 1.5'],
      ['3', 'payload.Limit must be a positive integer (at most 1000), got "3"'],
      // One call reads at most MAX_LIST_LIMIT items, like GET /items (README, The API).
      [1001, 'payload.Limit must be a positive integer (at most 1000), got 1001'],
      [2147483648, 'payload.Limit must be a positive integer (at most 1000), got 2147483648'],
      [null, 'payload.Limit must be a positive integer (at most 1000), got null'],
    ];
    for (const [limit, message] of badLimits) {
      it(`rejects Limit ${JSON.stringify(limit)}`, async () => {
        await rejected({ operation: 'list', payload: { Limit: limit } }, 400, message);
      });
    }

    it('accepts an integral Limit written as 1e1 or 2.0', async () => {
      expect((await h.rpc('{"operation":"list","payload":{"Limit":2.0}}')).json.Items).to.have.length(2);
      expect((await h.rpc('{"operation":"list","payload":{"Limit":1e1}}')).status).to.equal(200);
    });

    const badStartKeys: [unknown, string][] = [
      ['page-1', 'payload.ExclusiveStartKey must be an object, got a string'],
      [{}, 'payload.ExclusiveStartKey is missing the key attribute "id"'],
      [{ id: 'page-1', i: 1 }, 'payload.ExclusiveStartKey has attribute "i" that is not part of the table key (id)'],
      [{ id: 5 }, 'payload.ExclusiveStartKey.id must be a string (the table key "id" is of type S), got a number'],
      [{ id: '' }, 'payload.ExclusiveStartKey.id must not be empty (DynamoDB key attributes cannot be empty strings)'],
    ];
    for (const [key, message] of badStartKeys) {
      it(`rejects ExclusiveStartKey ${JSON.stringify(key)}`, async () => {
        await rejected({ operation: 'list', payload: { ExclusiveStartKey: key } }, 400, message);
      });
    }
  });

  describe('bad requests (400, nothing written)', () => {
    const cases: [string, unknown, string | RegExp][] = [
      ['a body that is not an object', '[1,2]', 'request body must be a JSON object, got an array'],
      ['a JSON string body', '"create"', 'request body must be a JSON object, got a string'],
      ['a missing operation', { payload: {} }, 'request body is missing "operation"; expected one of create, read, update, delete, list, echo, ping'],
      ['a non-string operation', { operation: 5 }, 'operation must be a string, got a number'],
      ['an unknown operation', { operation: 'drop' }, 'unknown operation "drop"; expected one of create, read, update, delete, list, echo, ping'],
      ['operation __proto__', { operation: '__proto__' }, /^unknown operation "__proto__"/],
      ['operation constructor', { operation: 'constructor' }, /^unknown operation "constructor"/],
      ['operation toString', { operation: 'toString' }, /^unknown operation "toString"/],
      ['operation hasOwnProperty', { operation: 'hasOwnProperty' }, /^unknown operation "hasOwnProperty"/],
      ['an unknown body field', { operation: 'ping', TableName: 'x' }, 'request body has unknown field "TableName"; expected operation, tableName, payload'],
      ['another table', { operation: 'create', tableName: 'other-table', payload: { Item: { id: 'x' } } }, 'tableName "other-table" is not this function\'s table "lambda-apigateway"; omit tableName or use "lambda-apigateway"'],
      ['a non-string tableName', { operation: 'ping', tableName: 1 }, 'tableName must be a string, got a number'],
      ['a payload that is an array', { operation: 'create', payload: [] }, 'payload must be a JSON object, got an array'],
      ['a payload that is a string', { operation: 'echo', payload: 'x' }, 'payload must be a JSON object, got a string'],
      ['TableName in the payload', { operation: 'create', payload: { TableName: 'other', Item: { id: 'x' } } }, 'payload.TableName is not accepted for operation create; allowed: Item, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ReturnValues'],
      ['an unknown payload key', { operation: 'read', payload: { Key: { id: 'x' }, ReturnConsumedCapacity: 'TOTAL' } }, /^payload\.ReturnConsumedCapacity is not accepted for operation read; allowed: Key, /],
      ['a payload key for ping', { operation: 'ping', payload: { x: 1 } }, 'payload.x is not accepted for operation ping; ping takes no payload keys'],
      ['create without Item', { operation: 'create', payload: {} }, 'payload.Item is required'],
      ['an Item that is not an object', { operation: 'create', payload: { Item: 'x' } }, 'payload.Item must be an object, got a string'],
      ['an Item without id', { operation: 'create', payload: { Item: { name: 'x' } } }, 'payload.Item is missing the key attribute "id"'],
      ['an empty id', { operation: 'create', payload: { Item: { id: '' } } }, 'payload.Item.id must not be empty (DynamoDB key attributes cannot be empty strings)'],
      ['a numeric id', { operation: 'create', payload: { Item: { id: 7 } } }, 'payload.Item.id must be a string (the table key "id" is of type S), got a number'],
      ['a null id', { operation: 'create', payload: { Item: { id: null } } }, 'payload.Item.id must be a string (the table key "id" is of type S), got null'],
      ['an id over 2048 bytes', { operation: 'create', payload: { Item: { id: 'é'.repeat(1025) } } }, 'payload.Item.id is 2050 bytes; DynamoDB partition key values are at most 2048 bytes'],
      ['a Key with extra attributes', { operation: 'read', payload: { Key: { id: 'x', name: 'y' } } }, 'payload.Key has attribute "name" that is not part of the table key (id)'],
      ['a Key without id', { operation: 'delete', payload: { Key: {} } }, 'payload.Key is missing the key attribute "id"'],
      ['read without Key', { operation: 'read', payload: {} }, 'payload.Key is required'],
      ['a bad ReturnValues for create', { operation: 'create', payload: { Item: { id: 'x' }, ReturnValues: 'ALL_NEW' } }, 'payload.ReturnValues must be one of NONE, ALL_OLD for this operation, got "ALL_NEW"'],
      ['a bad ReturnValues for update', { operation: 'update', payload: { Key: { id: 'x' }, ReturnValues: 'EVERYTHING' } }, 'payload.ReturnValues must be one of NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW for this operation, got "EVERYTHING"'],
      ['a non-boolean ConsistentRead', { operation: 'read', payload: { Key: { id: 'x' }, ConsistentRead: 'yes' } }, 'payload.ConsistentRead must be true or false, got a string'],
      ['a non-string expression', { operation: 'update', payload: { Key: { id: 'x' }, UpdateExpression: ['SET a = :v'] } }, 'payload.UpdateExpression must be a string, got an array'],
      ['non-object ExpressionAttributeNames', { operation: 'read', payload: { Key: { id: 'x' }, ExpressionAttributeNames: ['#a'] } }, 'payload.ExpressionAttributeNames must be an object, got an array'],
      ['a non-string attribute name', { operation: 'read', payload: { Key: { id: 'x' }, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 1 } } }, 'payload.ExpressionAttributeNames["#a"] must be a string (an attribute name), got a number'],
      ['an item nested 33 levels', { operation: 'create', payload: { Item: { id: 'deep', d: JSON.parse('['.repeat(33) + ']'.repeat(33)) } } }, /^payload\.Item\.d(\[0\]){32} is nested deeper than DynamoDB's limit of 32 levels$/],
      ['an item over 400 KB', { operation: 'create', payload: { Item: { id: 'huge', s: 'x'.repeat(400 * 1024) } } }, /^payload\.Item is 409607 bytes; DynamoDB's item size limit is 409600 bytes \(400 KB\)$/],
    ];
    for (const [name, body, message] of cases) {
      it(`rejects ${name}`, async () => {
        await rejected(body, 400, message);
      });
    }

    it('rejects a body that is not JSON, and says where', async () => {
      await rejected('{"operation": "create", ', 400, 'request body is not valid JSON: unexpected end of input, expected a string key at position 24');
    });
  });

  describe('update expressions', () => {
    before(async () => {
      await h.rpc({ operation: 'create', payload: { Item: { id: 'u1', count: 1, tags: ['a'] } } });
    });

    const cases: [string, object, RegExp][] = [
      ['a syntax error', { UpdateExpression: 'SET = :v', ExpressionAttributeValues: { ':v': 1 } }, /^DynamoDB rejected the request: Invalid UpdateExpression: Syntax error/],
      ['an unbound value', { UpdateExpression: 'SET a = :missing' }, /^DynamoDB rejected the request: .*:missing/],
      ['an unbound name', { UpdateExpression: 'SET #missing = :v', ExpressionAttributeValues: { ':v': 1 } }, /^DynamoDB rejected the request: .*#missing/],
      ['an unused value', { UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': 1, ':unused': 2 } }, /^DynamoDB rejected the request: .*unused/],
      ['an update of the key', { UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': 'u2' } }, /^DynamoDB rejected the request: .*Cannot update attribute id\. This attribute is part of the key/],
      ['an update of the key through a name', { UpdateExpression: 'SET #k = :v', ExpressionAttributeNames: { '#k': 'id' }, ExpressionAttributeValues: { ':v': 'u2' } }, /Cannot update attribute id\. This attribute is part of the key/],
      ['a REMOVE of the key', { UpdateExpression: 'REMOVE id' }, /Cannot update attribute id\. This attribute is part of the key/],
      ['an attribute name __proto__', { UpdateExpression: 'SET #p = :v', ExpressionAttributeNames: { '#p': '__proto__' }, ExpressionAttributeValues: { ':v': 1 } }, /^payload\.ExpressionAttributeNames\["#p"\] uses the attribute name "__proto__"/],
      ['an expression over 4 KB', { UpdateExpression: `SET a = :v${' '.repeat(4096)}`, ExpressionAttributeValues: { ':v': 1 } }, /^payload\.UpdateExpression is 4106 bytes; DynamoDB expressions are at most 4096 bytes \(4 KB\)$/],
      ['__proto__ written in the expression', { UpdateExpression: 'SET __proto__ = :v', ExpressionAttributeValues: { ':v': 1 } }, /^payload\.UpdateExpression uses the attribute name "__proto__"/],
    ];
    for (const [name, payload, message] of cases) {
      it(`answers 400 for ${name} and changes nothing`, async () => {
        await rejected({ operation: 'update', payload: { Key: { id: 'u1' }, ...payload } }, 400, message);
      });
    }

    it('answers 409 when the ConditionExpression is false, and changes nothing', async () => {
      await rejected(
        { operation: 'update', payload: { Key: { id: 'u1' }, UpdateExpression: 'SET #c = :v', ConditionExpression: '#c > :v', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':v': 5 } } },
        409,
        'The conditional request failed: payload.ConditionExpression evaluated to false',
      );
    });

    it('applies list_append and arithmetic, returning UPDATED_NEW', async () => {
      const reply = await h.rpc({
        operation: 'update',
        payload: { Key: { id: 'u1' }, UpdateExpression: 'SET tags = list_append(tags, :t), #c = #c + :one', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':t': ['b'], ':one': 1 }, ReturnValues: 'UPDATED_NEW' },
      });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ Attributes: { tags: ['a', 'b'], count: 2 } });
    });

    it('update without ReturnValues answers {}', async () => {
      const reply = await h.rpc({ operation: 'update', payload: { Key: { id: 'u1' }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': true } } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({});
    });
  });

  describe('conditions', () => {
    it('create with attribute_not_exists answers 409 on an existing id and keeps the old item', async () => {
      await h.rpc({ operation: 'create', payload: { Item: { id: 'c1', v: 1 } } });
      await rejected(
        { operation: 'create', payload: { Item: { id: 'c1', v: 2 }, ConditionExpression: 'attribute_not_exists(id)' } },
        409,
        'The conditional request failed: payload.ConditionExpression evaluated to false',
      );
    });

    it('delete with a false condition answers 409 and keeps the item', async () => {
      await rejected(
        { operation: 'delete', payload: { Key: { id: 'c1' }, ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': 2 } } },
        409,
        'The conditional request failed: payload.ConditionExpression evaluated to false',
      );
    });

    it('create without a condition replaces, and ALL_OLD returns the old item', async () => {
      const reply = await h.rpc({ operation: 'create', payload: { Item: { id: 'c1', v: 3 }, ReturnValues: 'ALL_OLD' } });
      expect(reply.json).to.deep.equal({ Attributes: { id: 'c1', v: 1 } });
    });
  });

  describe('attribute names that are Object.prototype members', () => {
    it('stores "constructor", "prototype" and "toString" as data and pollutes nothing', async () => {
      const item = { id: 'proto', constructor: { prototype: { toString: 'x' } }, hasOwnProperty: 1 };
      const create = await h.rpc({ operation: 'create', payload: { Item: item } });
      expect(create.status).to.equal(200);
      const read = await h.rpc({ operation: 'read', payload: { Key: { id: 'proto' } } });
      expect(read.raw.body).to.include('"constructor":{"prototype":{"toString":"x"}}').and.include('"hasOwnProperty":1');
      expect(({} as Record<string, unknown>).toString).to.equal(Object.prototype.toString);
    });

    it('echoes a "__proto__" key as data without polluting Object.prototype', async () => {
      const reply = await h.rpc('{"operation":"echo","payload":{"__proto__":{"polluted":"yes"},"a":1}}');
      expect(reply.status).to.equal(200);
      expect(reply.raw.body).to.equal('{"__proto__":{"polluted":"yes"},"a":1}');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(Object.prototype).to.not.have.property('polluted');
    });

    it('refuses to store an attribute named "__proto__" (dynalite would drop it silently; DynamoDB keeps it)', async () => {
      const message = /^payload\.Item(\.nested)? uses the attribute name "__proto__", which this API does not accept/;
      await rejected('{"operation":"create","payload":{"Item":{"id":"p2","__proto__":{"polluted":"yes"}}}}', 400, message);
      await rejected('{"operation":"create","payload":{"Item":{"id":"p2","nested":{"__proto__":1}}}}', 400, message);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  });
});

describe('handler/dynamodb-manager list: what one call can read', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('bounded-list');
    // 1001 items, 25 per BatchWriteItem (its limit).
    const ids = Array.from({ length: MAX_LIST_LIMIT + 1 }, (_, i) => `item-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 25) {
      await h.db.send(new BatchWriteCommand({ RequestItems: { 'bounded-list': ids.slice(i, i + 25).map((id) => ({ PutRequest: { Item: { id } } })) } }));
    }
  });
  after(() => h.stop());

  it('reads at most MAX_LIST_LIMIT (1000) items without a Limit, and says where to go on', async () => {
    expect(MAX_LIST_LIMIT).to.equal(1000);
    const first = await h.rpc({ operation: 'list' });
    expect(first.status).to.equal(200);
    expect(first.json.Items).to.have.length(MAX_LIST_LIMIT);
    expect(first.json.LastEvaluatedKey).to.have.keys('id');
    const rest = await h.rpc({ operation: 'list', payload: { ExclusiveStartKey: first.json.LastEvaluatedKey } });
    expect(rest.json.Items).to.have.length(1);
    expect(rest.json).not.to.have.property('LastEvaluatedKey');
  });

  it('accepts Limit 1000 and refuses 1001 with a 400 naming the cap', async () => {
    expect((await h.rpc({ operation: 'list', payload: { Limit: 1000 } })).json.Items).to.have.length(1000);
    const refused = await h.rpc({ operation: 'list', payload: { Limit: 1001 } });
    expect(refused.status).to.equal(400);
    expect(refused.json.message).to.equal('payload.Limit must be a positive integer (at most 1000), got 1001');
  });
});
