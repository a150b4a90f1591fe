/**
 * Watches the files a build read (esbuild's metafile inputs) and says which of them changed.
 *
 * Why not `fs.watch(dir, { recursive: true })`: on Linux, Node 20 implements it in JavaScript by
 * watching each file it found, so a save that writes a temporary file and renames it over the
 * original (sed -i, JetBrains' safe write, git) leaves the watch on the replaced file and every
 * later save is missed (test/local/hot-reload.test.ts, the sed -i case, failed that way). A watch on a directory survives any change of its entries, so this
 * watches each directory holding an input (one non-recursive watch each), and its ancestors up to
 * the root, so a directory that is deleted and created again (git checkout) is re-armed.
 *
 * An event only says "something happened to this name". Whether an input changed is decided by
 * its content: a stat first (inode, size, mtime, ctime), then a SHA-256 of the bytes for the
 * project's own sources, so editor temporary and swap files, touched files and identical
 * checkouts never count as changes. Files under node_modules are compared by stat only: hashing
 * the SDK's ~800 files at every start costs more than it saves.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CONFIG_FILES } from './handler-build.js';

export interface SourceChange {
  /** Inputs whose content changed, appeared or vanished (absolute paths). */
  changed: string[];
  /** A new name appeared that an import could resolve to (a source file, a directory, a config file). */
  resolvable: boolean;
  /** performance.now() of the first event behind this change (the save, for "reloaded in N ms"). */
  since: number;
}

export interface SourceWatcherOptions {
  /** Project root: its own files (package.json, tsconfig.json) count as inputs too. */
  root: string;
  /** Absolute paths of the files the current code was built from. */
  inputs: readonly string[];
  onChange(change: SourceChange): void;
  /** A directory that cannot be watched (inotify limit, permissions): its changes will be missed. */
  onWarning(message: string): void;
}

export interface SourceWatcher {
  /**
   * Switches to the inputs of a new build and returns those that were not inputs before.
   * `builtAt` (epoch ms) is when that build started: a new input modified since may not be in
   * its output, so its next event counts as a change whatever its content.
   */
  track(inputs: readonly string[], builtAt: number): string[];
  close(): void;
}

/** Quiet period after the last event before comparing (editors write in several steps). */
const DEBOUNCE_MS = 20;
/** What an import without an extension can resolve to (esbuild's default resolveExtensions), plus its other loaders. */
const RESOLVABLE = new Set(['.tsx', '.ts', '.mts', '.cts', '.jsx', '.js', '.mjs', '.cjs', '.css', '.json', '.txt']);
/**
 * A safe write removes the file for a moment, and a save in place truncates it before writing:
 * how long an input may stay missing or empty before that counts as what the user meant.
 */
const MIDWRITE_GRACE_MS = 250;
/** The longest a stream of events (a tool rewriting files for a while) defers the comparison. */
const MAX_WAIT_MS = 200;

interface Known {
  stat: string;
  /** undefined: compared by stat only (node_modules), or unknown (changed during the last build). */
  hash: string | undefined;
}

function statKey(file: string): string {
  try {
    const s = statSync(file);
    return s.isFile() ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : '-';
  } catch {
    return '-';
  }
}

