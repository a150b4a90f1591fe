/**
 * The deployable artifact: the esbuild bundle of handler/ as `index.js` in a deterministic zip,
 * named by its content (dist/handler-<first 12 hex of sha256>.zip). Same sources -> same bytes ->
 * same S3 key, so a deploy with nothing changed uploads nothing and updates no function code.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { writeFileAtomically } from '../fs/atomic-write.js';
import { createZip } from './zip.js';

export interface Artifact {
  /** Absolute path of the zip. */
  zipPath: string;
  /** File name, and the S3 key deploy uploads it as: `handler-<12hex>.zip`. */
  key: string;
  /** sha256 of the zip, hex. */
  sha256: string;
  /** Zip size in bytes. */
  size: number;
  /** Size of index.js before compression, bytes. */
  bundleSize: number;
  /** esbuild warnings, formatted one per line. */
  warnings: string[];
  /** Absolute paths of the source files the bundle was built from (absent for a zip made otherwise). */
  inputs?: string[];
}

/** Lambda's budget for this project's zip (issue 2): 200 KB. */
export const ZIP_BUDGET_BYTES = 200 * 1024;

export async function buildArtifact(options: { root: string; outDir?: string }): Promise<Artifact> {
  // esbuild loads when a bundle is made, not with the commands that could make one (build,
  // deploy, publish), so that every other command starts without it.
  const { BUNDLE_FILE, bundleHandler } = await import('./bundle.js');
  const bundle = await bundleHandler(options.root).catch((err: unknown) => {
    throw bundleFailure(err);
  });
  const zip = createZip([{ name: BUNDLE_FILE, data: bundle.code }]);
  const sha256 = createHash('sha256').update(zip).digest('hex');
  const key = `handler-${sha256.slice(0, 12)}.zip`;
  const outDir = resolve(options.root, options.outDir ?? 'dist');
  await mkdir(outDir, { recursive: true });
  const zipPath = join(outDir, key);
  // A reader (deploy, a parallel build) never sees a half-written zip.
  await writeFileAtomically(zipPath, zip);
  return {
    zipPath,
    key,
    sha256,
    size: zip.length,
    bundleSize: bundle.code.byteLength,
    warnings: bundle.warnings.map((w) => (w.location ? `${w.location.file}:${w.location.line}:${w.location.column}: ${w.text}` : w.text)),
    inputs: bundle.inputs,
  };
}

/** esbuild reports failures as `{errors: Message[]}`; show them as file:line:col lines. */
function bundleFailure(err: unknown): CliError {
  const messages = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
  const details = Array.isArray(messages)
    ? messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text))
    : [err instanceof Error ? err.message : String(err)];
  return new CliError('bundling handler/index.ts failed', { details, cause: err });
}
