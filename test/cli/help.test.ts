import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('cli --help', () => {
  const run = promisify(execFile);
  it('shows examples for the program and for build, lint and openapi', async () => {
    const bin = join(root, 'bin', 'cli.mjs');
    const outputs = await Promise.all([[], ['build'], ['lint'], ['openapi']].map((args) => run(process.execPath, [bin, ...args, '--help'], { cwd: root })));
    for (const { stdout } of outputs) expect(stdout).to.include('Examples:').and.match(/\$ npx cli \w+/);
    expect(outputs[1]?.stdout).to.include('npx cli build --out-dir');
    expect(outputs[2]?.stdout).to.include('npx cli lint --json');
    expect(outputs[3]?.stdout).to.include('npx cli openapi --local --out openapi.json');
  });

  it('shows the --since of metrics and traces, with their defaults and examples', async () => {
    const bin = join(root, 'bin', 'cli.mjs');
    const [metrics, traces] = await Promise.all([['metrics'], ['traces']].map((args) => run(process.execPath, [bin, ...args, '--help'], { cwd: root })));
    expect(metrics?.stdout).to.match(/--since <when> .*\(default: "1h"\)/s).and.include('npx cli metrics --since 1d');
    expect(traces?.stdout).to.match(/--since <when> .*\(default: "15m"\)/s).and.include('npx cli traces --id 1-');
  });
});