function contentHash(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

function missingOrEmpty(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch {
    return true;
  }
}

function changedSince(file: string, epochMs: number): boolean {
  try {
    const s = statSync(file);
    // File times come from a coarse kernel clock, hence the margin; a rename sets ctime.
    return Math.max(s.mtimeMs, s.ctimeMs) >= epochMs - 10;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function inode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** Whether `path` is `dir` or below it. */
const within = (dir: string, path: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

export function watchSources(options: SourceWatcherOptions): SourceWatcher {
  const root = resolve(options.root);
  const hashed = (file: string) => !file.split(sep).includes('node_modules');
  const known = new Map<string, Known>();
  const watchers = new Map<string, { watcher: FSWatcher; ino: number | undefined }>();
  const warned = new Set<string>();
  const created = new Set<string>();
  /** Paths events named since the last comparison. */
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  /** When the oldest event not compared yet came (a steady stream of events still gets compared). */
  let firstPendingAt: number | undefined;
  let graphDirs = new Set<string>();
  let midwriteSince: number | undefined;
  let closed = false;

  const remember = (file: string, builtAt?: number) => {
    const unknown = builtAt !== undefined && changedSince(file, builtAt);
    known.set(file, { stat: unknown ? '?' : statKey(file), hash: unknown || !hashed(file) ? undefined : contentHash(file) });
  };

  /** Whether `file` differs from what was last seen (and remembers what it is now). */
  const differs = (file: string): boolean => {
    const before = known.get(file)!;
    const stat = statKey(file);
    if (stat === before.stat) return false;
    const hash = stat === '-' || !hashed(file) ? undefined : contentHash(file);
    known.set(file, { stat, hash });
    return hash === undefined || hash !== before.hash;
  };

  const arm = (dir: string) => {
    const existing = watchers.get(dir);
    const ino = inode(dir);
    if (existing && existing.ino === ino) return;
    existing?.watcher.close();
    watchers.delete(dir);
    if (ino === undefined) return; // Gone: the parent's watch says when it is back.
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (closed || !name) return;
        const path = resolve(dir, String(name));
        // A log file written next to the sources (`cli dev 2> dev.log`), a swap file: not an input.
        const ext = extname(path);
        if (!known.has(path) && !graphDirs.has(path) && ext !== '' && !RESOLVABLE.has(ext)) return;
        pending.add(path);
        schedule();
      });
      // A watched directory that is deleted may report an error: drop it, the next sync re-arms it.
      watcher.on('error', () => {
        watcher.close();
        if (watchers.get(dir)?.watcher === watcher) watchers.delete(dir);
        schedule();
      });
      watchers.set(dir, { watcher, ino });
    } catch (err) {
      if (!warned.has(dir)) {
        warned.add(dir);
        options.onWarning(`cannot watch ${dir} (${(err as Error).message}); changes there will not reload`);
      }
    }
  };

  /** Directories of the inputs and, inside the root, every ancestor up to it; and new directories seen since the last build. */
  const directories = (): Set<string> => {
    const dirs = new Set<string>([root, ...created]);
    for (const file of known.keys()) {
      let dir = dirname(file);
      if (!within(root, dir)) {
        dirs.add(dir);
        continue;
      }
      while (!dirs.has(dir) && within(root, dir)) {
        dirs.add(dir);
        dir = dirname(dir);
      }
    }
    return dirs;
  };

  const sync = () => {
    const wanted = directories();
    graphDirs = wanted;
    for (const [dir, { watcher }] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) arm(dir);
  };

  const schedule = (delayMs = DEBOUNCE_MS) => {
    const now = performance.now();
    firstPendingAt ??= now;
    if (timer !== undefined && now - firstPendingAt > MAX_WAIT_MS) return;
    clearTimeout(timer);
    timer = setTimeout(compare, delayMs);
  };

  const compare = () => {
    timer = undefined;
    const since = firstPendingAt ?? performance.now();
    firstPendingAt = undefined;
    if (closed) return;
    const paths = pending;
    pending = new Set();
    const changed = new Set<string>();
    let resolvable = false;
    for (const path of paths) {
      if (known.has(path)) {
        if (differs(path)) changed.add(path);
      } else if (graphDirs.has(path)) {
        // A directory of the graph replaced or removed (git checkout, rm -r): look at everything below it.
        for (const file of known.keys()) if (within(path, file) && differs(file)) changed.add(file);
      } else if (isDirectory(path)) {
        // A new directory may hold the module a failed import is waiting for: watch it until the next build.
        if (basename(path).startsWith('.') || basename(path) === 'node_modules') continue;
        if (within(root, path)) created.add(path);
        resolvable = true;
      } else if (statKey(path) !== '-' && (RESOLVABLE.has(extname(path)) || CONFIG_FILES.includes(basename(path)))) {
        // A new file an import may now resolve to; anything else is an editor's temporary or swap file.
        resolvable = true;
      }
    }
    sync();
    if ([...changed].some(missingOrEmpty)) {
      midwriteSince ??= performance.now();
      if (performance.now() - midwriteSince < MIDWRITE_GRACE_MS) {
        // Probably a save in progress: look again shortly, these files still counting as changed.
        for (const f of changed) {
          known.set(f, { stat: '?', hash: undefined });
          pending.add(f);
        }
        for (const p of paths) pending.add(p);
        schedule(Math.max(DEBOUNCE_MS, 50));
        firstPendingAt = Math.min(firstPendingAt!, since);
        return;
      }
    }
    midwriteSince = undefined;
    if (changed.size > 0 || resolvable) options.onChange({ changed: [...changed].sort(), resolvable, since });
  };

  const track: SourceWatcher['track'] = (inputs, builtAt) => {
    const next = new Set([...inputs.map((f) => resolve(root, f)), ...CONFIG_FILES.map((f) => resolve(root, f))]);
    const added: string[] = [];
    let removed = false;
    for (const file of known.keys()) {
      if (!next.has(file)) {
        known.delete(file);
        removed = true;
      }
    }
    // A known file keeps what it was before the build: a save during the build differs from that.
    for (const file of next) {
      const before = known.get(file);
      if (!before) added.push(file);
      if (!before || before.stat === '?') remember(file, builtAt);
    }
    const hadCreated = created.size > 0;
    created.clear();
    if (!closed && (added.length > 0 || removed || hadCreated)) sync();
    const configs = new Set(CONFIG_FILES.map((f) => resolve(root, f)));
    return added.filter((f) => !configs.has(f)).sort();
  };

  for (const file of [...options.inputs.map((f) => resolve(root, f)), ...CONFIG_FILES.map((f) => resolve(root, f))]) remember(file);
  sync();

  return {
    track,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/** How a reload line names a file: relative to the project root when inside it. */
export function displayName(root: string, file: string): string {
  const rel = relative(resolve(root), resolve(root, file));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
}
