#!/usr/bin/env node
// The CLI as plain JavaScript: esbuild bundles cli/bin.ts into node_modules/.cache/cli/, so
// `npx cli` starts without the tsx loader (which transpiles every module and keeps its hooks
// running: ~250 ms and ~25 MB more per start). bin/cli.mjs uses the bundle only while it is
// current (every input has the size and mtime recorded at build time) and rebuilds it otherwise,
// so editing cli/ never runs stale code; with no usable bundle it falls back to tsx.
// The bundle's second entry is the Lambda worker (cli/local/lambda-worker.ts), which every local
// execution environment runs, whichever way the CLI itself runs.
// `npm install` builds it ahead of time (the `prepare` script runs this file).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MANIFEST_VERSION = 2;
/** Builds older than this that the manifest no longer names are deleted (a running CLI may still load their chunks). */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/** Files that change what esbuild produces besides the sources it reads. */
const CONFIG_FILES = ['package.json', 'tsconfig.json'];
/** The worker's file in a build, next to bin.mjs and its chunks. */
const LAMBDA_WORKER = 'lambda-worker.cjs';

function cacheDir(root) {
  return join(root, 'node_modules', '.cache', 'cli');
}

function stamp(file) {
  const s = statSync(file);
  return [s.size, s.mtimeMs];
}

/** The entry module of the current bundle, or undefined when there is none or any input changed. */
export function currentCliBundle(root) {
  return currentEntry(root, 'bin.mjs');
}

/** An entry of the current build, or undefined when there is none or an input of that entry changed. */
function currentEntry(root, name) {
  const dir = cacheDir(root);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const files = manifest?.entries?.[name];
  if (manifest?.version !== MANIFEST_VERSION || typeof manifest.build !== 'string' || !Array.isArray(files)) return undefined;
  try {
    for (const file of files) {
      const [size, mtimeMs] = manifest.inputs[file];
      const [s, m] = stamp(join(root, file));
      if (s !== size || m !== mtimeMs) return undefined;
    }
    const entry = join(dir, manifest.build, name);
    statSync(entry);
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * Bundles cli/bin.ts (dependencies stay in node_modules; dynamic imports become chunks, so the
 * AWS SDK still loads only for the commands that call AWS) and the Lambda worker, and records
 * their inputs. Writes into a fresh directory and switches the manifest last, so concurrent
 * starts never see a half-written bundle. Returns the entry module.
 */
export async function buildCliBundle(root) {
  const esbuild = await import('esbuild');
  const dir = cacheDir(root);
  const build = `b-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const outdir = join(dir, build);
  const common = { absWorkingDir: root, outdir, bundle: true, platform: 'node', target: 'node20', metafile: true, logLevel: 'silent' };
  const results = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { bin: join(root, 'cli', 'bin.ts') },
      splitting: true,
      format: 'esm',
      packages: 'external',
      outExtension: { '.js': '.mjs' },
    }),
    // One CommonJS script, its own build: splitting needs ES modules, and a worker thread loading
    // an ES module answers "ready" about 40 ms later than one running a CommonJS script (median
    // of 30 interleaved starts each), a cost every execution environment would pay.
    esbuild.build({
      ...common,
      entryPoints: { 'lambda-worker': join(root, 'cli', 'local', 'lambda-worker.ts') },
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
    }),
  ]);
  // Each entry's own inputs, so the CLI run from source rebuilds for the worker only when the
  // worker's sources changed.
  const inputs = {};
  const entries = {};
  for (const [name, result] of [['bin.mjs', results[0]], [LAMBDA_WORKER, results[1]]]) {
    entries[name] = [];
    for (const file of [...Object.keys(result.metafile.inputs), ...CONFIG_FILES]) {
      try {
        inputs[file] ??= stamp(join(root, file));
        entries[name].push(file);
      } catch {
        // tsconfig.json is optional.
      }
    }
  }
  const manifest = { version: MANIFEST_VERSION, build, esbuild: esbuild.version, inputs, entries };
  const tmp = join(dir, `manifest.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, join(dir, 'manifest.json'));
  prune(dir, build);
  return join(outdir, 'bin.mjs');
}

function prune(dir, keep) {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (name === keep || !(name.startsWith('b-') || name.endsWith('.tmp'))) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > PRUNE_AFTER_MS) rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

/** The bundle to run: the current one, or a fresh build; undefined when it cannot be built (use tsx). */
export async function cliBundle(root) {
  const current = currentCliBundle(root);
  if (current) return current;
  try {
    mkdirSync(cacheDir(root), { recursive: true });
    return await buildCliBundle(root);
  } catch {
    // No esbuild, a read-only node_modules, or a source that does not compile (tsx reports it better).
    return undefined;
  }
}

/**
 * The Lambda worker script of the current build, built first when one of its sources changed:
 * what the CLI run from source (CLI_FROM_SOURCE=1, the tests through tsx) starts in its worker
 * threads, which have no TypeScript loader. Throws esbuild's error when it cannot be built.
 */
export async function bundledLambdaWorker(root) {
  const current = currentEntry(root, LAMBDA_WORKER);
  if (current) return current;
  mkdirSync(cacheDir(root), { recursive: true });
  return join(dirname(await buildCliBundle(root)), LAMBDA_WORKER);
}

// `node scripts/cli-bundle.mjs` (the `prepare` script): build now; never fail an install over it.
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    mkdirSync(cacheDir(root), { recursive: true });
    await buildCliBundle(root);
  } catch (err) {
    console.warn(`cli bundle not built (npx cli will run from source through tsx): ${err.message}`);
  }
}
