/**
 * .github/workflows: actionlint (syntax, expressions, shell in `run:` via its checks) and zizmor
 * (workflow security: unpinned actions, credential persistence, template injection, cache
 * poisoning, excessive permissions) report nothing, and the workflows keep the properties the
 * README promises. Both tools also run on a deliberately broken copy, so a tool that silently
 * checked nothing would fail here.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { useTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const workflows = join(root, '.github', 'workflows');
const bin = join(root, '.venv', 'bin');

interface Outcome {
  code: number;
  output: string;
}

async function tool(cmd: string, args: string[], cwd = root): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(join(bin, cmd), args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${join(bin, cmd)} is missing: run node scripts/ensure-venv.mjs (it installs requirements-dev.txt and requirements-go.txt)`);
    return { code: Number(e.code), output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const actionlint = (dir: string) =>
  tool('actionlint', ['-no-color', '-shellcheck=', '-pyflakes=', ...['ci.yml', 'deploy.yml'].map((f) => join(dir, '.github', 'workflows', f))], dir);
const zizmor = (dir: string) => tool('zizmor', ['--offline', '--no-progress', join(dir, '.github', 'workflows')]);

type Job = { environment?: { name: string }; permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[]; strategy?: { matrix: { node: string[] } } };
type Workflow = { on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };

async function workflow(name: string): Promise<{ text: string; parsed: Workflow }> {
  const text = await readFile(join(workflows, name), 'utf8');
  return { text, parsed: parse(text) as Workflow };
}

describe('GitHub workflows', function () {
  this.timeout(60_000);
  const scratch = useTempDir('workflows-');

  it('are the two this test knows', async () => {
    expect((await readdir(workflows)).sort()).to.deep.equal(['ci.yml', 'deploy.yml']);
  });

  it('pass actionlint', async () => {
    const result = await actionlint(root);
    expect(result, result.output).to.deep.include({ code: 0 });
  });

  it('pass zizmor (offline audits)', async () => {
    const result = await zizmor(root);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.match(/No findings to report/);
  });

  it('actionlint and zizmor both fail a broken copy', async () => {
    await cp(join(root, '.github'), join(scratch.path, '.github'), { recursive: true });
    const file = join(scratch.path, '.github', 'workflows', 'ci.yml');
    const text = await readFile(file, 'utf8');
    // An unknown expression context (actionlint) and a tag instead of a SHA (zizmor).
    await writeFile(file, text.replace('${{ matrix.node }}', '${{ matrixx.node }}').replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v4'));
    const lint = await actionlint(scratch.path);
    expect(lint.code).to.not.equal(0);
    expect(lint.output).to.match(/matrixx/);
    const audit = await zizmor(scratch.path);
    expect(audit.code).to.not.equal(0);
    expect(audit.output).to.match(/unpinned-uses/);
  });

  it('ci.yml runs .ci/run on Node 20 and 22 with read-only permissions', async () => {
    const { parsed } = await workflow('ci.yml');
    expect(Object.keys(parsed.on).sort()).to.deep.equal(['pull_request', 'push']);
    expect(parsed.permissions).to.deep.equal({ contents: 'read' });
    const [job] = Object.values(parsed.jobs);
    expect(job!.strategy!.matrix.node).to.deep.equal(['20', '22']);
    expect(job!.steps.map((s) => s.run).filter(Boolean)).to.deep.equal(['.ci/run']);
    expect(job!.steps.find((s) => s.uses?.startsWith('actions/cache@'))?.with?.path).to.equal('.venv');
  });

  it('deploy.yml deploys dev on main and prod on tags with OIDC credentials only, then runs the samples', async () => {
    const { text, parsed } = await workflow('deploy.yml');
    expect(parsed.on).to.deep.equal({ push: { branches: ['main'], tags: ['v*'] } });
    expect(parsed.permissions).to.deep.equal({});
    const [job] = Object.values(parsed.jobs);
    expect(job!.permissions).to.deep.equal({ contents: 'read', 'id-token': 'write' });
    expect(job!.environment!.name).to.equal("${{ github.ref_type == 'tag' && 'prod' || 'dev' }}");
    const credentials = job!.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))!;
    expect(credentials.with).to.include({ 'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}' });
    // Never long-lived keys.
    expect(text).to.not.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    const runs = job!.steps.map((s) => s.run ?? '');
    const deployAt = runs.findIndex((r) => r.startsWith('npx cli deploy --stage "$STAGE" --yes'));
    const smokeAt = runs.indexOf('npx cli invoke --check samples/ --stage "$STAGE"');
    expect(deployAt).to.be.greaterThan(-1);
    expect(smokeAt).to.be.greaterThan(deployAt);
  });
});
