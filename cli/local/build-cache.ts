/**
 * A small on-disk cache for what `cli dev` builds with esbuild at start (the handler bundle), in
 * <root>/node_modules/.cache/cli/ like other tools' caches. Best effort:
 * a cache that cannot be read or written is a miss, never an error.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BuildCache {
  /** undefined when there is no cache directory (no node_modules under the root). */
  readonly dir: string | undefined;
  read(name: string): string | undefined;
  /** Atomic (temp file + rename): concurrent starts never read half a file. */
  write(name: string, contents: string): void;
}

export function openBuildCache(root: string): BuildCache {
  const modules = join(resolve(root), 'node_modules');
  const dir = existsSync(modules) ? join(modules, '.cache', 'cli') : undefined;
  return {
    dir,
    read(name) {
      if (!dir) return undefined;
      try {
        return readFileSync(join(dir, name), 'utf8');
      } catch {
        return undefined;
      }
    },
    write(name, contents) {
      if (!dir) return;
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = join(dir, `${name}.${randomBytes(4).toString('hex')}.tmp`);
        writeFileSync(tmp, contents);
        renameSync(tmp, join(dir, name));
      } catch {
        // Read-only or full disk: the next start builds again.
      }
    },
  };
}

export function sha256(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** `size:mtime` of each file (make's notion of "changed"), `-` for one that is gone; and the newest mtime. */
export function fileStamps(root: string, files: readonly string[]): { text: string; newestMs: number } {
  let newestMs = 0;
  const text = files
    .map((file) => {
      try {
        const s = statSync(resolve(root, file));
        newestMs = Math.max(newestMs, s.mtimeMs);
        return `${file}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${file}:-`;
      }
    })
    .join('\n');
  return { text, newestMs };
}
