/**
 * The local store (dynalite, patched: patches/dynalite+4.0.0.patch) under update expressions whose
 * result DynamoDB computes itself, driven through the whole local stack (API Gateway emulation ->
 * Lambda runtime -> handler -> dynalite) with the project's template and handler. The handler
 * checks every number it is given (handler/decimal.ts), but a sum is made inside the store, so
 * only the store can refuse it; the handler passes DynamoDB's ValidationException on as a 400
 * with DynamoDB's message (handler/item-store.ts).
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Answer {
  status: number;
  body: unknown;
}

describe('cli/local (the store under update and condition expressions)', () => {
  let stack: LocalStack;
  const rpc = async (operation: string, payload?: Record<string, unknown>): Promise<Answer> => {
    const res = await fetch(stack.outputs.DynamoDBManagerUrl!, { method: 'POST', body: JSON.stringify({ operation, ...(payload ? { payload } : {}) }) });
    return { status: res.status, body: JSON.parse(await res.text()) as unknown };
  };
  const message = (answer: Answer): string => (answer.body as { message: string }).message;

  before(async () => {
    // Not about auth: unsigned requests.
    stack = await startLocalStack({ root: ROOT, port: 0, concurrency: 2, parameterOverrides: { AuthMode: 'NONE' } });
  });
  after(() => stack?.stop());

  // DynamoDB numbers range up to 9.9999999999999999999999999999999999999E+125
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number).
  // A sum past it is refused with ValidationException "Number overflow. Attempting to store a
  // number with magnitude larger than supported range": ScyllaDB's Alternator tests, run against
  // DynamoDB, test/alternator/test_number.py (test_update_expression_plus_overflow: 9e125 + 9e125,
  // and the message quoted in test_update_expression_plus_imprecise). Dynalite returned 200 and
  // stored 1.8E+126.
  describe('a sum past the largest number', () => {
    const OVERFLOW = 'DynamoDB rejected the request: Number overflow. Attempting to store a number with magnitude larger than supported range';
    const item = { id: 'overflow', m: 9e125 };
    before(async () => {
      expect((await rpc('create', { Item: item })).status).to.equal(200);
    });
    const refusedUpdate = async (UpdateExpression: string, v: number): Promise<Answer> => {
      const answer = await rpc('update', { Key: { id: item.id }, UpdateExpression, ExpressionAttributeValues: { ':v': v } });
      expect((await rpc('read', { Key: { id: item.id } })).body).to.deep.equal({ Item: item });
      return answer;
    };

    it('refuses SET m = m + :v (400, DynamoDB\'s message) and keeps the item', async () => {
      const answer = await refusedUpdate('SET m = m + :v', 9e125);
      expect(answer.status).to.equal(400);
      expect(message(answer)).to.equal(OVERFLOW);
    });

    it('refuses SET m = m - :v with a negative :v (400) and keeps the item', async () => {
      const answer = await refusedUpdate('SET m = m - :v', -9e125);
      expect(answer.status).to.equal(400);
      expect(message(answer)).to.equal(OVERFLOW);
    });

    it('refuses ADD m :v (400, DynamoDB\'s message) and keeps the item', async () => {
      const answer = await refusedUpdate('ADD m :v', 9e125);
      expect(answer.status).to.equal(400);
      expect(message(answer)).to.equal(OVERFLOW);
    });

    // A result that needs more than 38 digits gets the same text: "Strangely, DynamoDB says that the
    // error is: 'Number overflow...'" (test_number.py, test_update_expression_plus_imprecise, 1e50 - 1).
    it('refuses SET p = :a - :b whose result needs 39 digits (400, the overflow message)', async () => {
      const answer = await rpc('update', { Key: { id: item.id }, UpdateExpression: 'SET p = :a - :b', ExpressionAttributeValues: { ':a': 1e50, ':b': 1 } });
      expect(answer.status).to.equal(400);
      expect(message(answer)).to.equal(OVERFLOW);
      expect((await rpc('read', { Key: { id: item.id } })).body).to.deep.equal({ Item: item });
    });

    it('still adds within the range (200)', async () => {
      const answer = await rpc('update', { Key: { id: item.id }, UpdateExpression: 'ADD m :v', ExpressionAttributeValues: { ':v': -8e125 }, ReturnValues: 'UPDATED_NEW' });
      expect(answer).to.deep.equal({ status: 200, body: { Attributes: { m: 1e125 } } });
    });
  });

  // "IN: The maximum number of operands for the IN comparator is 100"
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters).
  // The text for 101, "The IN operator is provided with too many operands; number of operands:
  // 101", is not in AWS's documentation; it is the one several independent DynamoDB emulators found
  // by the search tool reproduce word for word (and a Java error table, TOO_MANY_OPERANDS_FOR_IN,
  // carries its first part). No recording of AWS's own answer was found. Dynalite accepted 101.
  describe('an IN with more operands than DynamoDB allows', () => {
    const inList = (count: number): { expression: string; values: Record<string, number> } => {
      const values = Object.fromEntries(Array.from({ length: count }, (_, i) => [`:v${i}`, i]));
      return { expression: `n IN (${Object.keys(values).join(', ')})`, values };
    };

    it('refuses a filter n IN (101 values) (400, DynamoDB\'s message)', async () => {
      const { expression, values } = inList(101);
      const answer = await rpc('list', { FilterExpression: expression, ExpressionAttributeValues: values });
      expect(answer.status).to.equal(400);
      expect(message(answer)).to.equal('DynamoDB rejected the request: Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101');
    });

    it('refuses a condition n IN (101 values) (400) and keeps the item', async () => {
      const item = { id: 'in-101', n: 3 };
      expect((await rpc('create', { Item: item })).status).to.equal(200);
      const { expression, values } = inList(101);
      const answer = await rpc('delete', { Key: { id: item.id }, ConditionExpression: expression, ExpressionAttributeValues: values });
      expect(answer.status).to.equal(400);
      expect(message(answer)).to.equal('DynamoDB rejected the request: Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101');
      expect((await rpc('read', { Key: { id: item.id } })).body).to.deep.equal({ Item: item });
    });

    it('accepts n IN (100 values) (200)', async () => {
      const { expression, values } = inList(100);
      expect((await rpc('list', { FilterExpression: expression, ExpressionAttributeValues: values })).status).to.equal(200);
    });
  });

  // "If the element doesn't already exist, SET appends the new element to the end of the list"
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.SET),
  // and UPDATED_NEW "returns only the updated attributes, as they appear after the UpdateItem
  // operation" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValues),
  // projected as a nested path is: the appended element, in a list of its own. No recording of
  // AWS's answer for this case was found; dynalite looked for the element at index 10 and returned {}.
  describe('SET of a list element past the end (an append) with UPDATED_NEW', () => {
    it('returns the appended element (200)', async () => {
      expect((await rpc('create', { Item: { id: 'tags-1', tags: ['a', 'b'] } })).status).to.equal(200);
      const answer = await rpc('update', { Key: { id: 'tags-1' }, UpdateExpression: 'SET tags[10] = :v', ExpressionAttributeValues: { ':v': 'c' }, ReturnValues: 'UPDATED_NEW' });
      expect(answer).to.deep.equal({ status: 200, body: { Attributes: { tags: ['c'] } } });
      expect((await rpc('read', { Key: { id: 'tags-1' } })).body).to.deep.equal({ Item: { id: 'tags-1', tags: ['a', 'b', 'c'] } });
    });

    it('returns both appended elements, in index order, for two appends in one SET (200)', async () => {
      expect((await rpc('create', { Item: { id: 'tags-2', tags: ['a'] } })).status).to.equal(200);
      const answer = await rpc('update', { Key: { id: 'tags-2' }, UpdateExpression: 'SET tags[20] = :w, tags[10] = :v', ExpressionAttributeValues: { ':v': 'b', ':w': 'c' }, ReturnValues: 'UPDATED_NEW' });
      expect(answer).to.deep.equal({ status: 200, body: { Attributes: { tags: ['b', 'c'] } } });
      expect((await rpc('read', { Key: { id: 'tags-2' } })).body).to.deep.equal({ Item: { id: 'tags-2', tags: ['a', 'b', 'c'] } });
    });

    it('still returns a replaced element in place (200)', async () => {
      expect((await rpc('create', { Item: { id: 'tags-3', tags: ['a', 'b'] } })).status).to.equal(200);
      const answer = await rpc('update', { Key: { id: 'tags-3' }, UpdateExpression: 'SET tags[1] = :v', ExpressionAttributeValues: { ':v': 'z' }, ReturnValues: 'UPDATED_NEW' });
      expect(answer).to.deep.equal({ status: 200, body: { Attributes: { tags: ['z'] } } });
    });
  });

  // DynamoDB names the token it stopped at and the tokens around it: `Syntax error; token:
  // "<token>", near: "<previous token> <token> <next token>"`, with "<EOF>" at the end of the
  // expression. The cases and texts are moto's, written from AWS's answers: getmoto/moto
  // tests/test_dynamodb/test_dynamodb.py (assert_raise_syntax_error and its callers) and
  // tests/test_dynamodb/exceptions/test_dynamodb_exceptions.py (test_update_expression_with_trailing_comma).
  // Dynalite said `Syntax error; Expected ... but end of input found.`
  describe('a syntax error in an update expression', () => {
    const cases: [string, string][] = [
      ['SET #a = :a, #b = :b,', 'Syntax error; token: "<EOF>", near: ","'],
      ['SET MyStr = myNum + 1', 'Syntax error; token: "1", near: "+ 1"'],
      ['SET MyStr = myNum Mystr2 myNum2', 'Syntax error; token: "Mystr2", near: "myNum Mystr2 myNum2"'],
      ['SET MyStr = my Num', 'Syntax error; token: "Num", near: "my Num"'],
      ['DELETE num_val badvalue', 'Syntax error; token: "badvalue", near: "num_val badvalue"'],
    ];
    for (const [UpdateExpression, text] of cases) {
      it(`answers ${UpdateExpression} with DynamoDB's text (400)`, async () => {
        const names = UpdateExpression.includes('#') ? { ExpressionAttributeNames: { '#a': 'a', '#b': 'b' }, ExpressionAttributeValues: { ':a': 1, ':b': 2 } } : {};
        const answer = await rpc('update', { Key: { id: 'syntax' }, UpdateExpression, ...names });
        expect(answer.status).to.equal(400);
        expect(message(answer)).to.equal(`DynamoDB rejected the request: Invalid UpdateExpression: ${text}`);
      });
    }
  });
});
