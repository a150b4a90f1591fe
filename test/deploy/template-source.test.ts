/** Where deploy puts the template it sends, against moto's S3. */
import { expect } from 'chai';
import { placeTemplate, requiredCapabilities, TEMPLATE_BODY_LIMIT } from '../../cli/deploy/template-source.js';
import { motoClients, startMoto, type MotoServer } from '../support/moto.js';

describe('cli/deploy/template-source', () => {
  describe('placeTemplate', () => {
    let moto: MotoServer;
    const pool = motoClients(() => moto);
    const bucket = { name: 'it-template-source' };

    before(async () => {
      moto = await startMoto();
      const aws = await pool.open();
      await aws.artifacts.createManagedBucket(bucket, moto.region, { expireAfterDays: 1, tlsOnly: false });
    });
    after(async () => {
      pool.destroyAll();
      await moto?.stop();
    });

    const place = async (text: string) => {
      const aws = await pool.open();
      const placed = await placeTemplate({ artifacts: aws.artifacts, bucket, region: moto.region, stackName: 'items', text, now: Date.now() });
      return { placed, keys: await aws.artifacts.list(bucket, 'items/') };
    };

    // CreateChangeSet takes TemplateBody up to 51,200 bytes; larger templates come from S3
    // (TemplateURL): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
    it('sends a template of exactly the inline limit inline, uploading nothing', async () => {
      const text = 'x'.repeat(TEMPLATE_BODY_LIMIT);
      const { placed, keys } = await place(text);
      expect(placed).to.deep.equal({ source: { body: text }, bytes: TEMPLATE_BODY_LIMIT });
      expect(keys).to.deep.equal([]);
    });

    it('counts bytes, not characters: a template over the limit in UTF-8 goes to S3 under its content hash', async () => {
      const text = 'é'.repeat(TEMPLATE_BODY_LIMIT / 2 + 1);
      const { placed, keys } = await place(text);
      expect(placed.bytes).to.equal(TEMPLATE_BODY_LIMIT + 2);
      expect(placed.key).to.match(/^items\/template-[0-9a-f]{12}\.yaml$/);
      expect(placed.source).to.deep.equal({ url: `https://${bucket.name}.s3.${moto.region}.amazonaws.com/${placed.key}` });
      expect(keys).to.deep.equal([placed.key]);
      const again = await place(text);
      expect(again.placed).to.deep.equal(placed);
      expect(again.keys).to.deep.equal([placed.key]);
    });
  });

  describe('requiredCapabilities', () => {
    it('asks for CAPABILITY_IAM, and NAMED_IAM only for named IAM resources', () => {
      expect(requiredCapabilities({ Resources: { T: { Type: 'AWS::DynamoDB::Table' } } })).to.deep.equal([]);
      expect(requiredCapabilities({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: {} } } })).to.deep.equal(['CAPABILITY_IAM']);
      expect(requiredCapabilities({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'x' } } } })).to.deep.equal(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    });
  });
});
