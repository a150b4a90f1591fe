/**
 * End to end: the README's commands, run as a user runs them (`node bin/cli.mjs`, which is what
 * `npx cli` executes), against the real template, handler and samples. Only the port differs
 * (0: a free one), so the test never collides with a `cli dev` the developer has running.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTempDir } from '../support/temp-dir.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'bin', 'cli.mjs');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): { done: Promise<Run>; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Run>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, stderr: () => stderr };
}

function cli(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child).done;
}

/**
 * Waits for the banner's "ready" line, then reads the outputs file. The line comes after the file
 * is in place (renamed there whole), so the file is complete; the file alone would not say that
 * the line has arrived on this side of the pipe.
 */
async function waitForReady(path: string, child: { stderr: () => string; exited: () => boolean }): Promise<string> {
  while (!/ready in \d+ ms/.test(child.stderr())) {
    if (child.exited()) throw new Error(`cli dev exited before it was ready:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return readFile(path, 'utf8');
}

describe('README commands (end to end)', () => {
  const scratch = useTempDir('e2e-');

  describe('npx cli dev + npx cli invoke', () => {
    it('serves the samples/ scenario from the template, then stops cleanly on Ctrl-C (SIGINT)', async function () {
      this.timeout(60_000);
      const outputsFile = join(scratch.path, 'outputs.json');
      const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', '--no-watch', '--outputs-file', outputsFile], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const dev = collect(child);
      let exited = false;
      void dev.done.then(() => (exited = true));
      try {
        const outputs = JSON.parse(await waitForReady(outputsFile, { stderr: dev.stderr, exited: () => exited })) as Record<string, string>;
        expect(outputs.DynamoDBManagerUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/prod\/DynamoDBManager$/);
        expect(dev.stderr()).to.match(/ready in \d+ ms/);

        const check = await cli(['invoke', '--check', 'samples/', '--outputs-file', outputsFile]);
        expect(check.code, check.stderr + check.stdout).to.equal(0);
        const summary = /(\d+) passed, (\d+) failed/.exec(check.stdout + check.stderr);
        expect(summary, check.stdout).to.not.equal(null);
        expect(Number(summary![1])).to.be.greaterThan(10);
        expect(summary![2]).to.equal('0');

        // One original sample: status and the pretty JSON answer.
        const single = await cli(['invoke', 'samples/ping.json', '--outputs-file', outputsFile]);
        expect(single.code, single.stderr).to.equal(0);
        expect(single.stdout + single.stderr).to.match(/200/).and.to.contain('"pong"');

        // An unexpected status makes `cli invoke` exit non-zero.
        const wrong = join(scratch.path, 'wrong-expectation.json');
        await writeFile(wrong, JSON.stringify({ operation: 'ping', expect: { status: 201 } }));
        const failed = await cli(['invoke', wrong, '--outputs-file', outputsFile]);
        expect(failed.code).to.not.equal(0);
      } finally {
        child.kill('SIGINT');
      }
      const run = await dev.done;
      expect(run.signal).to.equal(null);
      expect(run.code, run.stderr).to.equal(0);
      // The access log shows the requests the samples made.
      expect(run.stderr).to.match(/POST \/prod\/DynamoDBManager 200/);
    });
  });

  describe('npx cli --help', () => {
    it('lists every command with examples', async () => {
      const run = await cli(['--help']);
      expect(run.code).to.equal(0);
      for (const command of ['build', 'lint', 'dev', 'invoke', 'token', 'deploy', 'outputs', 'status', 'delete', 'publish', 'logs', 'metrics', 'traces']) {
        expect(run.stdout).to.match(new RegExp(`^  ${command} `, 'm'));
      }
      expect(run.stdout).to.contain('Examples:');
    });

    it('rejects an unknown command with exit code 2 (bad input, as the README documents) and a hint', async () => {
      const run = await cli(['deploi']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(/unknown command 'deploi'/);
    });
  });
});
