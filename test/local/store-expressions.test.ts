/**
 * The local store (dynalite, patched: patches/dynalite+4.0.0.patch) under conditions and filters
 * whose operands are missing attributes, driven through the whole local stack (API Gateway
 * emulation -> Lambda runtime -> handler -> dynalite) with the project's template and handler.
 * Unpatched, each of the three cases below threw a TypeError inside dynalite, which ended the
 * process (and every in-memory item with it), or, in a Scan with Limit, left the request hanging.
 *
 * DynamoDB's semantics, from the developer guide's "Comparison operator and function reference"
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * every comparator and function is defined by the operands' values ("a BETWEEN b AND c: true if a
 * is greater than or equal to b, and less than or equal to c"; "a IN (b, c, d): true if a is equal
 * to any value in the list"; "begins_with (path, substr): true if the attribute specified by path
 * begins with a particular substring"). A missing attribute has no value, so none of them holds:
 * a condition fails (ConditionalCheckFailedException, 409 from our handler) and a filter keeps
 * nothing (an empty page, 200).
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Answer {
  status: number;
  body: unknown;
}

/** A deterministic PRNG (mulberry32), so a failing fuzz case is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('cli/local (the store under expressions with missing operands)', () => {
  let stack: LocalStack;
  const rpc = async (operation: string, payload?: Record<string, unknown>): Promise<Answer> => {
    const res = await fetch(stack.outputs.DynamoDBManagerUrl!, { method: 'POST', body: JSON.stringify({ operation, ...(payload ? { payload } : {}) }) });
    return { status: res.status, body: JSON.parse(await res.text()) as unknown };
  };

  before(async () => {
    // Not about auth or throttling: the fuzz sends unsigned requests, faster than the stage's rate.
    stack = await startLocalStack({ root: ROOT, port: 0, concurrency: 2, parameterOverrides: { AuthMode: 'NONE' }, throttle: false });
  });
  after(() => stack?.stop());

  describe('on an empty table', () => {
    // begins_with(path, substr) is true only when path begins with substr; two missing attributes
    // have no value to compare, so the condition fails (Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Functions).
    it('fails a delete whose condition is begins_with(a, b) with both attributes missing (409)', async () => {
      const answer = await rpc('delete', { Key: { id: 'x' }, ConditionExpression: 'begins_with(a, b)' });
      expect(answer.status).to.equal(409);
      expect((await rpc('ping')).body).to.equal('pong');
    });
  });

  describe('on a table with items', () => {
    const items = ['a', 'b', 'c'].map((id, i) => ({ id, n: i + 1, s: `s-${id}` }));
    before(async () => {
      for (const item of items) expect((await rpc('create', { Item: item })).status).to.equal(200);
    });
    /** A Scan of the whole table with this filter: 200 and the matching items. */
    const filtered = async (FilterExpression: string, ExpressionAttributeValues?: Record<string, unknown>): Promise<unknown[]> => {
      const answer = await rpc('list', { FilterExpression, ...(ExpressionAttributeValues ? { ExpressionAttributeValues } : {}) });
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.include({ ScannedCount: items.length });
      return (answer.body as { Items: unknown[] }).Items;
    };
    /** A conditional delete of an item: its status, and the item must still be there. */
    const conditionalDelete = async (item: (typeof items)[number], ConditionExpression: string, ExpressionAttributeValues: Record<string, unknown>): Promise<number> => {
      const answer = await rpc('delete', { Key: { id: item.id }, ConditionExpression, ExpressionAttributeValues });
      expect((await rpc('read', { Key: { id: item.id } })).body).to.deep.equal({ Item: item });
      return answer.status;
    };

    // a IN (b, ...) is true when a equals one of the listed values; a missing attribute in the list
    // has no value to equal (Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators).
    it('keeps nothing for the filter :v IN (missing), with a Limit smaller than the table (200, empty page)', async () => {
      const answer = await rpc('list', { Limit: 1, FilterExpression: ':v IN (nope)', ExpressionAttributeValues: { ':v': 1 } });
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.include({ Items: [], Count: 0, ScannedCount: 1 });
    });

    it('keeps nothing for the filter :v IN (missing) without a Limit (200, empty page)', async () => {
      expect(await filtered(':v IN (nope)', { ':v': 1 })).to.deep.equal([]);
    });

    it('still matches the present values of an IN list that also names a missing attribute', async () => {
      expect(await filtered('n IN (nope, :two)', { ':two': 2 })).to.deep.equal([items[1]]);
    });

    // a BETWEEN b AND c is true when b <= a <= c; a missing bound has no value to compare with
    // (Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators).
    it('keeps nothing for the filter n BETWEEN :lo AND missing (200, empty page)', async () => {
      expect(await filtered('n BETWEEN :lo AND nope', { ':lo': 0 })).to.deep.equal([]);
    });

    // Found by the fuzz below: values of different types are not ordered, so a bound of another
    // type than the operand makes BETWEEN false (dynalite threw "[big.js] Invalid number").
    it('keeps nothing for the filter n BETWEEN :lo AND s, an upper bound of another type (200, empty page)', async () => {
      expect(await filtered('n BETWEEN :lo AND s', { ':lo': 0 })).to.deep.equal([]);
    });

    it('fails a delete whose condition is n BETWEEN :lo AND missing (409) and keeps the item', async () => {
      expect(await conditionalDelete(items[0]!, 'n BETWEEN :lo AND nope', { ':lo': 0 })).to.equal(409);
    });

    it('fails a delete whose condition is :v IN (missing) (409) and keeps the item', async () => {
      expect(await conditionalDelete(items[1]!, ':v IN (nope)', { ':v': 2 })).to.equal(409);
    });

    // a < b, a <= b, ... are true when a is less than b...; two missing attributes are not ordered.
    it('keeps nothing for the filter a <= b with both attributes missing (dynalite kept every item)', async () => {
      expect(await filtered('nope <= nada')).to.deep.equal([]);
    });
  });

  describe('a bounded fuzz over the expression grammar (fixed seed)', () => {
    const CASES = 150;
    const seeded = Array.from({ length: 8 }, (_, i) => ({
      id: `fuzz-${i}`,
      n: i - 3,
      s: `v${i % 3}`,
      l: [i, `e${i}`],
      m: { x: i % 2 === 0 ? 'even' : 'odd', y: i },
      ...(i % 2 === 0 ? { opt: 'here' } : {}),
    }));
    const values: Record<string, unknown> = { ':n': 1, ':lo': -2, ':hi': 3, ':s': 'v1', ':p': 'v', ':e': 'even', ':t': 'S', ':big': 100 };
    // Present paths, missing top-level attributes, missing nested paths and list elements.
    const paths = ['n', 's', 'l', 'm', 'm.x', 'm.y', 'l[0]', 'l[1]', 'opt', 'nope', 'nada', 'm.nope', 'l[9]', 'opt.deeper'];
    const comparators = ['=', '<>', '<', '<=', '>', '>='];

    it(`serves ${CASES} generated conditions and filters without a 5xx, then still answers and has every item`, async () => {
      for (const item of seeded) expect((await rpc('create', { Item: item })).status).to.equal(200);
      const random = prng(0x5eed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const operand = (): string => {
        const r = random();
        if (r < 0.5) return pick(paths);
        if (r < 0.85) return pick(Object.keys(values));
        return `size(${pick(paths)})`;
      };
      const condition = (depth: number): string => {
        const r = random();
        if (depth > 0 && r < 0.25) return `(${condition(depth - 1)}) ${pick(['AND', 'OR'])} (${condition(depth - 1)})`;
        if (depth > 0 && r < 0.32) return `NOT (${condition(depth - 1)})`;
        switch (pick(['cmp', 'cmp', 'between', 'in', 'exists', 'not_exists', 'type', 'begins', 'contains'])) {
          case 'cmp':
            return `${operand()} ${pick(comparators)} ${operand()}`;
          case 'between':
            return `${operand()} BETWEEN ${operand()} AND ${operand()}`;
          case 'in':
            return `${operand()} IN (${Array.from({ length: 1 + Math.floor(random() * 3) }, operand).join(', ')})`;
          case 'exists':
            return `attribute_exists(${pick(paths)})`;
          case 'not_exists':
            return `attribute_not_exists(${pick(paths)})`;
          case 'type':
            return `attribute_type(${pick(paths)}, :t)`;
          case 'begins':
            return `begins_with(${pick(paths)}, ${random() < 0.5 ? pick(paths) : pick([':p', ':s'])})`;
          default:
            return `contains(${pick(paths)}, ${random() < 0.5 ? pick(paths) : pick([':s', ':n', ':e'])})`;
        }
      };
      const withValues = (expression: string): Record<string, unknown> => {
        const used = Object.fromEntries(Object.entries(values).filter(([k]) => new RegExp(`${k}(?![A-Za-z0-9_])`).test(expression)));
        return Object.keys(used).length > 0 ? { ExpressionAttributeValues: used } : {};
      };

      const statuses = new Map<number, number>();
      for (let i = 0; i < CASES; i++) {
        const expression = condition(2);
        const r = random();
        let answer: Answer;
        if (r < 0.5) {
          answer = await rpc('list', { FilterExpression: expression, ...withValues(expression), ...(random() < 0.5 ? { Limit: 1 + Math.floor(random() * 10) } : {}) });
        } else if (r < 0.75) {
          // Conditional writes go to scratch keys only, so the seeded items must come out unchanged.
          answer = await rpc('create', { Item: { id: `scratch-${i % 5}`, n: i }, ConditionExpression: expression, ...withValues(expression) });
        } else {
          answer = await rpc('delete', { Key: { id: `scratch-${i % 5}` }, ConditionExpression: expression, ...withValues(expression) });
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, `case ${i}: ${expression} -> ${JSON.stringify(answer.body)}`).to.be.oneOf([200, 400, 409]);
      }
      // The generator reaches every kind of answer: kept and refused writes, pages, invalid expressions.
      expect([...statuses.keys()].sort()).to.deep.equal([200, 400, 409]);

      expect(await rpc('ping')).to.deep.equal({ status: 200, body: 'pong' });
      const page = await rpc('list', { FilterExpression: 'begins_with(id, :f)', ExpressionAttributeValues: { ':f': 'fuzz-' } });
      expect((page.body as { Items: unknown[] }).Items).to.have.deep.members(seeded);
    });
  });
});
