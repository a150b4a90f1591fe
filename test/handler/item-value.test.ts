import { expect } from 'chai';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../handler/document-client.js';
import { BadRequestError } from '../../handler/errors.js';
import { refuseProtoAttributes } from '../../handler/item-store.js';
import { fromItem, fromItemValue, MAX_ITEM_BYTES, MAX_NESTING_LEVELS, toItem, toItemValue, toItemValues, type DocumentItem } from '../../handler/item-value.js';
import { parseJson, stringifyJson, type JsonObject } from '../../handler/json.js';
import { startTestDynamo, type TestDynamo } from '../support/dynamo.js';

const json = (text: string) => parseJson(text, 'test') as JsonObject;

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(BadRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a BadRequestError');
}

function nested(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

const n = (text: string) => NumberValue.from(text);

describe('handler/item-value', () => {
  describe('toItem', () => {
    const ITEM = '{"id":"all","s":"x","n":12.50,"big":12345678901234567890123,"t":true,"z":null,"l":[1,"a"],"m":{"k":-0.5e1}}';

    it('converts every JSON type, numbers to NumberValue with exact canonical text', () => {
      expect(toItem(json(ITEM), 'Item')).to.deep.equal({
        id: 'all',
        s: 'x',
        n: n('12.5'),
        big: n('12345678901234567890123'),
        t: true,
        z: null,
        l: [n('1'), 'a'],
        m: { k: n('-5') },
      });
    });

    describe('through the document client', () => {
      let dynamo: TestDynamo;
      before(async () => {
        dynamo = await startTestDynamo();
        await dynamo.createTable('item-value');
      });
      after(() => dynamo.stop());

      it('is stored as exactly these AttributeValues by lib-dynamodb', async () => {
        await createDocumentClient(dynamo.client).send(new PutCommand({ TableName: 'item-value', Item: toItem(json(ITEM), 'Item') }));
        const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: 'item-value', Key: { id: { S: 'all' } } }));
        expect(Item).to.deep.equal({
          id: { S: 'all' },
          s: { S: 'x' },
          n: { N: '12.5' },
          big: { N: '12345678901234567890123' },
          t: { BOOL: true },
          z: { NULL: true },
          l: { L: [{ N: '1' }, { S: 'a' }] },
          m: { M: { k: { N: '-5' } } },
        });
      });
    });

    it('names the attribute whose number DynamoDB cannot store', () => {
      expect(rejection(() => toItem(json('{"a":{"b c":[1, 1e400]}}'), 'payload.Item'))).to.equal(
        'payload.Item.a["b c"][1]: the number is larger in magnitude than DynamoDB supports (at most 9.9999999999999999999999999999999999999E+125)',
      );
      expect(rejection(() => toItem(json('{"p":123456789012345678901234567890123456789}'), 'Item'))).to.match(/^Item\.p: the number has 39 significant digits/);
    });

    it(`accepts ${MAX_NESTING_LEVELS} levels of nesting and rejects ${MAX_NESTING_LEVELS + 1}`, () => {
      expect(() => toItem(json(nested(MAX_NESTING_LEVELS + 1)), 'Item')).to.not.throw();
      expect(rejection(() => toItem(json(nested(MAX_NESTING_LEVELS + 2)), 'Item'))).to.match(/is nested deeper than DynamoDB's limit of 32 levels$/);
      expect(rejection(() => toItem(json(`{"l":${'['.repeat(33)}${']'.repeat(33)}}`), 'Item'))).to.match(/^Item\.l(\[0\]){32} is nested deeper/);
    });

    it('computes the item size as DynamoDB documents it and enforces 400 KB', () => {
      // name "id" (2) + "x" (1) + 2 bytes of value, name "s" (1) + S of n bytes
      const fits = MAX_ITEM_BYTES - (2 + 1) - 1;
      expect(() => toItem(json(`{"id":"x","s":"${'a'.repeat(fits)}"}`), 'Item')).to.not.throw();
      expect(rejection(() => toItem(json(`{"id":"x","s":"${'a'.repeat(fits + 1)}"}`), 'Item'))).to.equal(
        `Item is ${MAX_ITEM_BYTES + 1} bytes; DynamoDB's item size limit is ${MAX_ITEM_BYTES} bytes (400 KB)`,
      );
      // multi-byte UTF-8 counts in bytes: "é" is 2 bytes
      expect(rejection(() => toItem(json(`{"s":"${'é'.repeat(MAX_ITEM_BYTES / 2)}"}`), 'Item'))).to.match(/^Item is 409601 bytes/);
    });

    it('counts list/map overhead (3 bytes + 1 per element) and number size (1 byte per 2 digits + 1)', () => {
      // "m": 1 + map(3 + 1 element + "k"(1) + N "123"(3)) = 9; filler takes the rest of the 400 KB.
      const filler = MAX_ITEM_BYTES - 9 - 1;
      expect(() => toItem(json(`{"m":{"k":123},"f":"${'a'.repeat(filler)}"}`), 'Item')).to.not.throw();
      expect(() => toItem(json(`{"m":{"k":12345},"f":"${'a'.repeat(filler)}"}`), 'Item')).to.throw(BadRequestError, /409601 bytes/);
    });

    it('refuses "__proto__" and empty attribute names, at any depth', () => {
      expect(rejection(() => toItem(json('{"__proto__":1}'), 'payload.Item'))).to.match(/^payload\.Item uses the attribute name "__proto__"/);
      expect(rejection(() => toItem(json('{"a":{"__proto__":1}}'), 'payload.Item'))).to.match(/^payload\.Item\.a uses the attribute name "__proto__"/);
      expect(rejection(() => toItem(json('{"":1}'), 'payload.Item'))).to.match(/^payload\.Item has an empty attribute name/);
    });

    it('keeps "constructor" and "prototype" as data', () => {
      const map = toItem(json('{"constructor":{"prototype":1}}'), 'Item');
      expect(Object.prototype.isPrototypeOf(map), 'inherits from Object.prototype').to.equal(false);
      expect(stringifyJson(fromItem(map))).to.equal('{"constructor":{"prototype":1}}');
    });
  });

  describe('toItemValue', () => {
    it('checks nesting and numbers of a single value', () => {
      expect(toItemValue(parseJson('[1.0]', 't'), 'v')).to.deep.equal([n('1')]);
      expect(rejection(() => toItemValue(parseJson('[1e-200]', 't'), ':v'))).to.match(/^:v\[0\]: the number is smaller in magnitude/);
    });
  });

  describe('toItemValues', () => {
    it('refuses a "__proto__" placeholder, which lib-dynamodb would drop instead of sending', () => {
      expect(rejection(() => toItemValues(json('{":a":1,"__proto__":2}'), 'payload.ExpressionAttributeValues'))).to.match(
        /^payload\.ExpressionAttributeValues uses the placeholder "__proto__"/,
      );
    });
  });

  describe('fromItem', () => {
    it('turns sets into arrays and binary into base64, with exact numbers', () => {
      const obj = fromItem({
        ss: new Set(['a', 'b']),
        ns: new Set([n('1'), n('12345678901234567890.5')]),
        b: new Uint8Array([1, 2, 3]),
        bs: new Set([new Uint8Array([255])]),
      });
      expect(stringifyJson(obj)).to.equal('{"ss":["a","b"],"ns":[1,12345678901234567890.5],"b":"AQID","bs":["/w=="]}');
    });

    it('returns objects that do not inherit from Object.prototype', () => {
      const obj = fromItem({ constructor: { prototype: n('1') } });
      expect(Object.prototype.isPrototypeOf(obj), 'inherits from Object.prototype').to.equal(false);
      expect(Object.prototype.isPrototypeOf(obj.constructor), 'inherits from Object.prototype').to.equal(false);
      expect(stringifyJson(obj)).to.equal('{"constructor":{"prototype":1}}');
    });

    it('fails loudly on a value it does not know (a JS number means the client lacks wrapNumbers)', () => {
      expect(() => fromItem({ x: 1.5 })).to.throw(Error, /cannot represent/);
      expect(() => fromItem({ x: 10n })).to.throw(Error, /cannot represent/);
      expect(() => fromItem({ x: new Date(0) })).to.throw(Error, /cannot represent/);
    });

    it('refuses a map whose prototype was replaced (what unmarshalling a "__proto__" attribute does)', () => {
      const tampered: DocumentItem = {};
      Object.setPrototypeOf(tampered, { polluted: 'yes' });
      expect(() => fromItemValue(tampered)).to.throw(Error, /cannot represent/);
    });
  });

  describe('refuseProtoAttributes (item-store)', () => {
    // Crafted AttributeValue maps: dynalite cannot store a "__proto__" attribute, DynamoDB can.
    const where = (text: string): string => {
      try {
        refuseProtoAttributes(JSON.parse(text));
      } catch (error) {
        expect((error as Error).name).to.equal('UnrepresentableItemError');
        return (error as Error).message;
      }
      return 'accepted';
    };

    it('names where a "__proto__" attribute is, at any depth of any result member', () => {
      expect(where('{"Item":{"id":{"S":"x"},"__proto__":{"S":"s"}}}')).to.match(/"__proto__" in Item;/);
      expect(where('{"Attributes":{"a":{"L":[{"N":"1"},{"M":{"__proto__":{"NULL":true}}}]}}}')).to.match(/in Attributes\.a\[1\];/);
      expect(where('{"Items":[{"id":{"S":"a"}},{"id":{"S":"b"},"m":{"M":{"n":{"M":{"__proto__":{"S":"s"}}}}}}]}')).to.match(/in Items\[1\]\.m\.n;/);
      expect(where('{"LastEvaluatedKey":{"__proto__":{"S":"s"}}}')).to.match(/in LastEvaluatedKey;/);
    });

    it('accepts "constructor", "prototype" and "__proto__" as values', () => {
      expect(where('{"Item":{"id":{"S":"x"},"constructor":{"M":{"prototype":{"S":"s"}}},"p":{"S":"__proto__"}}}')).to.equal('accepted');
    });
  });
});
