#!/usr/bin/env node
// Entry for `npx cli`: runs the esbuild bundle of cli/ (scripts/cli-bundle.mjs), rebuilt whenever a
// source changed; falls back to running the TypeScript through tsx when no bundle can be built,
// or when CLI_FROM_SOURCE=1. Either way it hands cli/bin.ts the project root, which the bundle,
// living in node_modules/.cache/cli/, could not find from its own location.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { cliBundle } = await import('../scripts/cli-bundle.mjs');
const bundle = process.env.CLI_FROM_SOURCE === '1' ? undefined : await cliBundle(root);
let cli;
if (bundle) {
  cli = await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../cli/bin.ts');
}
await cli.main(root);
