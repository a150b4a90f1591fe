/**
 * scripts/ensure-venv.mjs, run as `npm test` runs it, on a copy in a temporary project whose
 * requirements-dev.txt names one small local wheel (no network, no minutes of pip): the shared
 * .venv of the checkout is never touched.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** A minimal valid wheel (PEP 427) with one module, made by Python's own zipfile. */
function writeWheel(dir: string): string {
  const made = spawnSync(
    'python3',
    [
      '-c',
      `
import base64, hashlib, sys, zipfile
files = {
    "tiny/__init__.py": b"VALUE = 1\\n",
    "tiny-0.1.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: tiny\\nVersion: 0.1\\n",
    "tiny-0.1.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
record = "".join(f"{name},{digest(data)},{len(data)}\\n" for name, data in files.items()) + "tiny-0.1.dist-info/RECORD,,\\n"
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, data in files.items():
        z.writestr(name, data)
    z.writestr("tiny-0.1.dist-info/RECORD", record)
`,
      join(dir, 'tiny-0.1-py3-none-any.whl'),
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`cannot make the wheel: ${made.stderr}`);
  return 'tiny-0.1-py3-none-any.whl';
}

function run(project: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // No terminal, as in CI: pip's output must still show each step.
  const child = spawn(process.execPath, [join(project, 'scripts', 'ensure-venv.mjs')], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('scripts/ensure-venv', () => {
  let project: string;
  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'ensure-venv-'));
    await mkdir(join(project, 'scripts'));
    await copyFile(join(root, 'scripts', 'ensure-venv.mjs'), join(project, 'scripts', 'ensure-venv.mjs'));
    const wheel = writeWheel(project);
    await writeFile(join(project, 'requirements-dev.txt'), `--no-index\n./${wheel}\n`);
  });
  after(() => rm(project, { recursive: true, force: true }));

  it('shows each step of a first install on stderr, pip progress included, with no terminal', async function () {
    this.timeout(180_000);
    const { code, stdout, stderr } = await run(project);
    expect(code, stderr).to.equal(0);
    expect(stdout).to.equal('');
    const lines = stderr.split('\n');
    expect(lines[0]).to.match(/^ensure-venv: creating .*\.venv with python3 \(Python 3\.\d+\.\d+\)$/);
    expect(stderr).to.match(/\nensure-venv: installing requirements-dev\.txt into .*\.venv \(the first time takes minutes; pip's progress follows\)\n/);
    // pip's own lines, one per package and step.
    expect(stderr).to.match(/\nProcessing \.\/tiny-0\.1-py3-none-any\.whl\b.*\n/);
    expect(stderr).to.include('\nInstalling collected packages: tiny\n');
    expect(stderr).to.include('\nSuccessfully installed tiny-0.1\n');
    expect(lines.at(-2)).to.match(/^ensure-venv: \.venv ready in \d+ s$/);
    expect(existsSync(join(project, '.venv', 'lib'))).to.equal(true);
    expect((await readFile(join(project, '.venv', '.requirements-sha256'), 'utf8')).trim()).to.match(/^[0-9a-f]{64}$/);
  });

  it('prints nothing when the venv is current', async () => {
    expect(await run(project)).to.deep.equal({ code: 0, stdout: '', stderr: '' });
  });
});
