/** `cli openapi`: commander wiring for cli/openapi/export-openapi.ts. */
import { Command } from 'commander';
import { parseParameterOverrides } from '../template/parameters.js';
import type { ProgramDeps } from './deps.js';
import { withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface OpenApiFlags extends StackCommandOptions {
  local?: boolean;
  url?: string;
  out?: string;
  parameterOverrides: string[];
}

export async function openapi(flags: OpenApiFlags, deps: ProgramDeps): Promise<Record<string, unknown>> {
  const { exportOpenApi } = await import('../openapi/export-openapi.js');
  const overrides = parseParameterOverrides(flags.parameterOverrides);
  const options = { local: flags.local, url: flags.url, out: flags.out, parameterOverrides: overrides };
  if (flags.local || flags.url !== undefined) return exportOpenApi(options, deps);
  let result: Record<string, unknown> | undefined;
  await withStack(flags, deps, async ({ target, aws, hintFlags }) => {
    result = await exportOpenApi(options, { ...deps, deployed: async () => ({ stackName: target.stackName, aws, hintFlags }) });
  });
  return result!;
}

export function openapiCommand(deps: ProgramDeps): Command {
  return withStackOptions(new Command('openapi').description("Print (or write) the API's OpenAPI 3.0 document, built from the template's models and methods."))
    .option('--local', 'servers: the running `cli dev` (else its default URL)')
    .option('--url <url>', 'servers: this stage URL')
    .option('--out <file>', 'write the document to FILE (whole, or not at all) instead of stdout')
    .option('--parameter-overrides <K=V...>', 'template parameter values for --local and --url, e.g. AuthMode=AWS_IAM', [])
    .addHelpText(
      'after',
      `
Without --local or --url the document describes the deployed stack: its ApiEndpoint output and
its parameter values (AuthMode, ApiKeyRequired decide the security schemes).

Examples:
  $ npx cli openapi --local --out openapi.json
  $ npx cli openapi --stage prod --out openapi-prod.json
  $ npx cli openapi --url http://127.0.0.1:3000/prod | jq '.paths | keys'`,
    )
    .action(async (flags: OpenApiFlags) => {
      await openapi(flags, deps);
    });
}
