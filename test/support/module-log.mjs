// A preload (`node --import ./test/support/module-log.mjs`) that writes every module the process
// loads to the file $MODULE_LOG, one JSON line each: `{"url", "parent"}` for what the ESM loader
// resolves (through module-log-hooks.mjs), and at exit `{"url"}` for what require() loaded. It
// sees what a command really loads, whatever imports it (static, dynamic, tsx or the bundle).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.MODULE_LOG;
if (!file) throw new Error('module-log.mjs: set MODULE_LOG to the file to write');
register('./module-log-hooks.mjs', import.meta.url, { data: { file } });
process.on('exit', () => {
  const required = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.startsWith('/'));
  appendFileSync(file, required.map((path) => JSON.stringify({ url: pathToFileURL(path).href }) + '\n').join(''));
});
