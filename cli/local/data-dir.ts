/**
 * The `--data-dir` of the embedded DynamoDB: created if missing, and held by one `cli dev` at a
 * time through a lock file naming the holder's pid. LevelDB locks the directory too, but dynalite
 * only finds out when the first request fails ("Database is closed", and a crash); the lock file
 * lets a second `cli dev` refuse before it starts anything, naming the process in the way.
 */
import { lstat, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { processAlive } from './dev-state.js';

/** Beside LevelDB's own files, which LevelDB leaves alone (it only deletes names it generated). */
export const LOCK_FILE = 'cli-dev.lock';

export interface DataDirLock {
  dir: string;
  /** Removes the lock file if it is still this process's. */
  release(): Promise<void>;
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * `mkdir -p`, one level at a time. Node's own `mkdir(dir, { recursive: true })` never returns
 * for a path whose parent exists but cannot hold it (on Linux `/proc/nope`: mkdir answers ENOENT,
 * the parent exists, and Node tries again, forever; seen on Node 20.20). Here an ENOENT once the
 * parent exists is final.
 */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
  }
  await makeDirectory(dirname(dir));
  await mkdir(dir).catch((err: unknown) => {
    if (errnoCode(err) !== 'EEXIST') throw err;
  });
}

function refuse(name: string, problem: string, fix: string, cause: unknown): never {
  throw new UsageError(`--data-dir ${name}: ${problem}; ${fix}`, { cause });
}

/** Creates the directory if needed; refuses a path that cannot be a data directory. */
async function ensureDirectory(dir: string, name: string): Promise<void> {
  try {
    await makeDirectory(dir);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOTDIR') refuse(name, 'a part of the path is a file, not a directory', 'choose a directory', err);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') refuse(name, `cannot create it (${code})`, 'choose a directory you can write to', err);
    if (code === 'ENOENT') refuse(name, 'cannot be created here (the parent does not take new directories)', 'choose a directory you can write to', err);
    throw err;
  }
  const info = await stat(dir).catch((err: unknown) => refuse(name, `cannot be read (${errnoCode(err)}; a broken symbolic link?)`, 'choose a directory', err));
  if (!info.isDirectory()) refuse(name, 'is a file, not a directory', 'choose a directory (it is created if missing)', undefined);
}

/**
 * Takes the data directory for this process, or refuses (exit 2) with one line naming the process
 * that holds it. A lock file whose pid no longer runs (a `kill -9`, a crash) is stale and taken over.
 */
export async function lockDataDir(dataDir: string, name: string = dataDir): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  await ensureDirectory(dir, name);
  const file = resolve(dir, LOCK_FILE);
  const mine = `${process.pid}\n`;
  // Two tries: the second after removing a stale file. If another process wins that race, its
  // fresh file makes this one refuse.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(mine);
      } finally {
        await handle.close();
      }
      return {
        dir,
        async release() {
          const text = await readFile(file, 'utf8').catch(() => undefined);
          if (text === mine) await rm(file, { force: true });
        },
      };
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') {
        if (errnoCode(err) === 'EACCES' || errnoCode(err) === 'EROFS') refuse(name, `cannot write ${LOCK_FILE} in it (${errnoCode(err)})`, 'choose a directory you can write to', err);
        throw err;
      }
    }
    const text = await readFile(file, 'utf8').catch(() => '');
    const pid = /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
    if (pid !== undefined && processAlive(pid)) {
      const who = pid === process.pid ? 'this process (another local stack in it)' : `another cli dev (pid ${pid})`;
      refuse(name, `in use by ${who}`, pid === process.pid ? 'stop that stack first, or choose another --data-dir' : `stop it, or choose another --data-dir`, undefined);
    }
    // Stale (its process is gone) or not ours to read: LevelDB's own LOCK is released by the
    // kernel when a process dies, so only this file is left behind.
    if ((await lstat(file).catch(() => undefined))?.isFile()) await rm(file, { force: true });
  }
  refuse(name, 'its lock file keeps coming back', 'is another cli dev starting on it?', undefined);
}
