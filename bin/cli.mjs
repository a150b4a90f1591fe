#!/usr/bin/env node
// Entry for `npx cli`: runs the esbuild bundle of cli/ (scripts/cli-bundle.mjs), rebuilt whenever a
// source changed; falls back to running the TypeScript through tsx when no bundle can be built,
// or when CLI_FROM_SOURCE=1.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { cliBundle } = await import('../scripts/cli-bundle.mjs');
const bundle = process.env.CLI_FROM_SOURCE === '1' ? undefined : await cliBundle(root);
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/bin.ts');
}
