import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../cli/commands/build.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('cli/commands/build', () => {
  describe('build', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'build-cmd-'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('prints the zip path with its size in bytes and KB, and the bundle size', async () => {
      const reporter = createMemoryReporter();
      const artifact = await build({ outDir: dir, json: false }, { reporter, root, env: process.env });
      expect(reporter.stdout).to.have.length(1);
      expect(reporter.stdout[0]).to.match(/handler-[0-9a-f]{12}\.zip {2}\d+ bytes \(\d+\.\d KB\), index\.js \d+ bytes \(\d+\.\d KB\)$/);
      expect(reporter.stdout[0]).to.include(`${artifact.size} bytes`);
      expect(reporter.stderr.filter((l) => l.startsWith('warning:'))).to.deep.equal([]);
    });

    it('prints the artifact as JSON with --json', async () => {
      const reporter = createMemoryReporter();
      const artifact = await build({ outDir: dir, json: true }, { reporter, root, env: process.env });
      expect(JSON.parse(reporter.stdout.join('\n'))).to.deep.equal(JSON.parse(JSON.stringify(artifact)));
    });
  });
});
