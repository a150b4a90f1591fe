/** `cli postman` through the program: files written where asked, and bad input refused with exit 2 before anything is written. */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliError } from '../../cli/errors.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useTempDir } from '../support/temp-dir.js';

const root = join(import.meta.dirname, '..', '..');

describe('cli postman', () => {
  const scratch = useTempDir('postman-command-');

  async function cli(args: string[]) {
    const reporter = createMemoryReporter();
    // No cli dev is running in this state dir: the local environment gets the defaults.
    await createProgram({ reporter, root, env: { ...process.env, CLI_API_KEY: '' } }).parseAsync(['node', 'cli', 'postman', ...args]);
    return reporter;
  }

  it('writes the collection and a local environment for the default local stack', async () => {
    const out = join(scratch.path, 'out');
    const reporter = await cli(['--out', out, '--samples', join(root, 'samples'), '--auth-mode', 'API_KEY', '--json']);
    const result = JSON.parse(reporter.stdout.join('\n')) as { authMode: string; environments: string[] };
    expect(result.authMode).to.equal('API_KEY');
    const env = JSON.parse(await readFile(join(out, 'local.postman_environment.json'), 'utf8')) as { values: { key: string; value: string }[] };
    expect(env.values.find((v) => v.key === 'ApiEndpoint')?.value).to.match(/^http:\/\/127\.0\.0\.1:3000\/\w+$/);
    const collection = JSON.parse(await readFile(join(out, 'api.postman_collection.json'), 'utf8')) as { auth: { type: string } };
    expect(collection.auth.type).to.equal('apikey');
  });

  for (const [args, message] of [
    [['--auth-mode', 'OAUTH'], /--auth-mode "OAUTH" is not one of NONE, API_KEY, AWS_IAM, COGNITO_USER_POOLS/],
    [['--samples', 'no/such/dir'], /--samples no\/such\/dir: no such directory/],
  ] as const) {
    it(`refuses ${args.join(' ')} with exit 2 and writes nothing`, async () => {
      const out = join(scratch.path, 'refused');
      const err = await cli(['--out', out, ...args]).then(
        () => undefined,
        (e: unknown) => e as CliError,
      );
      expect(err?.exitCode).to.equal(2);
      expect(err?.message).to.match(message);
      expect(existsSync(out)).to.equal(false);
    });
  }
});
