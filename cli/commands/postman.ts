/** `cli postman`: commander wiring for cli/postman/postman.ts. */
import { Command } from 'commander';
import type { EnvironmentTarget } from '../postman/collection.js';
import type { ProgramDeps } from './deps.js';
import { collect } from './stack-options.js';

interface PostmanFlags {
  out: string;
  samples: string;
  authMode?: string;
  stage: string[];
  region?: string;
  profile?: string;
  json: boolean;
}

async function localTarget(deps: ProgramDeps): Promise<EnvironmentTarget> {
  const { resolveInvokeTarget } = await import('../invoke/target.js');
  const { DEFAULT_REGION } = await import('../local/defaults.js');
  const target = await resolveInvokeTarget({}, deps);
  return { name: 'local', apiEndpoint: target.apiEndpoint, rpcUrl: target.rpcUrl, region: DEFAULT_REGION, apiKey: target.apiKey };
}

async function deployedTarget(stage: string, flags: PostmanFlags, deps: ProgramDeps): Promise<EnvironmentTarget> {
  const { withStack } = await import('./stack-options.js');
  const { resolveStackEndpoint } = await import('../stack/endpoint.js');
  return withStack({ stage, region: flags.region, profile: flags.profile }, deps, async ({ target, aws, hintFlags }) => {
    const e = await resolveStackEndpoint({ stackName: target.stackName, hintFlags }, { aws });
    // Credentials are never written for a deployed stage: Postman holds its own.
    return { name: stage, apiEndpoint: e.url, rpcUrl: e.dynamoDbManagerUrl ?? `${e.url}/DynamoDBManager`, region: e.region, apiKey: e.apiKey };
  });
}

export function postmanCommand(deps: ProgramDeps): Command {
  return new Command('postman')
    .description('Write a Postman collection of samples/ (each checking its "expect") and environments for the local stack and deployed stages.')
    .option('--out <dir>', 'directory to write the collection and environments to', 'dist/postman')
    .option('--samples <dir>', 'request files to turn into the collection', 'samples')
    .option('--auth-mode <mode>', "NONE, API_KEY, AWS_IAM or COGNITO_USER_POOLS (default: the template's AuthMode)")
    .option('--stage <stage>', 'also write an environment for this deployed stage (repeatable)', collect, [])
    .option('--region <region>', 'AWS region of the deployed stages')
    .option('--profile <profile>', 'AWS profile for the deployed stages')
    .option('--json', 'machine-readable result on stdout', false)
    .addHelpText('after', `
Import both files in Postman (File > Import), pick the environment, and run the collection; or run
it headless with newman:
  $ npx newman run dist/postman/api.postman_collection.json -e dist/postman/local.postman_environment.json

The local environment points at the running \`cli dev\` (or its default port and stage) with its API
key and local credentials. A deployed stage's environment has its URLs and API key; AWS credentials
and tokens are left for you to fill in Postman (they are marked secret).

Examples:
  $ npx cli postman
  $ npx cli postman --stage dev --stage prod --out postman/`)
    .action(async (flags: PostmanFlags) => {
      const { writePostman } = await import('../postman/postman.js');
      const result = await writePostman(
        { out: flags.out, samples: flags.samples, authMode: flags.authMode },
        {
          root: deps.root,
          reporter: deps.reporter,
          targets: async () => [await localTarget(deps), ...(await Promise.all(flags.stage.map((s) => deployedTarget(s, flags, deps))))],
        },
      );
      if (flags.json) deps.reporter.result(JSON.stringify(result, null, 2));
    });
}
