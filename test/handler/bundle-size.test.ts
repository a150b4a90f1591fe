import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { bundleHandler } from '../../cli/build/bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The budget for the zipped artifact. */
const ZIPPED_BUDGET_BYTES = 200 * 1024;

describe('handler bundle', () => {
  describe('bundleHandler', () => {
    it('stays within the 200 KB zipped budget, with the SDK bundled', async () => {
      const { code, warnings } = await bundleHandler(ROOT);
      expect(warnings).to.deep.equal([]);
      // A zip entry is the raw-deflated file plus a few dozen bytes of headers.
      expect(deflateRawSync(code, { level: 9 }).length).to.be.below(ZIPPED_BUDGET_BYTES - 1024);
      const text = Buffer.from(code).toString('utf8');
      expect(text).to.include('DynamoDB_20120810');
      expect(text, 'the handler talks through the lib-dynamodb document client').to.include('DocumentMarshall');
    });
  });
});
