/**
 * Commander wiring only: each command module exports a `xxxCommand(deps)` that returns a
 * configured `Command`; the work itself lives in plain async functions next to it.
 */
import { Command } from 'commander';
import type { ProgramDeps } from './commands/deps.js';
import { buildCommand } from './commands/build.js';
import { lintCommand } from './commands/lint.js';
import { deployCommand } from './commands/deploy.js';
import { outputsCommand } from './commands/outputs.js';
import { statusCommand } from './commands/status.js';
import { deleteCommand } from './commands/delete.js';
import { publishCommand } from './commands/publish.js';
import { logsCommand } from './commands/logs.js';
import { devCommand } from './commands/dev.js';
import { invokeCommand } from './commands/invoke.js';
import { bootstrapCiCommand } from './commands/bootstrap-ci.js';
import { postmanCommand } from './commands/postman.js';
import { openapiCommand } from './commands/openapi.js';
import { metricsCommand } from './commands/metrics.js';
import { tracesCommand } from './commands/traces.js';
import { tokenCommand } from './commands/token.js';
import { diffCommand } from './commands/diff.js';
import { syncCommand } from './commands/sync.js';
import { driftCommand } from './commands/drift.js';

export function createProgram(deps: ProgramDeps): Command {
  const program = new Command('cli')
    .description('Build, lint, run locally and deploy the API Gateway -> Lambda -> DynamoDB stack.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ npx cli dev                       run the whole stack on http://127.0.0.1:3000
  $ npx cli invoke samples/create.json
  $ npx cli build                     bundle the handler into dist/handler-<hash>.zip
  $ npx cli lint                      cfn-lint infra/cfn/template.yaml
  $ npx cli deploy --stage prod       deploy to the AWS account of your credentials`,
    );

  if (deps.version !== undefined) program.version(deps.version, '-v, --version', 'print the version of the CLI');

  // Commands register below, one line each.
  program.addCommand(buildCommand(deps));
  program.addCommand(lintCommand(deps));
  program.addCommand(deployCommand(deps));
  program.addCommand(outputsCommand(deps));
  program.addCommand(statusCommand(deps));
  program.addCommand(deleteCommand(deps));
  program.addCommand(publishCommand(deps));
  program.addCommand(logsCommand(deps));
  program.addCommand(devCommand(deps));
  program.addCommand(invokeCommand(deps));
  program.addCommand(bootstrapCiCommand(deps));
  program.addCommand(postmanCommand(deps));
  program.addCommand(openapiCommand(deps));
  program.addCommand(metricsCommand(deps));
  program.addCommand(tracesCommand(deps));
  program.addCommand(tokenCommand(deps));
  program.addCommand(diffCommand(deps));
  program.addCommand(syncCommand(deps));
  program.addCommand(driftCommand(deps));

  // addCommand does not pass settings down: without this a subcommand's usage error (`deploy
  // --yess`) would call process.exit(1) itself, past cli/bin.ts and its exit code 2.
  for (const command of program.commands) command.copyInheritedSettings(program);
  return program;
}
