/** Scratch directories under the OS temporary directory, removed whatever the tests did. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  /** The directory's path; read it inside a hook or a test, once the `before` hook has made it. */
  readonly path: string;
}

/**
 * A fresh directory for the tests of the enclosing describe block: made in `before` (in
 * `beforeEach` with `each: true`, so no test sees another's files) and removed in the matching
 * `after` hook.
 */
export function useTempDir(prefix: string, options: { each?: boolean } = {}): TempDir {
  let path: string | undefined;
  const make = async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  };
  const remove = async () => {
    if (path !== undefined) await rm(path, { recursive: true, force: true });
    path = undefined;
  };
  if (options.each) {
    beforeEach(make);
    afterEach(remove);
  } else {
    before(make);
    after(remove);
  }
  return {
    get path() {
      if (path === undefined) throw new Error(`useTempDir('${prefix}'): read .path in a hook or a test, not while mocha collects the tests`);
      return path;
    },
  };
}

/** Runs `body` with a fresh directory and removes the directory afterwards, whether `body` throws or not. */
export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
