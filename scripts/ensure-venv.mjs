#!/usr/bin/env node
// Creates the project-local .venv with requirements-dev.txt (cfn-lint, moto server, ...) and the Go
// tools of requirements-go.txt (actionlint, into .venv/bin) when it is missing or when either file
// changed since it was made, so `npm test` passes on a fresh
// clone that has only Node and python3. Prints nothing when the venv is already current; otherwise
// each step, and pip's own output (a line per package, its progress bar only on a terminal), on
// stderr, so a first `npm test` (minutes of downloads) is never silent, in CI logs too.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const requirements = join(root, 'requirements-dev.txt');
const goRequirements = join(root, 'requirements-go.txt');
// Python packages that must not share site-packages with the rest (a module name clash), each
// installed with --target into .venv/isolated/<file's name without requirements- and .txt>.
const isolatedRequirements = ['requirements-hcl2.txt'].map((f) => join(root, f)).filter((f) => existsSync(f));
const stamp = join(venv, '.requirements-sha256');
/** `module/cmd@version` per line; # comments. */
const goTools = existsSync(goRequirements)
  ? readFileSync(goRequirements, 'utf8').split('\n').map((line) => line.replace(/#.*/, '').trim()).filter((line) => line !== '')
  : [];
const hash = createHash('sha256').update(readFileSync(requirements)).update(goTools.length ? '\0' + goTools.join('\n') : '');
for (const file of isolatedRequirements) hash.update('\0' + readFileSync(file, 'utf8'));
const wanted = hash.digest('hex');
const python = process.env.PYTHON ?? 'python3';

if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) process.exit(0);

const started = Date.now();

function run(cmd, args, options = {}) {
  // pip writes its progress to stdout; stdout stays for results.
  const result = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 2, 2], env: options.env ?? process.env });
  if (result.error) {
    console.error(`ensure-venv: could not run ${cmd}: ${result.error.message}${options.missing && result.error.code === 'ENOENT' ? `; ${options.missing}` : ''}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`ensure-venv: '${cmd} ${args.join(' ')}' exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

if (existsSync(venv) && !existsSync(join(venv, 'bin', 'python'))) rmSync(venv, { recursive: true, force: true });
if (!existsSync(venv)) {
  const version = spawnSync(python, ['--version'], { encoding: 'utf8' });
  console.error(`ensure-venv: creating ${venv} with ${python} (${(version.stdout || version.stderr || '').trim() || 'version unknown'})`);
  run(python, ['-m', 'venv', venv]);
}
console.error(`ensure-venv: installing requirements-dev.txt into ${venv} (the first time takes minutes; pip's progress follows)`);
const pip = join(venv, 'bin', 'pip');
run(pip, ['install', '--disable-pip-version-check', '--no-input', '-r', requirements]);
for (const file of isolatedRequirements) {
  const target = join(venv, 'isolated', file.replace(/^.*requirements-/, '').replace(/\.txt$/, ''));
  console.error(`ensure-venv: installing ${file} into ${target}`);
  rmSync(target, { recursive: true, force: true });
  run(pip, ['install', '--disable-pip-version-check', '--no-input', '--target', target, '-r', file]);
}
for (const tool of goTools) {
  console.error(`ensure-venv: go install ${tool} into ${join(venv, 'bin')}`);
  run('go', ['install', tool], {
    env: { ...process.env, GOBIN: join(venv, 'bin') },
    missing: 'Go (https://go.dev/dl/, or the golang package of your distribution) builds the tools of requirements-go.txt',
  });
}
writeFileSync(stamp, wanted + '\n');
console.error(`ensure-venv: .venv ready in ${Math.round((Date.now() - started) / 1000)} s`);
