/**
 * The handler bundle for the local stack: the very esbuild options `cli build` uses
 * (cli/build/bundle.ts) plus an inline source map, kept in an incremental esbuild context so a
 * rebuild after a save only redoes what changed.
 *
 * Every good build is also kept in the build cache with the list of files esbuild read, so the
 * next start whose inputs are all unchanged (same size and mtime, same directory listings, same
 * options and esbuild version) serves the cached bundle without starting esbuild at all.
 */
import * as esbuild from 'esbuild';
import { dirname, resolve } from 'node:path';
import { handlerBuildOptions } from '../build/bundle.js';
import { inlineSourceMapComment, isOwnSource, keepSources, type SourceMapV3 } from '../build/source-map.js';
import { fileStamps, openBuildCache, sha256 } from './build-cache.js';

export type HandlerBuild =
  /** `inputs`: absolute paths of the files the bundle was built from (what hot reload watches). */
  | { ok: true; code: string; warnings: string[]; inputs: string[]; ms: number }
  | { ok: false; errors: string[]; ms: number };

export interface HandlerBuilder {
  /** The last good build, when nothing it was built from has changed since. */
  cached(): (HandlerBuild & { ok: true }) | undefined;
  build(): Promise<HandlerBuild>;
  dispose(): Promise<void>;
}

interface CacheEntry {
  key: string;
  /** Files and directories the key stamps (relative to the root). */
  stamped: string[];
  /** The source files esbuild read (relative to the root). */
  inputs: string[];
  code: string;
  warnings: string[];
}

/** Besides the sources esbuild reads, what changes its output or its module resolution (cached on, and watched). */
export const CONFIG_FILES = ['package.json', 'tsconfig.json'];

async function format(messages: esbuild.Message[], kind: 'error' | 'warning'): Promise<string[]> {
  if (messages.length === 0) return [];
  return (await esbuild.formatMessages(messages, { kind, color: false })).map((m) => m.trimEnd());
}

export function createHandlerBuilder(root: string): HandlerBuilder {
  // A source map (names and lines only, the sources are on disk), inlined once cut to the
  // project's own sources (cli/build/source-map.ts), so a stack trace in the local stack names
  // handler/*.ts lines; the worker turns source maps on (lambda-worker.ts).
  const options = { ...handlerBuildOptions(root), metafile: true as const, sourcemap: 'external' as const, sourcesContent: false };
  const cache = openBuildCache(root);
  const entryName = `handler-${sha256(resolve(root)).slice(0, 12)}.json`;
  const keyOf = (stamps: { text: string }) => sha256(esbuild.version, JSON.stringify(options), stamps.text);
  let context: Promise<esbuild.BuildContext<typeof options>> | undefined;

  return {
    cached() {
      const started = performance.now();
      const text = cache.read(entryName);
      if (text === undefined) return undefined;
      try {
        const entry = JSON.parse(text) as CacheEntry;
        if (!Array.isArray(entry.stamped) || !Array.isArray(entry.inputs) || entry.key !== keyOf(fileStamps(root, entry.stamped))) return undefined;
        return { ok: true, code: entry.code, warnings: entry.warnings, inputs: entry.inputs.map((f) => resolve(root, f)), ms: performance.now() - started };
      } catch {
        return undefined;
      }
    },
    async build() {
      const started = performance.now();
      const startedAt = Date.now();
      try {
        context ??= esbuild.context(options);
        const result = await (await context).rebuild();
        const out = result.outputFiles?.find((f) => f.path === options.outfile) ?? result.outputFiles?.[0];
        if (!out) return { ok: false, errors: ['esbuild produced no output'], ms: performance.now() - started };
        const map = result.outputFiles?.find((f) => f.path === `${options.outfile}.map`);
        const code = map ? out.text + inlineSourceMapComment(keepSources(JSON.parse(map.text) as SourceMapV3, isOwnSource)) : out.text;
        const warnings = await format(result.warnings, 'warning');
        const files = Object.keys(result.metafile.inputs).filter((f) => !f.includes(':'));
        const stamped = [...new Set([...files, ...files.map((f) => dirname(f)), ...CONFIG_FILES])].sort();
        const stamps = fileStamps(root, stamped);
        // A file saved while esbuild ran may not be in this output: leave the cache to the next
        // build. File times come from a coarse kernel clock, hence the margin.
        if (stamps.newestMs < startedAt - 10) cache.write(entryName, JSON.stringify({ key: keyOf(stamps), stamped, inputs: files, code, warnings } satisfies CacheEntry));
        return { ok: true, code, warnings, inputs: files.map((f) => resolve(root, f)), ms: performance.now() - started };
      } catch (err) {
        const failure = err as esbuild.BuildFailure;
        const errors = Array.isArray(failure.errors) ? await format(failure.errors, 'error') : [String(err)];
        return { ok: false, errors, ms: performance.now() - started };
      }
    },
    async dispose() {
      const pending = context;
      context = undefined;
      if (pending) await (await pending.catch(() => undefined))?.dispose();
    },
  };
}
