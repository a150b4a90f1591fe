import { expect } from 'chai';
import { BadRequestError } from '../../handler/errors.js';
import { JsonNumber, MAX_JSON_DEPTH, parseJson, stringifyJson } from '../../handler/json.js';

describe('handler/json', () => {
  describe('parseJson', () => {
    it('keeps every number as its literal text', () => {
      const value = parseJson('{"a": 12.75, "b": 12345678901234567890123, "c": -1.50e-3, "d": 0}', 'body') as Record<string, JsonNumber>;
      expect(Object.values(value).map((n) => n.text)).to.deep.equal(['12.75', '12345678901234567890123', '-1.50e-3', '0']);
    });

    it('parses strings, escapes, literals, arrays and nested objects', () => {
      const value = parseJson(' {"s":"a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00","t":true,"f":false,"n":null,"l":[1,[]],"o":{}} ', 'body');
      expect(stringifyJson(value)).to.equal('{"s":"a\\"b\\\\c\\né😀","t":true,"f":false,"n":null,"l":[1,[]],"o":{}}');
    });

    it('creates objects that do not inherit from Object.prototype, so "__proto__" is an ordinary key', () => {
      const value = parseJson('{"__proto__": {"polluted": true}, "constructor": 1}', 'body') as Record<string, unknown>;
      expect(Object.prototype.isPrototypeOf(value), 'inherits from Object.prototype').to.equal(false);
      expect(Object.keys(value)).to.deep.equal(['__proto__', 'constructor']);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(stringifyJson(value)).to.equal('{"__proto__":{"polluted":true},"constructor":1}');
    });

    const invalid: [string, string, RegExp][] = [
      ['empty text', '', /unexpected end of input at position 0/],
      ['a trailing comma', '{"a":1,}', /expected a string key at position 7/],
      ['single quotes', "{'a':1}", /unexpected "'", expected a string key at position 1/],
      ['a leading zero', '{"a":01}', /expected ',' or '}' at position 6/],
      ['NaN', '{"a":NaN}', /unexpected "N" at position 5/],
      ['Infinity', '[Infinity]', /unexpected "I" at position 1/],
      ['a raw control character', '"a\u0001"', /control character in string/],
      ['a bad escape', '"\\x"', /bad escape in string/],
      ['a bad \\u escape', '"\\u12g4"', /bad \\u escape/],
      ['an unterminated string', '"abc', /unterminated string/],
      ['a lone surrogate', '{"a":"\\ud800"}', /unpaired UTF-16 surrogate/],
      ['a duplicate key', '{"a":1,"a":2}', /duplicate key "a" at position 7/],
      ['text after the value', '{} {}', /unexpected "\{" after the JSON value at position 3/],
      ['too deep nesting', '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1), new RegExp(`nesting deeper than ${MAX_JSON_DEPTH} levels`)],
    ];
    for (const [name, text, message] of invalid) {
      it(`rejects ${name} with a 400 that says where`, () => {
        let caught: unknown;
        try {
          parseJson(text, 'request body');
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(BadRequestError);
        expect((caught as BadRequestError).statusCode).to.equal(400);
        expect((caught as Error).message).to.match(/^request body is not valid JSON: /).and.match(message);
      });
    }

    it('accepts nesting up to the limit', () => {
      const text = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
      expect(stringifyJson(parseJson(text, 'body'))).to.equal(text);
    });
  });

  describe('stringifyJson', () => {
    it('prints JsonNumber digits unchanged, plain numbers, and skips undefined members', () => {
      expect(stringifyJson({ a: new JsonNumber('1.50'), b: 3, c: undefined, d: [undefined, 'x'] })).to.equal('{"a":1.50,"b":3,"d":[null,"x"]}');
    });

    it('refuses non-finite numbers instead of printing null', () => {
      expect(() => stringifyJson({ a: Number.NaN })).to.throw(TypeError, /NaN/);
    });
  });
});
