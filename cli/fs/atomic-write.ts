/**
 * Write then rename: a reader (invoke reading an outputs file, deploy reading a zip, a second
 * `cli dev` reading a state file) sees the old file or the new one, never half of one.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

let writes = 0;

/**
 * The temporary file sits beside the target (a rename does not cross file systems), is named for
 * this process and write (two writers never share one), and is removed when the write fails.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${++writes}.tmp`);
  try {
    await writeFile(temporary, data, options.mode !== undefined ? { mode: options.mode } : {});
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** A file the user named (e.g. --outputs-file) that cannot be written: their input, one line. */
export function unwritableFile(option: string, file: string, err: unknown): UsageError {
  const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new UsageError(`${option} ${file}: cannot write it (${reason}); choose a file in a directory you can write to`, { cause: err });
}
