/**
 * Ctrl-C and Ctrl-D at the CLI's questions. The prompter is Node's real readline on a stream
 * (what a terminal sends: 0x03 for Ctrl-C, 0x04 for Ctrl-D); the commands run as a user runs
 * them (`node bin/cli.mjs`) on a real pseudo-terminal (util-linux `script`), against moto.
 * README: exit 130 for an interrupt, 1 for "not confirmed".
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createTerminalPrompter } from '../../cli/deploy/prompt.js';
import { InterruptedError } from '../../cli/errors.js';
import { deploySynthetic, OK_HANDLER, useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');
const CTRL_C = '\x03';
const CTRL_D = '\x04';

describe('cli/deploy/prompt', () => {
  describe('createTerminalPrompter', () => {
    function terminal(signal?: AbortSignal) {
      const input = new PassThrough();
      const output = new PassThrough();
      let written = '';
      output.setEncoding('utf8').on('data', (s: string) => (written += s));
      return { input, prompter: createTerminalPrompter(input, output, signal), written: () => written };
    }

    it('answers yes only for y or yes', async () => {
      const t = terminal();
      const answer = t.prompter.confirm('Deploy? [y/N] ');
      t.input.write('yes\r');
      expect(await answer).to.equal(true);
      const no = t.prompter.confirm('Deploy? [y/N] ');
      t.input.write('n\r');
      expect(await no).to.equal(false);
    });

    it('takes Ctrl-D at a yes/no question as no, and says so', async () => {
      const t = terminal();
      const answer = t.prompter.confirm('Deploy? [y/N] ');
      t.input.write(CTRL_D);
      expect(await answer).to.equal(false);
      expect(t.written()).to.include('No answer (end of input): taken as no.');
    });

    it('returns no answer for Ctrl-D at a free-text question', async () => {
      const t = terminal();
      const answer = t.prompter.ask('Type the stack name: ');
      t.input.write(CTRL_D);
      expect(await answer).to.equal(undefined);
    });

    it('turns Ctrl-C into an interrupt (exit 130), not a crash', async () => {
      const t = terminal();
      const answer = t.prompter.confirm('Deploy? [y/N] ');
      t.input.write(CTRL_C);
      const err = await answer.then(() => expect.fail('resolved'), (e: unknown) => e as InterruptedError);
      expect(err).to.be.instanceOf(InterruptedError);
      expect(err.exitCode).to.equal(130);
    });

    it('turns SIGINT while waiting (the abort signal) into the same interrupt', async () => {
      const controller = new AbortController();
      const t = terminal(controller.signal);
      const answer = t.prompter.ask('Type the stack name: ');
      controller.abort();
      const err = await answer.then(() => expect.fail('resolved'), (e: unknown) => e as InterruptedError);
      expect(err.exitCode).to.equal(130);
    });
  });
});

interface PtyRun {
  code: number | null;
  output: string;
}

/**
 * Runs `node bin/cli.mjs ...args` on a pseudo-terminal; once `prompt` appears, types `keys`.
 * `script -e` exits with the command's code; its stdin is copied to the terminal.
 */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, prompt: string, keys: string): Promise<PtyRun> {
  const command = [process.execPath, join(root, 'bin', 'cli.mjs'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { CI: _ci, ...rest } = process.env;
  void _ci;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: { ...rest, ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let typed = false;
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    output += s;
    if (!typed && output.includes(prompt)) {
      typed = true;
      child.stdin.write(keys);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: output.replace(/\r/g, '') }));
  });
}

describe('Ctrl-C and Ctrl-D at the questions of cli deploy and cli delete (real terminal, moto)', function () {
  this.timeout(120_000);
  const suite = useMoto('prompt-', { handler: OK_HANDLER });

  const deployStack = (stackName: string) => deploySynthetic(suite, root, stackName, { TableName: `${stackName}-table` });

  const status = async (stackName: string) => (await (await suite.clients()).stacks.describeStack(stackName))?.status;

  it('delete [y/N]: Ctrl-C exits 130 and Ctrl-D is "no" (exit 1); the stack stays', async () => {
    await deployStack('pty-delete');
    const interrupted = await onTerminal(['delete', '--stack-name', 'pty-delete'], suite.moto.env, '[y/N]', CTRL_C);
    expect(interrupted.output).to.not.include('unexpected failure');
    expect(interrupted.output).to.include('Interrupted (Ctrl-C) before answering; nothing was changed.');
    expect(interrupted.code).to.equal(130);
    const declined = await onTerminal(['delete', '--stack-name', 'pty-delete'], suite.moto.env, '[y/N]', CTRL_D);
    expect(declined.output).to.include('No answer (end of input): taken as no.');
    expect(declined.output).to.include('Not deleted.');
    expect(declined.code).to.equal(1);
    expect(await status('pty-delete')).to.equal('CREATE_COMPLETE');
  });

  it('delete --delete-data, the type-the-name question: Ctrl-C exits 130, Ctrl-D exits 1; the stack stays', async () => {
    await deployStack('pty-data');
    const question = 'Type the stack name (pty-data)';
    const interrupted = await onTerminal(['delete', '--stack-name', 'pty-data', '--delete-data'], suite.moto.env, question, CTRL_C);
    expect(interrupted.output).to.include('Interrupted (Ctrl-C) before answering; nothing was changed.');
    expect(interrupted.code).to.equal(130);
    const ended = await onTerminal(['delete', '--stack-name', 'pty-data', '--delete-data'], suite.moto.env, question, CTRL_D);
    expect(ended.output).to.include('Not deleted: no name typed (end of input).');
    expect(ended.code).to.equal(1);
    expect(await status('pty-data')).to.equal('CREATE_COMPLETE');
  });

  it('deploy [y/N]: Ctrl-C exits 130, Ctrl-D cancels (exit 1); the change set and the empty stack are removed', async () => {
    const args = ['deploy', '--stack-name', 'pty-deploy', '--skip-lint', '--parameter-overrides', 'TableName=pty-deploy-table'];
    const interrupted = await onTerminal(args, suite.moto.env, '[y/N]', CTRL_C);
    expect(interrupted.output).to.not.include('unexpected failure');
    expect(interrupted.output).to.include('Interrupted (Ctrl-C) before answering; nothing was changed.');
    expect(interrupted.code).to.equal(130);
    expect(await status('pty-deploy')).to.equal(undefined);
    const declined = await onTerminal(args, suite.moto.env, '[y/N]', CTRL_D);
    expect(declined.output).to.include('Deployment cancelled; nothing was changed.');
    expect(declined.code).to.equal(1);
    expect(await status('pty-deploy')).to.equal(undefined);
  });
});
