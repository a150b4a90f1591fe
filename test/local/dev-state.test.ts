import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_KEY_VALUE_OUTPUT, localOutputs, processAlive, readDevStates, writeDevState, type DevState } from '../../cli/local/dev-state.js';
import { useTempDir } from '../support/temp-dir.js';

/** The pid of a process that has exited (a child that ran nothing). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

const state = (pid: number, startedAt = '2030-01-01T00:00:00.000Z'): DevState => ({
  pid,
  origin: 'http://127.0.0.1:3000',
  stage: 'dev',
  outputs: { ApiEndpoint: 'http://127.0.0.1:3000/dev', [API_KEY_VALUE_OUTPUT]: 'K' },
  startedAt,
});

describe('cli/local/dev-state', () => {
  const dir = useTempDir('dev-state-', { each: true });

  describe('writeDevState', () => {
    it('writes <pid>.json by a rename (no temporary file left) and removes it', async () => {
      const written = await writeDevState(join(dir.path, 'cli-dev'), state(process.pid));
      expect(await readdir(join(dir.path, 'cli-dev'))).to.deep.equal([`${process.pid}.json`]);
      expect(JSON.parse(await readFile(written.file, 'utf8'))).to.deep.equal(state(process.pid));
      expect((await stat(written.file)).mode & 0o777).to.equal(0o600);
      await written.remove();
      expect(await readdir(join(dir.path, 'cli-dev'))).to.deep.equal([]);
    });
  });

  describe('readDevStates', () => {
    it('returns the live ones and ignores a stale one (its process is gone), half-written and foreign files', async () => {
      const gone = await deadPid();
      expect(processAlive(gone)).to.equal(false);
      await writeFile(join(dir.path, `${gone}.json`), JSON.stringify(state(gone)));
      await writeFile(join(dir.path, `${process.pid}.json`), JSON.stringify(state(process.pid)));
      await writeFile(join(dir.path, `${process.ppid}.json.tmp`), JSON.stringify(state(process.ppid)));
      await writeFile(join(dir.path, `${process.ppid}.json`), '{"pid":');
      await writeFile(join(dir.path, '1.json'), JSON.stringify(state(process.pid))); // names another pid
      expect(await readDevStates(dir.path)).to.deep.equal([state(process.pid)]);
    });

    it('finds none in a directory that does not exist', async () => {
      expect(await readDevStates(join(dir.path, 'none'))).to.deep.equal([]);
    });
  });

  describe('localOutputs', () => {
    it('adds the local key as ApiKeyValue only when a method needs one', () => {
      expect(localOutputs({ outputs: { ApiKeyId: 'abc' }, apiKey: 'K' })).to.deep.equal({ ApiKeyId: 'abc', ApiKeyValue: 'K' });
      expect(localOutputs({ outputs: { ApiEndpoint: 'u' } })).to.deep.equal({ ApiEndpoint: 'u' });
    });
  });
});
