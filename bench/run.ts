/**
 * `npm run bench`: runs each benchmark suite in its own process (so one suite's servers and heap
 * do not skew another's figures) and passes the arguments through (e.g. `npm run bench -- --peers`).
 * Each suite prints its table and writes bench/results/<suite>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suites = ['local.ts', 'cold-start.ts', 'deploy.ts', 'handler-input.ts'].filter((f) => existsSync(join(here, f)));
let failed = 0;
for (const suite of suites) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, suite), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
