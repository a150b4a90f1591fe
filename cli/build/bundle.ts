/**
 * esbuild settings for the Lambda bundle, shared by `cli build` (the artifact that deploys) and
 * `cli dev` (which runs the very same bundle, rebuilt incrementally on change).
 */
import * as esbuild from 'esbuild';
import { join } from 'node:path';

/** The file name inside the zip, and so the Handler string `index.handler` in the template. */
export const BUNDLE_FILE = 'index.js';

/**
 * CommonJS, one file, SDK included (so the bundle does not depend on the SDK version the Lambda
 * runtime happens to ship), minified, `node20` target so the same file runs on Node 20 (local)
 * and the template's nodejs22.x runtime.
 */
export function handlerBuildOptions(root: string): esbuild.BuildOptions & { write: false } {
  return {
    absWorkingDir: root,
    entryPoints: [join(root, 'handler', 'index.ts')],
    outfile: join(root, 'dist', 'bundle', BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    write: false,
  };
}

export interface Bundle {
  /** The bundled JavaScript (`index.js`). */
  code: Uint8Array;
  warnings: esbuild.Message[];
  /** Absolute paths of the files esbuild read (its metafile inputs), for watchers. */
  inputs: string[];
}

export async function bundleHandler(root: string): Promise<Bundle> {
  const result = await esbuild.build({ ...handlerBuildOptions(root), metafile: true });
  const out = result.outputFiles.find((f) => f.path.endsWith(BUNDLE_FILE));
  if (!out) throw new Error(`esbuild produced no ${BUNDLE_FILE}`);
  return { code: out.contents, warnings: result.warnings, inputs: Object.keys(result.metafile.inputs).map((input) => join(root, input)) };
}
