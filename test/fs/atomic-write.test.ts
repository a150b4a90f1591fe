import { expect } from 'chai';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unwritableFile, writeFileAtomically } from '../../cli/fs/atomic-write.js';
import { UsageError } from '../../cli/errors.js';
import { useTempDir } from '../support/temp-dir.js';

describe('cli/fs/atomic-write', () => {
  const temp = useTempDir('atomic-write-', { each: true });

  describe('writeFileAtomically', () => {
    it('replaces the file and leaves no temporary file beside it', async () => {
      const file = join(temp.path, 'outputs.json');
      await writeFile(file, 'old');
      await writeFileAtomically(file, 'new');
      expect(await readFile(file, 'utf8')).to.equal('new');
      expect(await readdir(temp.path)).to.deep.equal(['outputs.json']);
    });

    it('creates the file with the mode asked for', async () => {
      const file = join(temp.path, 'state.json');
      await writeFileAtomically(file, new Uint8Array([1, 2]), { mode: 0o600 });
      expect((await stat(file)).mode & 0o777).to.equal(0o600);
    });

    it('rejects with the error of the rename and leaves no temporary file when the target is a directory', async () => {
      const target = join(temp.path, 'taken');
      await mkdir(target);
      await writeFile(join(target, 'inside'), '');
      const err = await writeFileAtomically(target, 'x').then(() => undefined, (e: NodeJS.ErrnoException) => e);
      expect(err?.code).to.equal('EISDIR');
      expect(await readdir(temp.path)).to.deep.equal(['taken']);
    });
  });

  describe('unwritableFile', () => {
    it('is one line naming the option, the file and the reason (exit 2)', () => {
      const err = unwritableFile('--outputs-file', 'nope/o.json', Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' }));
      expect(err).to.be.instanceOf(UsageError);
      expect(err.exitCode).to.equal(2);
      expect(err.message).to.equal('--outputs-file nope/o.json: cannot write it (ENOENT); choose a file in a directory you can write to');
    });
  });
});
