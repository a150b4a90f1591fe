/**
 * `cli build`: bundle handler/ with esbuild and pack it into dist/handler-<hash>.zip.
 */
import { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { buildArtifact, ZIP_BUDGET_BYTES, type Artifact } from '../build/artifact.js';
import type { ProgramDeps } from './deps.js';

export interface BuildOptions {
  /** Output directory, absolute or relative to the project root. Default: dist. */
  outDir?: string;
  json: boolean;
}

export async function build(options: BuildOptions, deps: ProgramDeps): Promise<Artifact> {
  const artifact = await buildArtifact({ root: deps.root, outDir: options.outDir });
  const { reporter } = deps;
  for (const warning of artifact.warnings) reporter.warn(`esbuild: ${warning}`);
  if (artifact.size > ZIP_BUDGET_BYTES) {
    reporter.warn(`the zip is ${kb(artifact.size)}, over the ${kb(ZIP_BUDGET_BYTES)} budget (a bigger zip is a slower cold start)`);
  }
  if (options.json) {
    reporter.result(JSON.stringify(artifact, null, 2));
  } else {
    const shown = relative(process.cwd(), artifact.zipPath) || artifact.zipPath;
    reporter.result(`${shown}  ${artifact.size} bytes (${kb(artifact.size)}), index.js ${artifact.bundleSize} bytes (${kb(artifact.bundleSize)})`);
  }
  return artifact;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function buildCommand(deps: ProgramDeps): Command {
  return new Command('build')
    .description('Bundle handler/ (esbuild, SDK included, minified) into a deterministic dist/handler-<sha256 prefix>.zip.')
    .option('--out-dir <dir>', 'where to write the zip (default: dist/ in the project)')
    .option('--json', 'print {zipPath, key, sha256, size, bundleSize, warnings} as JSON on stdout', false)
    .addHelpText(
      'after',
      `
The same sources always give a byte-identical zip, so its name (and S3 key) changes only when
the code does. Prints the zip path and its size; warns when the zip is over ${ZIP_BUDGET_BYTES / 1024} KB.

Examples:
  $ npx cli build                         write dist/handler-<hash>.zip
  $ npx cli build --out-dir /tmp/out      write it elsewhere
  $ npx cli build --json | jq -r .zipPath`,
    )
    .action(async (opts: { outDir?: string; json: boolean }) => {
      await build({ outDir: opts.outDir === undefined ? undefined : resolve(opts.outDir), json: opts.json }, deps);
    });
}
