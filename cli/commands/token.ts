/** `cli token`: commander wiring for cli/token/token.ts, which loads only when the command runs. */
import { Command } from 'commander';
import type { TokenOptions } from '../token/token.js';
import type { ProgramDeps } from './deps.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function tokenCommand(deps: ProgramDeps): Command {
  return new Command('token')
    .description("Print a token for the API's Cognito authorizer (AuthMode=COGNITO_USER_POOLS): minted by the running `cli dev`, or a pool user's from Cognito.")
    .option('--user <email>', 'the user (local default: user@example.com; a deployed stack: a user of its pool)')
    .option('--scope <scope>', 'an access token with this scope (repeat for more); local stack only', collect)
    .option('--access', 'an access token (scope aws.cognito.signin.user.admin) instead of an ID token')
    .option('--local', 'the running `cli dev` (the default without --stage/--stack-name)')
    .option('--stage <stage>', "a deployed stage: sign in with InitiateAuth through its stack's UserPoolClientId")
    .option('--stack-name <name>', 'a deployed stack, by name')
    .option('--client-id <id>', 'the app client to sign in with (default: the stack\'s UserPoolClientId output)')
    .option('--region <region>', 'AWS region of the deployed stack')
    .option('--profile <profile>', 'AWS profile for the deployed stack')
    .addHelpText(
      'after',
      `
Only the token goes to stdout. A deployed stack's password is read from CLI_TOKEN_PASSWORD, or
asked for (hidden) on a terminal; it is never an argument, so it stays out of shell history.
Without AuthorizationScopes the API wants an ID token (the default); with them, an access token
holding one of them (--scope locally; --access gives InitiateAuth's aws.cognito.signin.user.admin).

Examples:
  $ curl -H "Authorization: $(npx cli token)" http://127.0.0.1:3000/prod/items
  $ npx cli token --scope items/write
  $ CLI_TOKEN_PASSWORD=... npx cli token --stage prod --user alice@example.com`,
    )
    .action(async (opts: TokenOptions) => {
      const { token } = await import('../token/token.js');
      await token(opts, deps);
    });
}
