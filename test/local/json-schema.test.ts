/**
 * The draft 4 validator behind the local request validation, keyword by keyword, as the draft
 * defines them (https://datatracker.ietf.org/doc/html/draft-fge-json-schema-validation-00).
 */
import { expect } from 'chai';
import { compileSchema, SchemaError, SUPPORTED_KEYWORDS } from '../../cli/local/json-schema.js';

type Case = [keyword: string, schema: Record<string, unknown>, valid: unknown[], invalid: [unknown, string][]];

const CASES: Case[] = [
  ['type', { type: 'string' }, ['a', ''], [[1, 'body expected string, got number'], [null, 'body expected string, got null']]],
  ['type (list)', { type: ['object', 'null'] }, [{}, null], [[[], 'body expected object or null, got array']]],
  ['type integer', { type: 'integer' }, [1, -5, 1e3], [[1.5, 'body expected integer, got a non-integer number']]],
  ['enum', { enum: ['a', 1, null] }, ['a', 1, null], [['b', 'body "b" is not one of "a", 1, null'], [{ a: 1 }, 'body object is not one of "a", 1, null']]],
  ['required', { required: ['id'] }, [{ id: 1 }, 'not an object'], [[{}, 'body is missing the required property "id"']]],
  ['properties', { properties: { id: { type: 'string' } } }, [{ id: 'a' }, {}], [[{ id: 1 }, 'body.id expected string, got number']]],
  ['additionalProperties false', { properties: { a: {} }, additionalProperties: false }, [{ a: 1 }], [[{ a: 1, b: 2 }, 'body has the property "b", which the schema does not allow']]],
  ['additionalProperties schema', { additionalProperties: { type: 'string' } }, [{ a: 'x' }], [[{ '#n': 1 }, 'body["#n"] expected string, got number']]],
  ['patternProperties', { patternProperties: { '^x-': { type: 'number' } }, additionalProperties: false }, [{ 'x-a': 1 }], [[{ 'x-a': 'no' }, 'body["x-a"] expected number, got string'], [{ y: 1 }, 'body has the property "y", which the schema does not allow']]],
  ['minProperties / maxProperties', { minProperties: 1, maxProperties: 2 }, [{ a: 1 }, { a: 1, b: 2 }], [[{}, 'body has 0 properties; at least 1 required'], [{ a: 1, b: 2, c: 3 }, 'body has 3 properties; at most 2 allowed']]],
  ['items', { items: { type: 'object' } }, [[], [{}]], [[[{}, 1], 'body[1] expected object, got number']]],
  ['items (tuple) / additionalItems', { items: [{ type: 'string' }], additionalItems: false }, [['a'], []], [[['a', 'b'], 'body[1] is beyond the 1 items the schema allows']]],
  ['minItems / maxItems', { minItems: 1, maxItems: 1 }, [[1]], [[[], 'body has 0 items; at least 1 required'], [[1, 2], 'body has 2 items; at most 1 allowed']]],
  ['uniqueItems', { uniqueItems: true }, [[1, 2, { a: 1, b: 2 }]], [[[{ a: 1, b: 2 }, { b: 2, a: 1 }], 'body has duplicate items (uniqueItems)']]],
  // Characters are code points: an emoji is one, though two UTF-16 units.
  ['minLength / maxLength', { minLength: 1, maxLength: 2 }, ['a', '😀😀'], [['', 'body is 0 characters; at least 1 required'], ['abc', 'body is 3 characters; at most 2 allowed']]],
  ['pattern', { pattern: '^[a-z]+$' }, ['abc'], [['aB', 'body "aB" does not match the pattern ^[a-z]+$']]],
  ['minimum / maximum', { minimum: 1, maximum: 10 }, [1, 10], [[0, 'body 0 is less than the minimum 1'], [11, 'body 11 is greater than the maximum 10']]],
  ['exclusiveMinimum / exclusiveMaximum', { minimum: 1, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true }, [2], [[1, 'body 1 is not greater than the minimum 1'], [10, 'body 10 is not less than the maximum 10']]],
  ['multipleOf', { multipleOf: 5 }, [10, 0], [[7, 'body 7 is not a multiple of 5']]],
  ['allOf', { allOf: [{ type: 'object' }, { required: ['a'] }] }, [{ a: 1 }], [[{}, 'body is missing the required property "a"']]],
  ['anyOf', { anyOf: [{ type: 'object' }, { type: 'string', enum: ['pong'] }] }, [{}, 'pong'], [[1, 'body matches none of the 2 anyOf schemas']]],
  ['oneOf', { oneOf: [{ properties: { op: { enum: ['a'] } } }, { properties: { op: { enum: ['b'] }, x: { type: 'string' } } }] }, [{ op: 'a' }, { op: 'b', x: 's' }], [[{ op: 'b', x: 1 }, 'body matches none of the 2 oneOf schemas; the closest: body.x expected string, got number'], [{}, 'body matches 2 of the oneOf schemas; exactly one is allowed']]],
  ['not', { not: { type: 'null' } }, [1], [[null, 'body matches the schema under "not"']]],
  ['annotations', { $schema: 'http://json-schema.org/draft-04/schema#', title: 't', description: 'd', default: 1, format: 'date-time' }, ['not a date', 1], []],
];

