// Module customization hooks of module-log.mjs (they run in the loader's own thread): records
// each resolution that succeeds, after the hooks registered later (tsx's) had their say.
// https://nodejs.org/docs/latest-v20.x/api/module.html#customization-hooks
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(file, JSON.stringify({ url: result.url, parent: context.parentURL }) + '\n');
  return result;
}
