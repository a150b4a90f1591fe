/**
 * cli/build/source-map.ts against the real handler bundle's map, read back with Node's own
 * SourceMap (what resolves stack traces under --enable-source-maps).
 */
import { expect } from 'chai';
import * as esbuild from 'esbuild';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';
import { handlerBuildOptions } from '../../cli/build/bundle.js';
import { isOwnSource, keepSources, type SourceMapV3 } from '../../cli/build/source-map.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('cli/build/source-map', () => {
  let map: SourceMapV3;
  let code: string;
  before(async () => {
    const options = handlerBuildOptions(ROOT);
    const result = await esbuild.build({ ...options, sourcemap: 'external', sourcesContent: false });
    map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map'))!.text) as SourceMapV3;
    code = result.outputFiles.find((f) => f.path === options.outfile)!.text;
  });

  describe('keepSources', () => {
    it('re-encodes the mappings unchanged when it keeps every source', () => {
      const all = keepSources(map, () => true);
      expect(all.mappings).to.equal(map.mappings);
      expect(all.sources).to.deep.equal(map.sources);
    });

    it('maps every position of a kept source as the full map does, and no position to a dropped one', () => {
      const full = new SourceMap(map as SourceMapPayload);
      const own = keepSources(map, isOwnSource);
      expect(own.sources.length).to.be.greaterThan(5);
      expect(own.sources.every((s) => s.startsWith('../../handler/'))).to.equal(true);
      expect(JSON.stringify(own).length).to.be.below(JSON.stringify(map).length / 5);
      const cut = new SourceMap(own as SourceMapPayload);
      const lines = code.split('\n');
      let ownSeen = 0;
      let sdkSeen = 0;
      // Every 97th column of the bundle: a sample across handler and SDK code.
      lines.forEach((text, line) => {
        for (let column = 0; column < text.length; column += 97) {
          const before = full.findEntry(line, column) as { originalSource?: string; originalLine?: number; originalColumn?: number };
          const after = cut.findEntry(line, column) as typeof before;
          if (before.originalSource !== undefined && isOwnSource(before.originalSource)) {
            ownSeen++;
            expect([after.originalSource, after.originalLine, after.originalColumn]).to.deep.equal([before.originalSource, before.originalLine, before.originalColumn]);
          } else {
            sdkSeen++;
            expect(after.originalSource, `line ${line} column ${column}`).to.equal(undefined);
          }
        }
      });
      expect(ownSeen).to.be.greaterThan(50);
      expect(sdkSeen).to.be.greaterThan(50);
    });

    it('refuses mappings that are not base64 VLQ, naming the character', () => {
      expect(() => keepSources({ version: 3, sources: ['a.ts'], names: [], mappings: 'AA!A' }, () => true)).to.throw('invalid source map mappings: "!"');
    });
  });
});
