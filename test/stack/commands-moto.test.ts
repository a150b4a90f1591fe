/**
 * `cli logs`, `cli publish --public`, `cli delete [--delete-data]` and the CLI's refusal of bad
 * input, against a real moto server (CloudFormation, S3, STS, DynamoDB, CloudWatch Logs). Stacks
 * are deployed with a small synthetic handler and no lint, which is all these commands need.
 */
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectAclCommand, ListBucketsCommand, ListObjectsV2Command, S3Client, type Grant } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '../../cli/aws/artifact-store.js';
import { deleteStack } from '../../cli/stack/delete.js';
import { deploy } from '../../cli/deploy/deploy.js';
import type { DeployResult } from '../../cli/deploy/deploy-result.js';
import { logs } from '../../cli/stack/logs.js';
import { publish } from '../../cli/stack/publish.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { CliError } from '../../cli/errors.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter, createReporter } from '../../cli/ui/reporter.js';
import { OK_HANDLER, useMoto } from '../support/moto.js';
import { awsError } from '../support/scripted-cloudformation.js';

const root = join(import.meta.dirname, '..', '..');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('cli cloud commands against moto', () => {
  const suite = useMoto('commands-moto-', { handler: OK_HANDLER });
  let s3: S3Client;
  let dynamodb: DynamoDBClient;

  before(() => {
    s3 = new S3Client({ endpoint: suite.moto.endpoint, region: suite.moto.region, forcePathStyle: true, credentials });
    dynamodb = new DynamoDBClient({ endpoint: suite.moto.endpoint, region: suite.moto.region, credentials });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(suite.moto.log().split('\n').filter((l) => !/^127\.0\.0\.1|No Moto CloudFormation|UserWarning|parse_resource/.test(l)).join('\n'));
  });
  after(() => {
    s3?.destroy();
    dynamodb?.destroy();
  });

  /** Fresh clients per run, as each CLI invocation has. */
  const clients = () => suite.clients();

  async function deployStack(stackName: string, tableName: string): Promise<DeployResult> {
    return deploy(
      { stackName, yes: true, skipLint: true, parameterOverrides: { TableName: tableName } },
      {
        reporter: createMemoryReporter(),
        aws: await clients(),
        build: async () => suite.artifact,
        lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }),
        loadTemplate: () => loadDeployTemplate(root),
        interactive: false,
        pollIntervalMs: 10,
      },
    );
  }

  async function cli(args: string[], options: { env?: NodeJS.ProcessEnv; root?: string } = {}) {
    const reporter = createMemoryReporter();
    await createProgram({ reporter, root: options.root ?? root, env: options.env ?? suite.moto.env }).parseAsync(['node', 'cli', ...args]);
    return { stdout: reporter.stdout, stderr: reporter.stderr.join('\n') };
  }

  async function cliError(args: string[], options: { env?: NodeJS.ProcessEnv; root?: string } = {}): Promise<CliError> {
    try {
      await cli(args, options);
    } catch (err) {
      // Not instanceOf: the command loads the AWS clients with a dynamic import, which under the
      // test loader is a second instance of cli/errors.ts.
      expect((err as CliError).exitCode, String(err)).to.be.a('number');
      return err as CliError;
    }
    throw new Error('expected the command to fail');
  }

  async function tableExists(name: string): Promise<boolean> {
    try {
      await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      return true;
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return false;
      throw err;
    }
  }

  describe('bad input', () => {
    const cfn = () => new CloudFormationClient({ endpoint: suite.moto.endpoint, region: suite.moto.region, credentials });

    /** What a command could have created: buckets and stacks (none, after a refusal). */
    async function footprint(): Promise<{ buckets: string[]; stacks: string[] }> {
      const client = cfn();
      try {
        const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name!) ?? [];
        const stacks = (await client.send(new ListStacksCommand({}))).StackSummaries?.map((s) => `${s.StackName} ${s.StackStatus}`) ?? [];
        return { buckets, stacks };
      } finally {
        client.destroy();
      }
    }

    async function projectWithConfig(name: string, config: string): Promise<string> {
      const project = join(suite.dir, name);
      await mkdir(project, { recursive: true });
      await writeFile(join(project, 'cli.config.json'), config);
      return project;
    }

    /**
     * The SDK also looks at the real environment and ~/.aws for a region and credentials; for the
     * two "missing" cases that fallback is pointed at nothing (and the EC2 metadata service off).
     */
    async function withoutAmbientAws<T>(run: () => Promise<T>): Promise<T> {
      const saved = { ...process.env };
      for (const key of Object.keys(process.env)) {
        if (key.startsWith('AWS_') && key !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete process.env[key];
      }
      Object.assign(process.env, {
        AWS_CONFIG_FILE: join(suite.dir, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(suite.dir, 'no-aws-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      try {
        return await run();
      } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      }
    }

    before(async () => {
      await suite.moto.reset();
    });
    afterEach(async () => {
      expect(await footprint()).to.deep.equal({ buckets: [], stacks: [] });
    });

    const cases: { name: string; args: string[]; config?: string; message: string }[] = [
      { name: 'cli.config.json that is not JSON', config: '{"stages": {', args: ['deploy', '--yes'], message: 'cli.config.json is not valid JSON: ' },
      {
        name: 'misspelt key in cli.config.json',
        config: '{"stages": {"prod": {"regoin": "eu-west-1"}}}',
        args: ['deploy', '--yes', '--stage', 'prod'],
        message: 'cli.config.json: stages.prod.regoin is not a known key (expected one of: stackName, region, profile, bucket, parameters)',
      },
      {
        name: '--stage that cli.config.json does not list',
        config: '{"stages": {"prod": {"region": "us-east-1"}}}',
        args: ['deploy', '--yes', '--stage', 'prd'],
        message: '--stage "prd" is not a stage of cli.config.json (stages: prod)',
      },
      { name: 'unknown --parameter-overrides key', args: ['deploy', '--yes', '--parameter-overrides', 'TableNme=items'], message: '--parameter-overrides: the template has no parameter "TableNme"' },
      { name: '--parameter-overrides without "="', args: ['deploy', '--yes', '--parameter-overrides', 'TableName'], message: '--parameter-overrides "TableName" must look like Key=Value' },
    ];
    for (const c of cases) {
      it(`refuses a ${c.name} with a one-line error (exit 2), creating nothing`, async () => {
        const project = c.config === undefined ? root : await projectWithConfig(c.name.replace(/\W+/g, '-'), c.config);
        const err = await cliError(c.args, { root: project });
        expect(err.exitCode).to.equal(2);
        expect(err.message).to.not.include('\n');
        if (c.message.endsWith(': ')) expect(err.message.startsWith(c.message), err.message).to.equal(true);
        else expect(err.message).to.equal(c.message);
      });
    }

    it('refuses to run without a region, saying where to set one (exit 2), creating nothing', async () => {
      const { AWS_REGION: _region, ...env } = suite.moto.env;
      void _region;
      const err = await withoutAmbientAws(() => cliError(['deploy', '--yes'], { env }));
      expect(err.exitCode).to.equal(2);
      expect(err.message).to.equal('No AWS region configured');
      expect(err.details[0]).to.include('Pass --region, set AWS_REGION');
    });

    it('refuses to run without credentials, saying how to provide them (exit 1), creating nothing', async () => {
      const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...env } = suite.moto.env;
      void _id;
      void _secret;
      const err = await withoutAmbientAws(() => cliError(['deploy', '--yes'], { env }));
      expect(err.exitCode).to.equal(1);
      expect(err.message).to.equal('No AWS credentials found');
      expect(err.details[0]).to.include('AWS_ACCESS_KEY_ID');
    });
  });

  describe('logs', () => {
    const STACK = 'it-logs';
    let logGroup: string;
    // Set when the events are written, not when mocha loads the file: a long suite would
    // otherwise leave them outside `cli logs`' default last 10 minutes.
    let t0 = 0;
    const iso = (ms: number) => new Date(ms).toISOString();
    // Both start with a digit: moto matches an unquoted such term against every event.
    const LAMBDA_ID = '3f1c7a52-0b6e-4d8e-9a41-6a2d0c9e5b17';
    const API_ID = '9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24';
    const failure = () => `${iso(t0 + 5)} ERROR ${LAMBDA_ID} {"requestId":"${API_ID}","route":"POST /DynamoDBManager","status":500}`;
    let logsClient: CloudWatchLogsClient;

    async function put(stream: string, events: { timestamp: number; message: string }[]): Promise<void> {
      await logsClient.send(new PutLogEventsCommand({ logGroupName: logGroup, logStreamName: stream, logEvents: events }));
    }

    before(async () => {
      t0 = Date.now() - 4 * 60_000;
      const deployed = await deployStack(STACK, 'it-logs-table');
      logGroup = deployed.outputs.FunctionLogGroupName!;
      expect(logGroup).to.be.a('string');
      logsClient = new CloudWatchLogsClient({ endpoint: suite.moto.endpoint, region: suite.moto.region, credentials });
      // The group is the stack's own (LoggingConfig); Lambda writes one stream per instance.
      await logsClient.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: '2030/01/01/[$LATEST]a1' }));
      await put('2030/01/01/[$LATEST]a1', [
        { timestamp: t0 - 30 * 60_000, message: 'cold start from half an hour ago\n' },
        { timestamp: t0, message: 'START RequestId: 8f5a Version: $LATEST\n' },
        { timestamp: t0 + 1, message: `${iso(t0 + 1)}\t8f5a\tINFO\t{"message":"item created","id":"42"}\n` },
        { timestamp: t0 + 2, message: '{"timestamp":"x","level":"ERROR","requestId":"8f5a","message":"DynamoDB unavailable","errorType":"ServiceUnavailable"}\n' },
        { timestamp: t0 + 3, message: 'END RequestId: 8f5a\n' },
        // A 500 as the handler logs it (console.error of one JSON line) in Lambda's text format:
        // Lambda's request id after the time, API Gateway's (the body's requestId) in the JSON.
        // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
        { timestamp: t0 + 4, message: `START RequestId: ${LAMBDA_ID} Version: $LATEST\n` },
        { timestamp: t0 + 5, message: `${iso(t0 + 5)}\t${LAMBDA_ID}\tERROR\t{"level":"error","requestId":"${API_ID}","route":"POST /DynamoDBManager","status":500}\n` },
        { timestamp: t0 + 6, message: `END RequestId: ${LAMBDA_ID}\n` },
      ]);
    });
    after(() => logsClient?.destroy());

    const recent = () => [
      `${iso(t0)} START RequestId: 8f5a Version: $LATEST`,
      `${iso(t0 + 1)} INFO  8f5a item created {"id":"42"}`,
      `${iso(t0 + 2)} ERROR 8f5a DynamoDB unavailable {"errorType":"ServiceUnavailable"}`,
      `${iso(t0 + 3)} END RequestId: 8f5a`,
      `${iso(t0 + 4)} START RequestId: ${LAMBDA_ID} Version: $LATEST`,
      failure(),
      `${iso(t0 + 6)} END RequestId: ${LAMBDA_ID}`,
    ];

    it("prints the last 10 minutes of the function's log group (from the deployed template), one pretty line per event", async () => {
      const { stdout, stderr } = await cli(['logs', '--stack-name', STACK]);
      expect(stdout).to.deep.equal(recent());
      expect(stderr).to.include(`Logs of ${logGroup}`);
    });

    it('goes further back with --since', async () => {
      const { stdout } = await cli(['logs', '--stack-name', STACK, '--since', '1h']);
      expect(stdout).to.deep.equal([`${iso(t0 - 30 * 60_000)} cold start from half an hour ago`, ...recent()]);
    });

    it('passes --filter to CloudWatch Logs as the filter pattern', async () => {
      const { stdout } = await cli(['logs', '--stack-name', STACK, '--filter', 'ERROR']);
      expect(stdout).to.deep.equal([`${iso(t0 + 2)} ERROR 8f5a DynamoDB unavailable {"errorType":"ServiceUnavailable"}`, failure()]);
    });

    it("finds the line of a 500 body's requestId with --filter, quoting the id as a filter term", async () => {
      const { stdout, stderr } = await cli(['logs', '--stack-name', STACK, '--filter', API_ID]);
      expect(stdout).to.deep.equal([failure()]);
      expect(stderr).to.include(`matching "${API_ID}"`);
    });

    it("finds every line of one invocation by Lambda's request id", async () => {
      const { stdout } = await cli(['logs', '--stack-name', STACK, '--filter', LAMBDA_ID]);
      expect(stdout).to.deep.equal(recent().slice(4));
    });

    it('says so when nothing matches', async () => {
      const { stdout, stderr } = await cli(['logs', '--stack-name', STACK, '--filter', 'Throttling']);
      expect(stdout).to.deep.equal([]);
      expect(stderr).to.include('No log events since 10m matching Throttling.');
    });

    it('prints raw events as JSON lines with --json', async () => {
      const { stdout } = await cli(['logs', '--stack-name', STACK, '--json']);
      expect(stdout.map((line) => JSON.parse(line) as unknown)[1]).to.deep.equal({
        timestamp: t0 + 1,
        message: `${iso(t0 + 1)}\t8f5a\tINFO\t{"message":"item created","id":"42"}\n`,
        logStream: '2030/01/01/[$LATEST]a1',
      });
      expect(stdout).to.have.length(7);
    });

    it('highlights errors (red, bold) on a colour terminal and leaves other lines plain', async () => {
      const out: string[] = [];
      const reporter = createReporter({ stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: () => true }, env: { FORCE_COLOR: '1' } });
      await logs({ stackName: STACK, since: '10m' }, { reporter, aws: await clients() });
      const error = out.find((l) => l.includes('DynamoDB unavailable'))!;
      expect(error).to.include('\u001b[31m\u001b[1mDynamoDB unavailable {"errorType":"ServiceUnavailable"}\u001b[22m\u001b[39m');
      expect(out.find((l) => l.includes('item created'))).to.not.include('\u001b[31m');
    });

    it('with --tail, prints new events as they arrive, each once, until stopped', async () => {
      const out = createMemoryReporter();
      const controller = new AbortController();
      const waits: number[] = [];
      const t1 = Date.now();
      // Each "wait" between polls is where new events land; the second one is Ctrl-C.
      const sleep = async (ms: number) => {
        waits.push(ms);
        if (waits.length === 1) {
          await logsClient.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: '2030/01/01/[$LATEST]b2' }));
          await put('2030/01/01/[$LATEST]b2', [{ timestamp: t1, message: `${iso(t1)}\tc3d4\tWARN\tslow query\n` }]);
          return;
        }
        controller.abort();
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      };
      const result = await logs({ stackName: STACK, since: '10m', tail: true }, { reporter: out, aws: await clients(), sleep, pollIntervalMs: 1_500, signal: controller.signal });
      expect(out.stdout).to.deep.equal([...recent(), `${iso(t1)} WARN  c3d4 slow query`]);
      expect(result).to.deep.equal({ logGroup, events: 8 });
      expect(waits).to.deep.equal([1_500, 1_500]);
      expect(out.stderr[0]).to.equal(`Logs of ${logGroup} (following; Ctrl-C to stop)`);
    });

    it('names the stack that does not exist and how to deploy it', async () => {
      const err = await cliError(['logs', '--stack-name', 'it-nothing-here']);
      expect(err.message).to.equal('Stack it-nothing-here does not exist');
      expect(err.details).to.deep.equal(['Deploy it first: npx cli deploy --stack-name it-nothing-here']);
    });
  });

  describe('publish', () => {
    const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
    const publicReads = (grants: Grant[] | undefined) =>
      (grants ?? []).filter((g) => g.Grantee?.Type === 'Group' && g.Grantee.URI === ALL_USERS).map((g) => g.Permission);

    async function objects(bucket: string): Promise<{ template: string; zip: string }> {
      const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key!) ?? [];
      expect(keys).to.have.length(2);
      return { template: keys.find((k) => /^template-[0-9a-f]{12}\.yaml$/.test(k))!, zip: keys.find((k) => /^handler-[0-9a-f]{12}\.zip$/.test(k))! };
    }

    it('with --public makes both objects public-read (AllUsers READ) and prints the exact link and Markdown button', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'it-publish-public' }));
      const { stdout, stderr } = await cli(['publish', '--bucket', 'it-publish-public', '--stack-name', 'items-demo', '--public']);
      const { template, zip } = await objects('it-publish-public');
      const link =
        'https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/quickcreate' +
        `?templateURL=https%3A%2F%2Fit-publish-public.s3.us-east-1.amazonaws.com%2F${template}` +
        `&stackName=items-demo&param_ArtifactBucket=it-publish-public&param_ArtifactKey=${zip}`;
      expect(stdout).to.deep.equal([link, `[![Launch Stack](https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png)](${link})`]);
      for (const key of [template, zip]) {
        const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'it-publish-public', Key: key }));
        expect(publicReads(acl.Grants), key).to.deep.equal(['READ']);
      }
      expect(stderr).to.include('Both objects are public-read: anyone with the link can launch the stack.');
    });

    it('without --public leaves the objects private and says who needs read access', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'it-publish-private' }));
      const { stderr } = await cli(['publish', '--bucket', 'it-publish-private', '--stack-name', 'items-demo']);
      const { template, zip } = await objects('it-publish-private');
      for (const key of [template, zip]) {
        const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'it-publish-private', Key: key }));
        expect(publicReads(acl.Grants), key).to.deep.equal([]);
      }
      expect(stderr).to.include('run with --public to make them public-read');
    });

    it("links to the bucket's region, not the CLI's", async () => {
      const ireland = new S3Client({ endpoint: suite.moto.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials });
      await ireland.send(new CreateBucketCommand({ Bucket: 'it-publish-ireland', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      ireland.destroy();
      const { stdout } = await cli(['publish', '--bucket', 'it-publish-ireland', '--json']);
      const result = JSON.parse(stdout.join('\n')) as { region: string; quickCreateUrl: string; templateUrl: string };
      expect(result.region).to.equal('eu-west-1');
      expect(result.quickCreateUrl).to.match(/^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=eu-west-1#/);
      expect(result.templateUrl).to.match(/^https:\/\/it-publish-ireland\.s3\.eu-west-1\.amazonaws\.com\/template-/);
    });

    it('explains a bucket that refuses ACLs (moto does not model Object Ownership; S3 answers AccessControlListNotSupported)', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'it-publish-no-acl' }));
      const real = (await clients()).artifacts;
      // Only the public-read PutObject fails, as on a bucket with ACLs disabled; the rest is moto.
      const artifacts: ArtifactStore = {
        ...real,
        put: async (bucket, key, body, options) => {
          if (options?.publicRead) throw awsError('AccessControlListNotSupported', 'The bucket does not allow ACLs');
          return real.put(bucket, key, body, options);
        },
      };
      try {
        await publish(
          { bucket: 'it-publish-no-acl', stackName: 'items-demo', public: true },
          { reporter: createMemoryReporter(), aws: { artifacts }, build: async () => suite.artifact, loadTemplate: () => loadDeployTemplate(root) },
        );
        expect.fail('expected a rejection');
      } catch (err) {
        expect(err).to.be.instanceOf(CliError);
        expect((err as CliError).message).to.equal(`Could not make s3://it-publish-no-acl/${suite.artifact.key} public (AccessControlListNotSupported)`);
        expect((err as CliError).details.join('\n')).to.include('bucket policy granting s3:GetObject on arn:aws:s3:::it-publish-no-acl/*');
      }
      expect((await s3.send(new ListObjectsV2Command({ Bucket: 'it-publish-no-acl' }))).Contents ?? []).to.deep.equal([]);
    });
  });

  describe('delete', () => {
    it('keeps the table (DeletionPolicy Retain) and prints the command that deletes it', async () => {
      await deployStack('it-keep', 'it-keep-table');
      const { stderr } = await cli(['delete', '--stack-name', 'it-keep', '--yes']);
      expect(await (await clients()).stacks.describeStack('it-keep')).to.equal(undefined);
      expect(await tableExists('it-keep-table')).to.equal(true);
      expect(stderr).to.include('Table it-keep-table is kept (DeletionPolicy: Retain) with its data; add --delete-data to delete it too.');
      // Deletion protection is on by default (TableDeletionProtection), so the calls lift it first.
      expect(stderr).to.include(
        'Table it-keep-table was retained with its data. To delete it: aws dynamodb update-table --table-name it-keep-table --no-deletion-protection-enabled --region us-east-1 && aws dynamodb delete-table --table-name it-keep-table --region us-east-1',
      );
    });

    it('deletes the table too with --delete-data --yes', async () => {
      await deployStack('it-data', 'it-data-table');
      const { stdout, stderr } = await cli(['delete', '--stack-name', 'it-data', '--delete-data', '--yes', '--json']);
      expect(await tableExists('it-data-table')).to.equal(false);
      expect(stderr).to.include('Table it-data-table has deletion protection on; --delete-data turns it off to delete the table.');
      expect(stderr).to.include('Deleted table it-data-table.');
      const result = JSON.parse(stdout.join('\n')) as { status: string; retainedTables: unknown[] };
      expect(result.status).to.equal('deleted');
      expect(result.retainedTables).to.deep.equal([{ logicalId: 'Table', tableName: 'it-data-table', deletionPolicy: 'Retain', deleted: true }]);
    });

    it('asks for the stack name before deleting the data: a wrong name changes nothing, the right one deletes both', async () => {
      await deployStack('it-typed', 'it-typed-table');
      const aws = await clients();
      const asked: string[] = [];
      const answer = (typed: string) => ({ ask: async (q: string) => (asked.push(q), typed), confirm: async () => true });
      const run = (typed: string) =>
        deleteStack({ stackName: 'it-typed', deleteData: true }, { reporter: createMemoryReporter(), aws, interactive: true, prompt: answer(typed), pollIntervalMs: 10 });

      const err = await run('it-typo').then(
        () => expect.fail('expected a rejection'),
        (e: unknown) => e as CliError,
      );
      expect(err.message).to.equal('Not deleted: the name typed did not match.');
      expect((await aws.stacks.describeStack('it-typed'))?.status).to.equal('CREATE_COMPLETE');
      expect(await tableExists('it-typed-table')).to.equal(true);

      const result = await run('it-typed');
      expect(asked).to.deep.equal(Array(2).fill('Type the stack name (it-typed) to delete it AND its table data: '));
      expect(result.status).to.equal('deleted');
      expect(await aws.stacks.describeStack('it-typed')).to.equal(undefined);
      expect(await tableExists('it-typed-table')).to.equal(false);
    });
  });
});
