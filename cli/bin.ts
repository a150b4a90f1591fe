/**
 * The only place the CLI ends the process: it runs the program, prints what went wrong and sets
 * `process.exitCode`. Everything else throws typed errors or returns data. bin/cli.mjs calls
 * `main` with the project root, from the bundle or from source.
 */
import { CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.js';
import { createProgram } from './program.js';
import { createReporter } from './ui/reporter.js';

// The SDK warns, once per process, that its releases after January 2027 will need Node 22. This
// CLI pins its SDK version and supports Node 20 on purpose, so the warning would only be noise in
// every command's output (and in the local Lambda workers, which inherit the environment).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function main(root: string): Promise<void> {
  const reporter = createReporter();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

  try {
    await createProgram({ reporter, root, env: process.env, version }).parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message, or the help / version text (exit code 0). Its
      // errors are all about the command line (unknown command or option, a value that does not
      // parse): bad input, exit 2 as the README documents, where commander would say 1.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
    } else if (err instanceof CliError) {
      reporter.error(err.message);
      for (const line of err.details) reporter.info('  ' + line);
      process.exitCode = err.exitCode;
    } else {
      reporter.error('unexpected failure (this is a bug in the CLI, please report it):');
      reporter.info(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 70;
    }
  }
}
