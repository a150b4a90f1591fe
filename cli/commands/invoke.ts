/** `cli invoke`: commander wiring for cli/invoke/invoke.ts, which loads only when the command runs. */
import { Command } from 'commander';
import type { InvokeOptions } from '../invoke/invoke.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../local/defaults.js';
import type { ProgramDeps } from './deps.js';

export function invokeCommand(deps: ProgramDeps): Command {
  return new Command('invoke')
    .description('Send request files to the API (by default a running `cli dev`) and print status, latency and JSON.')
    .argument('[files...]', 'request files: an RPC payload {operation, tableName?, payload?} or {method, path, headers?, query?, body?}')
    .option('--check <dir>', 'run every .json file of DIR in name order and print a pass/fail table')
    .option('--url <url>', 'the API endpoint (stage base URL, or its /DynamoDBManager URL)')
    .option('--outputs-file <file>', 'take ApiEndpoint and DynamoDBManagerUrl from this JSON (as written by cli dev / cli deploy --outputs-file)')
    .option('--api-key <key>', 'send this x-api-key header (env CLI_API_KEY)')
    .option('--token <token>', 'send this Authorization header (a Cognito token: $(npx cli token ...)); a running cli dev with a Cognito authorizer gets one minted without it')
    .option('--stage <stage>', "a deployed stage: its stack's ApiEndpoint output (and API key, if it has one)")
    .option('--stack-name <name>', 'a deployed stack, by name')
    .option('--region <region>', 'AWS region of the deployed stack; for --url, the region requests are signed for')
    .option('--profile <profile>', 'AWS profile for the deployed stack (and whose credentials sign requests to it)')
    .addHelpText(
      'after',
      `
RPC payloads go to DynamoDBManagerUrl; REST requests go to ApiEndpoint + path. A file may carry
"expect": {"status": 404, "body": {...}} (body: subset match; {} matches only {}); without it any
2xx passes. Exits non-zero when a response is not the expected one.
Requests are SigV4-signed (execute-api) for methods with AuthorizationType AWS_IAM, the template's
default: with the local credentials cli dev prints for a local target, with your AWS credentials
(AWS_PROFILE, --profile, SSO, environment keys) for a deployed stack or another --url.
Default target: the running \`npx cli dev\` (found through the state file it keeps in .local/cli-dev/:
its port, stage and API key), else http://${DEFAULT_HOST}:${DEFAULT_PORT}/<the template's default stage>.

Examples:
  $ npx cli invoke samples/create.json samples/read.json
  $ npx cli invoke --check samples/
  $ npx cli invoke samples/list.json --outputs-file outputs.json
  $ npx cli invoke samples/ping.json --url https://abc123.execute-api.us-east-1.amazonaws.com/prod`,
    )
    .action(async (files: string[], opts: Omit<InvokeOptions, 'files'>) => {
      const { invoke } = await import('../invoke/invoke.js');
      await invoke({ ...opts, files }, deps);
    });
}
