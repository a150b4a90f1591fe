/**
 * The --data-dir lock: one holder at a time, named by pid; a lock left by a process that is gone
 * is taken over; only the holder's own file is removed on release.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../cli/errors.js';
import { LOCK_FILE, lockDataDir } from '../../cli/local/data-dir.js';
import { startLocalStack } from '../../cli/local/index.js';
import { useTempDir } from '../support/temp-dir.js';

/** The pid of a process that has exited (and been reaped), so no process has it now. */
async function goneProcessPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('cli/local/data-dir', () => {
  const scratch = useTempDir('data-dir-', { each: true });

  describe('lockDataDir', () => {
    it('creates missing parents and writes the pid; release removes the file', async () => {
      const dir = join(scratch.path, 'a', 'b');
      const lock = await lockDataDir(dir);
      expect(await readFile(join(dir, LOCK_FILE), 'utf8')).to.equal(`${process.pid}\n`);
      await lock.release();
      const again = await lockDataDir(dir);
      await again.release();
    });

    it('takes over a lock file whose process is gone (a kill -9, a crash)', async () => {
      const dir = join(scratch.path, 'data');
      await (await lockDataDir(dir)).release();
      await writeFile(join(dir, LOCK_FILE), `${await goneProcessPid()}\n`);
      const lock = await lockDataDir(dir);
      expect(await readFile(join(dir, LOCK_FILE), 'utf8')).to.equal(`${process.pid}\n`);
      await lock.release();
    });

    it('refuses while a live process holds it, and release leaves another holder\'s file alone', async () => {
      const dir = join(scratch.path, 'data');
      const lock = await lockDataDir(dir);
      let error: unknown;
      await lockDataDir(dir).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(UsageError);
      expect((error as Error).message).to.equal(`--data-dir ${dir}: in use by this process (another local stack in it); stop that stack first, or choose another --data-dir`);
      await writeFile(join(dir, LOCK_FILE), '1\n');
      await lock.release();
      expect(await readFile(join(dir, LOCK_FILE), 'utf8')).to.equal('1\n');
    });
  });

  describe('startLocalStack with a held --data-dir', () => {
    it('refuses before starting anything, and the first stack keeps serving', async () => {
      const root = fileURLToPath(new URL('./fixtures/project', import.meta.url));
      const dataDir = join(scratch.path, 'data');
      const first = await startLocalStack({ root, port: 0, dataDir, concurrency: 1 });
      try {
        let error: unknown;
        await startLocalStack({ root, port: 0, dataDir, concurrency: 1 }).catch((e: unknown) => (error = e));
        expect(error).to.be.instanceOf(UsageError);
        expect((error as Error).message).to.contain(`--data-dir ${dataDir}: in use by this process`);
        expect((await fetch(`${first.endpoint}/version`)).status).to.equal(200);
      } finally {
        await first.stop();
      }
    });
  });
});