describe('cli/local/json-schema', () => {
  describe('compileSchema', () => {
    for (const [keyword, schema, valid, invalid] of CASES) {
      it(`checks ${keyword}`, () => {
        const check = compileSchema(schema, 'Schema');
        for (const v of valid) expect(check(v), JSON.stringify(v)).to.deep.equal([]);
        for (const [v, message] of invalid) {
          const problems = check(v);
          expect(problems.length, JSON.stringify(v)).to.be.greaterThan(0);
          expect(`${problems[0]!.at} ${problems[0]!.message}`, JSON.stringify(v)).to.include(message);
        }
      });
    }

    it('refuses, naming where, $ref, an unknown keyword and malformed keyword values', () => {
      const refused = (schema: unknown) => {
        try {
          compileSchema(schema, 'Resources.M.Properties.Schema');
        } catch (err) {
          expect(err).to.be.instanceOf(SchemaError);
          return (err as Error).message;
        }
        throw new Error('expected a SchemaError');
      };
      expect(refused({ properties: { a: { $ref: 'https://apigateway.amazonaws.com/restapis/x/models/Item' } } })).to.equal(
        'Resources.M.Properties.Schema.properties.a.$ref: model references ($ref) are not emulated by the local stack; inline the referenced schema',
      );
      expect(refused({ const: 1 })).to.match(/^Resources\.M\.Properties\.Schema\.const: is not a JSON Schema draft 4 keyword the local stack checks \(supported: type, enum/);
      expect(refused({ type: 'text' })).to.include('Schema.type: "text" is not a type');
      expect(refused({ maxLength: -1 })).to.include('Schema.maxLength: must be a non-negative integer');
      expect(refused({ pattern: '(' })).to.include('Schema.pattern: "(" is not a regular expression');
      expect(refused({ required: [] })).to.include('Schema.required: must be a non-empty array of strings');
      expect(refused([])).to.equal('Resources.M.Properties.Schema: a schema must be an object, got array');
      expect(SUPPORTED_KEYWORDS).to.include.members(['oneOf', 'additionalProperties', '$schema']);
    });

    it('reports at most 10 problems, and checks a deeply nested body without descending into it', () => {
      const check = compileSchema({ type: 'object', additionalProperties: { type: 'string' } }, 'Schema');
      expect(check(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])))).to.have.length(10);
      // 100,000 levels: the schema has one, so the validator looks at one.
      let deep: unknown = 'leaf';
      for (let i = 0; i < 100_000; i++) deep = [deep];
      expect(compileSchema({ properties: { a: { type: 'array' } } }, 'Schema')({ a: deep })).to.deep.equal([]);
    });
  });
});
