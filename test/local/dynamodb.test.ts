/**
 * The local stack's table set-up (cli/local/dynamodb.ts), which speaks the DynamoDB JSON protocol
 * itself: against dynalite, and its SigV4 signature checked against the SDK's own signer.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'chai';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoApiError, dynamoCall, ensureTables, LOCAL_CREDENTIALS, Sha256, startEmbeddedDynamo, type DynamoTableSpec, type EmbeddedDynamo } from '../../cli/local/dynamodb.js';

const REGION = 'us-east-1';

const spec = (name: string, extra: Partial<DynamoTableSpec> = {}): DynamoTableSpec => ({
  TableName: name,
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  ...extra,
});

describe('cli/local/dynamodb', () => {
  let dynamo: EmbeddedDynamo;
  before(async () => {
    dynamo = await startEmbeddedDynamo();
  });
  after(async () => {
    await dynamo.stop();
  });

  describe('ensureTables', () => {
    it('creates missing tables with their indexes, then finds them on the next start', async () => {
      const withIndex = spec('with-index', {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'kind', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      });
      expect(await ensureTables(dynamo.endpoint, [spec('plain'), withIndex], REGION)).to.deep.equal([
        { name: 'plain', created: true },
        { name: 'with-index', created: true },
      ]);
      const described = (await dynamoCall(dynamo.endpoint, REGION, 'DescribeTable', { TableName: 'with-index' })).Table as Record<string, unknown>;
      expect(described.TableStatus).to.equal('ACTIVE');
      expect((described.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName)).to.deep.equal(['byKind']);
      expect(await ensureTables(dynamo.endpoint, [spec('plain')], REGION)).to.deep.equal([{ name: 'plain', created: false }]);
    });

    it('leaves an existing table with another key schema alone and says how it differs', async () => {
      await ensureTables(dynamo.endpoint, [spec('keyed')], REGION);
      const other = spec('keyed', {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      });
      expect(await ensureTables(dynamo.endpoint, [other], REGION)).to.deep.equal([
        { name: 'keyed', created: false, mismatch: 'key schema is (id HASH), the template says (pk HASH)' },
      ]);
    });

    it('rejects with the API error DynamoDB answers', async () => {
      let error: unknown;
      await ensureTables(dynamo.endpoint, [spec('x')], REGION).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(DynamoApiError);
      expect((error as DynamoApiError).type).to.equal('ValidationException');
      expect((error as DynamoApiError).statusCode).to.equal(400);
    });

    it('rejects when nothing listens at the endpoint', async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      let error: unknown;
      await ensureTables(`http://127.0.0.1:${port}`, [spec('plain')], REGION).catch((e: unknown) => (error = e));
      expect((error as NodeJS.ErrnoException).code).to.equal('ECONNREFUSED');
    });
  });

  describe('dynamoCall', () => {
    it('signs requests exactly as the SDK signer does (Signature Version 4)', async () => {
      let seen: { headers: IncomingHttpHeaders; body: string; path: string } | undefined;
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          seen = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '/' };
          res.setHeader('content-type', 'application/x-amz-json-1.0');
          res.end('{"TableNames":[]}');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        expect(await dynamoCall(`http://127.0.0.1:${port}`, 'eu-west-1', 'ListTables', { Limit: 1 })).to.deep.equal({ TableNames: [] });
        const h = seen!.headers;
        const date = String(h['x-amz-date']);
        const signer = new SignatureV4({ credentials: LOCAL_CREDENTIALS, region: 'eu-west-1', service: 'dynamodb', sha256: Sha256, applyChecksum: false });
        const signed = await signer.sign(
          {
            method: 'POST',
            protocol: 'http:',
            hostname: '127.0.0.1',
            port,
            path: seen!.path,
            query: {},
            headers: { 'content-type': String(h['content-type']), host: String(h.host), 'x-amz-date': date, 'x-amz-target': String(h['x-amz-target']) },
            body: seen!.body,
          },
          { signingDate: new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`) },
        );
        expect(h['x-amz-target']).to.equal('DynamoDB_20120810.ListTables');
        expect(h.authorization).to.equal(signed.headers.authorization);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
