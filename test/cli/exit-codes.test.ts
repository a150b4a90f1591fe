/**
 * Bad input on the command line, run as a user runs it (`node bin/cli.mjs`): one line saying
 * what was wrong and what to do, exit 2 as the README documents, and no AWS call. AWS_ENDPOINT_URL
 * points at a local server that counts the requests it gets (a real server; any answer would do,
 * none should be asked for).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const child = spawn(process.execPath, [join(root, 'bin', 'cli.mjs'), ...args], { cwd: root, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `server` on a random loopback port: the environment that sends every AWS call to it. */
async function listen(server: Server): Promise<NodeJS.ProcessEnv> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: '',
    CLI_STACK_NAME: '',
    CLI_STAGE: '',
  };
}

describe('cli/bin (exit codes for bad input)', function () {
  this.timeout(60_000);
  let server: Server;
  let requests: string[];
  let env: NodeJS.ProcessEnv;

  before(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    env = await listen(server);
  });
  beforeEach(() => {
    requests = [];
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases: { args: string[]; stderr: string[] }[] = [
    { args: ['deploy', '--yess'], stderr: ["error: unknown option '--yess'", '(Did you mean --yes?)'] },
    { args: ['bogus'], stderr: ["error: unknown command 'bogus'"] },
    { args: ['dev', '--port', 'abc'], stderr: ["error: option '--port <port>' argument 'abc' is invalid. --port must be an integer from 0 to 65535"] },
    { args: ['deploy', '--yes', '--region', ''], stderr: ['error: --region is empty: pass --region with a region such as us-east-1 or eu-west-1'] },
    { args: ['deploy', '--yes', '--region', 'mars-1'], stderr: ['error: --region "mars-1" is not an AWS region name: pass --region with a region such as us-east-1 or eu-west-1'] },
    { args: ['status', '--region', 'mars-1'], stderr: ['error: --region "mars-1" is not an AWS region name'] },
    { args: ['invoke', 'samples/ping.json', '--stage', 'x', '--region', 'mars-1'], stderr: ['error: --region "mars-1" is not an AWS region name'] },
    // cli dev signs its calls to a real --dynamodb-endpoint for this region, and the function sees it as AWS_REGION.
    { args: ['dev', '--no-watch', '--region', 'mars-1'], stderr: ["error: option '--region <region>' argument 'mars-1' is invalid. --region \"mars-1\" is not an AWS region name: give a region such as us-east-1 or eu-west-1"] },
    { args: ['deploy', '--yes', '--parameter-overrides', 'FunctionTimeout=60'], stderr: ['error: parameter FunctionTimeout (--parameter-overrides) must be at most 28, got 60'] },
    { args: ['deploy', '--yes', '--parameter-overrides', 'ApiKeyRequired=yes'], stderr: ['error: parameter ApiKeyRequired (--parameter-overrides) must be one of false, true; got "yes"'] },
  ];
  for (const c of cases) {
    it(`exits 2 for \`cli ${c.args.map((a) => (a === '' ? "''" : a)).join(' ')}\`, saying why, without a call to AWS`, async () => {
      const run = await cli(c.args, env);
      for (const line of c.stderr) expect(run.stderr).to.include(line);
      expect(run.stderr).to.not.match(/unexpected failure|\n\s+at /);
      expect(run.code, run.stderr).to.equal(2);
      expect(requests).to.deep.equal([]);
    });
  }

  it('prints the version from package.json for --version and -v (exit 0)', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = await cli([flag], env);
      expect(run.stdout.trim()).to.equal(version);
      expect(run.code).to.equal(0);
    }
  });
});

/**
 * `invoke --stage/--stack-name` asks AWS for the stack's outputs and API key: what AWS refuses
 * is one line of the CLI's (exit 1), as for the other stack commands, not a bug report. The local
 * server answers as AWS does: CloudFormation's query-protocol XML error for DescribeStacks
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html), and API
 * Gateway's JSON error with its x-amzn-ErrorType header for GetApiKey
 * (https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html).
 */
describe('cli/bin (exit codes for AWS failures of invoke --stage/--stack-name)', function () {
  this.timeout(60_000);
  let server: Server;
  let env: NodeJS.ProcessEnv;
  let denyApiKey: boolean;

  before(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/apikeys/')) {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
        res.end(JSON.stringify({ message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:us-east-1::/apikeys/k1' }));
        return;
      }
      if (denyApiKey) {
        res.writeHead(200, { 'content-type': 'text/xml' }).end(
          '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>' +
            '<StackName>items</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/items/1</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime>' +
            '<Outputs><member><OutputKey>ApiEndpoint</OutputKey><OutputValue>http://127.0.0.1:9/prod</OutputValue></member><member><OutputKey>ApiKeyId</OutputKey><OutputValue>k1</OutputValue></member></Outputs>' +
            '</member></Stacks></DescribeStacksResult></DescribeStacksResponse>',
        );
        return;
      }
      res.writeHead(403, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>1</RequestId></ErrorResponse>');
    });
    env = await listen(server);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases = [
    {
      what: 'says the credentials have expired (DescribeStacks: ExpiredToken)',
      args: ['--stack-name', 'items'],
      denyApiKey: false,
      stderr: 'error: AWS credentials have expired (ExpiredToken: The security token included in the request is expired)',
    },
    {
      what: 'names the missing permission (GetApiKey: AccessDeniedException)',
      args: ['--stage', 'dev'],
      denyApiKey: true,
      stderr: 'error: Missing AWS permission: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: apigateway:GET',
    },
  ];
  for (const c of cases) {
    it(`${c.what}, exit 1, no stack trace`, async () => {
      denyApiKey = c.denyApiKey;
      const run = await cli(['invoke', 'samples/ping.json', ...c.args], env);
      expect(run.stderr).to.include(c.stderr);
      expect(run.stderr).to.not.match(/unexpected failure|\n\s+at /);
      expect(run.code, run.stderr).to.equal(1);
    });
  }
});
