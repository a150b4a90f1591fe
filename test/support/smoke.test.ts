import { expect } from 'chai';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo, type TestDynamo } from './dynamo.js';

describe('test/support/dynamo', () => {
  let dynamo: TestDynamo;
  before(async () => {
    dynamo = await startTestDynamo();
  });
  after(() => dynamo.stop());

  it('serves a real table on a loopback port', async () => {
    expect(dynamo.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const table = await dynamo.createTable();
    await dynamo.doc.send(new PutCommand({ TableName: table, Item: { id: 'a', n: 1.5 } }));
    const got = await dynamo.doc.send(new GetCommand({ TableName: table, Key: { id: 'a' } }));
    expect(got.Item).to.deep.equal({ id: 'a', n: 1.5 });
  });
});
