/**
 * Remembers cfn-lint's verdict per template content, so a redeploy of an unchanged template does
 * not pay cfn-lint's start-up (seconds) again. The key covers everything that decides the
 * verdict: the template text, .cfnlintrc and requirements-dev.txt (which pins the cfn-lint
 * version). Stored under node_modules/.cache, like other tools' caches.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LintResult } from '../lint/cfn-lint.js';
import { TEMPLATE_PATH } from '../template/project.js';

export function lintCacheDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'serverless-cli');
}

async function readOr(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

export async function lintCacheKey(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [TEMPLATE_PATH, '.cfnlintrc', '.cfnlintrc.yaml', 'requirements-dev.txt']) {
    hash.update(file).update('\0').update(await readOr(join(root, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/** Runs `lint` unless the same inputs were linted before; `cached` says which happened. */
export async function cachedLint(root: string, lint: () => Promise<LintResult>): Promise<LintResult & { cached: boolean }> {
  const path = join(lintCacheDir(root), `lint-${await lintCacheKey(root)}.json`);
  try {
    return { ...(JSON.parse(await readFile(path, 'utf8')) as LintResult), cached: true };
  } catch {
    // not cached (or unreadable): lint for real
  }
  const result = await lint();
  await mkdir(lintCacheDir(root), { recursive: true })
    .then(() => writeFile(path, JSON.stringify(result)))
    .catch(() => undefined);
  return { ...result, cached: false };
}
