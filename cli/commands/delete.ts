/** `cli delete`: commander wiring for cli/stack/delete.ts. */
import { Command } from 'commander';
import { deleteStack, type DeleteResult } from '../stack/delete.js';
import type { ProgramDeps } from './deps.js';
import { terminalIo, withInterrupt, withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface DeleteFlags extends StackCommandOptions {
  yes: boolean;
  deleteData: boolean;
}

export async function deleteFromFlags(flags: DeleteFlags, deps: ProgramDeps): Promise<DeleteResult> {
  return withStack(flags, deps, ({ target, aws, hintFlags }) =>
    withInterrupt(async (signal) => {
      const io = terminalIo(deps, signal);
      const result = await deleteStack(
        { stackName: target.stackName, yes: flags.yes, deleteData: flags.deleteData, hintFlags },
        { reporter: deps.reporter, aws, interactive: io.interactive, prompt: io.prompt, terminal: io.terminal, signal },
      );
      if (flags.json) deps.reporter.result(JSON.stringify(result, null, 2));
      return result;
    }),
  );
}

export function deleteCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('delete')
      .description("Delete the stack and wait; remove its artifacts from the managed bucket. The table is kept unless --delete-data.")
      .option('-y, --yes', 'do not ask (required when there is no terminal)', false)
      .option('--delete-data', 'also delete the retained DynamoDB table (asks you to type the stack name, unless --yes)', false),
  )
    .addHelpText('after', `
The table has DeletionPolicy Retain: deleting the stack keeps it, with its items, and the
command says how to delete it. --delete-data deletes it after the stack is gone.

Examples:
  $ npx cli delete
  $ npx cli delete --stage dev --yes
  $ npx cli delete --delete-data`)
    .action(async (flags: DeleteFlags) => {
      await deleteFromFlags(flags, deps);
    });
}
