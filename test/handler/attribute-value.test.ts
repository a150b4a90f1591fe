import { expect } from 'chai';
import { fromAttributeMap, MAX_ITEM_BYTES, MAX_NESTING_LEVELS, toAttributeMap, toAttributeValue } from '../../handler/attribute-value.js';
import { BadRequestError } from '../../handler/errors.js';
import { parseJson, stringifyJson, type JsonObject } from '../../handler/json.js';

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

describe('handler/attribute-value', () => {
  describe('toAttributeMap', () => {
    it('marshals every JSON type, numbers as exact canonical text', () => {
      const map = toAttributeMap(json('{"s":"x","n":12.50,"big":12345678901234567890123,"t":true,"z":null,"l":[1,"a"],"m":{"k":-0.5e1}}'), 'Item');
      expect(map).to.deep.equal({
        s: { S: 'x' },
        n: { N: '12.5' },
        big: { N: '12345678901234567890123' },
        t: { BOOL: true },
        z: { NULL: true },
        l: { L: [{ N: '1' }, { S: 'a' }] },
        m: { M: { k: { N: '-5' } } },
      });
    });

    it('names the attribute whose number DynamoDB cannot store', () => {
      expect(rejection(() => toAttributeMap(json('{"a":{"b c":[1, 1e400]}}'), 'payload.Item'))).to.equal(
        'payload.Item.a["b c"][1]: the number is larger in magnitude than DynamoDB supports (at most 9.9999999999999999999999999999999999999E+125)',
      );
      expect(rejection(() => toAttributeMap(json('{"p":123456789012345678901234567890123456789}'), 'Item'))).to.match(/^Item\.p: the number has 39 significant digits/);
    });

    it(`accepts ${MAX_NESTING_LEVELS} levels of nesting and rejects ${MAX_NESTING_LEVELS + 1}`, () => {
      expect(() => toAttributeMap(json(nested(MAX_NESTING_LEVELS + 1)), 'Item')).to.not.throw();
      expect(rejection(() => toAttributeMap(json(nested(MAX_NESTING_LEVELS + 2)), 'Item'))).to.match(/is nested deeper than DynamoDB's limit of 32 levels$/);
      expect(rejection(() => toAttributeMap(json(`{"l":${'['.repeat(33)}${']'.repeat(33)}}`), 'Item'))).to.match(/^Item\.l(\[0\]){32} is nested deeper/);
    });

    it('computes the item size as DynamoDB documents it and enforces 400 KB', () => {
      // name "id" (2) + "x" (1) + 2 bytes of value, name "s" (1) + S of n bytes
      const fits = MAX_ITEM_BYTES - (2 + 1) - 1;
      expect(() => toAttributeMap(json(`{"id":"x","s":"${'a'.repeat(fits)}"}`), 'Item')).to.not.throw();
      expect(rejection(() => toAttributeMap(json(`{"id":"x","s":"${'a'.repeat(fits + 1)}"}`), 'Item'))).to.equal(
        `Item is ${MAX_ITEM_BYTES + 1} bytes; DynamoDB's item size limit is ${MAX_ITEM_BYTES} bytes (400 KB)`,
      );
      // multi-byte UTF-8 counts in bytes: "é" is 2 bytes
      expect(rejection(() => toAttributeMap(json(`{"s":"${'é'.repeat(MAX_ITEM_BYTES / 2)}"}`), 'Item'))).to.match(/^Item is 409601 bytes/);
    });

    it('counts list/map overhead (3 bytes + 1 per element) and number size (1 byte per 2 digits + 1)', () => {
      // "m": 1 + map(3 + 1 element + "k"(1) + N "123"(3)) = 9; filler takes the rest of the 400 KB.
      const filler = MAX_ITEM_BYTES - 9 - 1;
      expect(() => toAttributeMap(json(`{"m":{"k":123},"f":"${'a'.repeat(filler)}"}`), 'Item')).to.not.throw();
      expect(() => toAttributeMap(json(`{"m":{"k":12345},"f":"${'a'.repeat(filler)}"}`), 'Item')).to.throw(BadRequestError, /409601 bytes/);
    });

    it('refuses "__proto__" and empty attribute names, at any depth', () => {
      expect(rejection(() => toAttributeMap(json('{"__proto__":1}'), 'payload.Item'))).to.match(/^payload\.Item uses the attribute name "__proto__"/);
      expect(rejection(() => toAttributeMap(json('{"a":{"__proto__":1}}'), 'payload.Item'))).to.match(/^payload\.Item\.a uses the attribute name "__proto__"/);
      expect(rejection(() => toAttributeMap(json('{"":1}'), 'payload.Item'))).to.match(/^payload\.Item has an empty attribute name/);
    });

    it('keeps "constructor" and "prototype" as data', () => {
      const map = toAttributeMap(json('{"constructor":{"prototype":1}}'), 'Item');
      expect(Object.getPrototypeOf(map)).to.equal(null);
      expect(stringifyJson(fromAttributeMap(map))).to.equal('{"constructor":{"prototype":1}}');
    });
  });

  describe('toAttributeValue', () => {
    it('checks nesting and numbers of a single value', () => {
      expect(toAttributeValue(parseJson('[1.0]', 't'), 'v')).to.deep.equal({ L: [{ N: '1' }] });
      expect(rejection(() => toAttributeValue(parseJson('[1e-200]', 't'), ':v'))).to.match(/^:v\[0\]: the number is smaller in magnitude/);
    });
  });

  describe('fromAttributeMap', () => {
    it('turns sets into arrays and binary into base64, with exact numbers', () => {
      const obj = fromAttributeMap({
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '12345678901234567890.5'] },
        b: { B: new Uint8Array([1, 2, 3]) },
        bs: { BS: [new Uint8Array([255])] },
      });
      expect(stringifyJson(obj)).to.equal('{"ss":["a","b"],"ns":[1,12345678901234567890.5],"b":"AQID","bs":["/w=="]}');
    });

    it('fails loudly on an attribute value type it does not know', () => {
      expect(() => fromAttributeMap({ x: { $unknown: ['X', 1] } as never })).to.throw(Error, /unknown type/);
    });
  });
});
