/**
 * `cli deploy` and the rest of the lifecycle against a real moto server (CloudFormation, S3,
 * STS, Lambda, IAM, DynamoDB, API Gateway, Logs), with the real build, lint and template. moto
 * runs operations synchronously and skips some resource types (Stage, usage plans): nothing here
 * depends on those.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildArtifact, type Artifact } from '../../cli/build/artifact.js';
import { parseTemplate } from '../../cli/template/read-template.js';
import { runCfnLint } from '../../cli/lint/cfn-lint.js';
import { managedBucketName } from '../../cli/deploy/artifacts.js';
import { deploy, type DeployDeps } from '../../cli/deploy/deploy.js';
import type { DeployResult } from '../../cli/deploy/deploy-result.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { resolveStackEndpoint } from '../../cli/stack/endpoint.js';
import { withStack, type StackCommandOptions } from '../../cli/commands/stack-options.js';
import { UsageError } from '../../cli/errors.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { MOTO_ACCOUNT, useMoto } from '../support/moto.js';
import { syntheticArtifact } from '../support/synthetic-artifact.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = 'it-items';

describe('cli/deploy against moto', () => {
  const suite = useMoto('deploy-moto-');
  let outputsFile: string;

  before(() => {
    outputsFile = join(suite.dir, 'outputs.json');
  });

  /** Fresh clients per run, as each CLI invocation has. */
  const clients = () => suite.clients();

  async function run(build: () => Promise<Artifact>, options: { skipLint?: boolean; outputsFile?: string } = {}) {
    const aws = await clients();
    const reporter = createMemoryReporter();
    const deps: DeployDeps = {
      reporter,
      aws,
      build,
      lint: () => runCfnLint({ root }),
      loadTemplate: () => loadDeployTemplate(root),
      interactive: false,
      pollIntervalMs: 10,
    };
    const result = await deploy({ stackName: STACK, yes: true, outputsFile: options.outputsFile ?? outputsFile, skipLint: options.skipLint }, deps);
    return { result, aws, stderr: reporter.stderr.join('\n') };
  }

  async function cli(args: string[]) {
    const reporter = createMemoryReporter();
    await createProgram({ reporter, root, env: suite.moto.env }).parseAsync(['node', 'cli', ...args]);
    return { stdout: reporter.stdout.join('\n'), stderr: reporter.stderr.join('\n') };
  }

  let first: DeployResult;
  let firstArtifact: Artifact;

  describe('deploy', () => {
    it('creates the bucket, uploads the zip, creates and executes a CREATE change set and writes the outputs', async () => {
      const { result, aws, stderr } = await run(async () => (firstArtifact = await buildArtifact({ root, outDir: suite.dir })));
      first = result;
      const bucket = { name: managedBucketName(MOTO_ACCOUNT, 'us-east-1') };
      expect(await aws.artifacts.bucketRegion(bucket)).to.equal('us-east-1');
      expect(result.artifact).to.deep.equal({ bucket: bucket.name, key: `${STACK}/${firstArtifact.key}`, uploaded: true, bytes: firstArtifact.size });
      expect(await aws.artifacts.head(bucket, result.artifact.key)).to.include({ size: firstArtifact.size });
      // The prepared template is over CreateChangeSet's 51,200-byte TemplateBody limit, so it goes
      // to the bucket too (TemplateURL).
      expect(result.template.inline).to.equal(false);
      expect(aws.metrics.bytesUploaded).to.equal(firstArtifact.size + result.template.bytes);
      expect(result.status).to.equal('deployed');
      expect(result.changeSet?.type).to.equal('CREATE');
      expect(result.stackStatus).to.equal('CREATE_COMPLETE');
      expect(stderr).to.include('Creating artifact bucket');

      const template = parseTemplate(await readFile(join(root, 'infra', 'cfn', 'template.yaml'), 'utf8'));
      // The unconditional outputs, and those of the default AuthMode (AWS_IAM: the invoke policy).
      const expected = Object.entries(template.Outputs ?? {}).filter(([, o]) => o.Condition === undefined || o.Condition === 'AuthIam').map(([k]) => k);
      const written = JSON.parse(await readFile(outputsFile, 'utf8')) as Record<string, string>;
      expect(Object.keys(written).sort()).to.deep.equal(expected.sort());
      expect(written.InvokePolicyArn).to.match(/^arn:aws:iam::123456789012:policy\/it-items-InvokePolicy-/);
      expect(Object.keys(written)[0]).to.equal('ApiEndpoint');
      expect(written.ApiEndpoint).to.match(/^https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/prod$/);
      expect(written).to.deep.equal(result.outputs);
    });

    it('uploads 0 bytes and reports "No changes" when nothing changed', async () => {
      const { result, aws, stderr } = await run(() => buildArtifact({ root, outDir: suite.dir }), { skipLint: true });
      expect(result.status).to.equal('no-changes');
      expect(result.artifact.uploaded).to.equal(false);
      expect(aws.metrics.bytesUploaded).to.equal(0);
      expect(aws.metrics.byOperation['S3.PutObject']).to.equal(undefined);
      expect(aws.metrics.calls).to.be.at.most(8);
      expect(stderr).to.include('No changes');
      expect(result.outputs).to.deep.equal(first.outputs);
    });

    it('refuses an --outputs-file it cannot write in one line (exit 2), after the deploy', async () => {
      const missing = join(suite.dir, 'no-such-dir', 'outputs.json');
      const err = await run(() => buildArtifact({ root, outDir: suite.dir }), { skipLint: true, outputsFile: missing }).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(UsageError);
      expect((err as UsageError).exitCode).to.equal(2);
      expect((err as UsageError).message).to.equal(`--outputs-file ${missing}: cannot write it (ENOENT); choose a file in a directory you can write to`);
    });

    it('uploads a new artifact key and runs an UPDATE change set when the handler changes', async () => {
      const changed = await syntheticArtifact(suite.dir, 'exports.handler = async () => ({ statusCode: 204, body: "" });');
      const { result, aws } = await run(async () => changed, { skipLint: true });
      expect(result.artifact.key).to.equal(`${STACK}/${changed.key}`);
      expect(result.artifact.key).to.not.equal(first.artifact.key);
      expect(result.artifact.bytes).to.equal(changed.size);
      expect(result.changeSet?.type).to.equal('UPDATE');
      expect(result.status).to.equal('deployed');
      expect(result.stackStatus).to.equal('UPDATE_COMPLETE');
      expect((await aws.stacks.describeStack(STACK))?.parameters.ArtifactKey).to.equal(result.artifact.key);
    });
  });

  describe('outputs', () => {
    it('prints the outputs as JSON with --json', async () => {
      const { stdout } = await cli(['outputs', '--stack-name', STACK, '--json']);
      expect(JSON.parse(stdout)).to.deep.equal(first.outputs);
    });
  });

  describe('status', () => {
    it('reports the stack status, events and outputs as JSON', async () => {
      const { stdout } = await cli(['status', '--stack-name', STACK, '--json']);
      const status = JSON.parse(stdout) as { status: string; events: unknown[]; outputs: Record<string, string> };
      expect(status.status).to.equal('UPDATE_COMPLETE');
      expect(status.events.length).to.be.greaterThan(0);
      expect(status.outputs.ApiEndpoint).to.equal(first.outputs.ApiEndpoint);
    });
  });

  describe('resolveStackEndpoint', () => {
    // Opened as `cli invoke --stage/--stack-name` opens it.
    const endpointOf = (flags: StackCommandOptions) =>
      withStack(flags, { reporter: createMemoryReporter(), root, env: suite.moto.env }, ({ target, aws, hintFlags }) => resolveStackEndpoint({ stackName: target.stackName, hintFlags }, { aws }));

    it("returns the stack's ApiEndpoint and DynamoDBManagerUrl (no API key when the stack has none)", async () => {
      const endpoint = await endpointOf({ stackName: STACK });
      expect(endpoint).to.deep.equal({
        url: first.outputs.ApiEndpoint,
        dynamoDbManagerUrl: first.outputs.DynamoDBManagerUrl,
        apiKey: undefined,
        stackName: STACK,
        region: 'us-east-1',
      });
    });

    it('says which stack is missing', async () => {
      try {
        await endpointOf({ stage: 'nope' });
        expect.fail('expected a rejection');
      } catch (err) {
        expect((err as Error).message).to.equal('Stack serverless-api-gateway-lambda-dynamodb-nope does not exist in us-east-1');
      }
    });
  });

  describe('publish', () => {
    it('uploads template and zip to the bucket and prints the quick-create link', async () => {
      const aws = await clients();
      const { CreateBucketCommand, S3Client } = await import('@aws-sdk/client-s3');
      const s3 = new S3Client({ endpoint: suite.moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      await s3.send(new CreateBucketCommand({ Bucket: 'it-publish' }));
      s3.destroy();
      const { stdout, stderr } = await cli(['publish', '--bucket', 'it-publish', '--stack-name', 'demo']);
      const [link, markdown] = stdout.split('\n');
      const m = /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=us-east-1#\/stacks\/quickcreate\?templateURL=(https%3A%2F%2Fit-publish\.s3\.us-east-1\.amazonaws\.com%2F(template-[0-9a-f]{12}\.yaml))&stackName=demo&param_ArtifactBucket=it-publish&param_ArtifactKey=(handler-[0-9a-f]{12}\.zip)$/.exec(link!);
      expect(m, link).to.not.equal(null);
      expect(markdown).to.equal(`[![Launch Stack](https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png)](${link})`);
      expect(await aws.artifacts.head({ name: 'it-publish' }, m![2]!)).to.not.equal(undefined);
      expect(await aws.artifacts.head({ name: 'it-publish' }, m![3]!)).to.not.equal(undefined);
      expect(stderr).to.include('needs read access');
    });
  });

  describe('delete', () => {
    it('deletes the stack, says the table is retained and removes the stack\'s artifacts', async () => {
      const { stderr } = await cli(['delete', '--stack-name', STACK, '--yes']);
      const aws = await clients();
      expect(await aws.stacks.describeStack(STACK)).to.equal(undefined);
      expect(stderr).to.include(`Table ${first.outputs.TableName} was retained with its data`);
      expect(stderr).to.include(`aws dynamodb delete-table --table-name ${first.outputs.TableName} --region us-east-1`);
      expect(await aws.artifacts.list({ name: managedBucketName(MOTO_ACCOUNT, 'us-east-1') }, `${STACK}/`)).to.deep.equal([]);
    });
  });
});
