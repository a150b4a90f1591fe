/**
 * The failure paths of the REAL deploy code, driven by a scripted fake of CloudFormation
 * (test/support/scripted-cloudformation.ts says what it models); S3 and STS are a real moto
 * server. Sleeps are injected and instant.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { AwsClients } from '../../cli/aws/clients.js';
import { managedBucketName } from '../../cli/deploy/artifacts.js';
import { deleteStack } from '../../cli/stack/delete.js';
import { deploy, type DeployDeps, type DeployOptions } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { CliError } from '../../cli/errors.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { MOTO_ACCOUNT, OK_HANDLER, useMoto } from '../support/moto.js';
import { ScriptedCloudFormation, awsError } from '../support/scripted-cloudformation.js';

const root = join(import.meta.dirname, '..', '..');

describe('cli/deploy/deploy (failure paths, scripted CloudFormation)', () => {
  const suite = useMoto('deploy-failures-', { handler: OK_HANDLER });
  let real: AwsClients;

  before(async () => {
    real = await suite.clients();
  });

  function setup(overrides: Partial<DeployDeps> = {}) {
    const cfn = new ScriptedCloudFormation();
    const reporter = createMemoryReporter();
    const sleeps: number[] = [];
    const deps: DeployDeps = {
      reporter,
      aws: { region: real.region, endpoint: suite.moto.endpoint, stacks: cfn, artifacts: real.artifacts, identity: real.identity },
      build: async () => suite.artifact,
      lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }),
      loadTemplate: () => loadDeployTemplate(root),
      interactive: false,
      sleep: async (ms) => void sleeps.push(ms),
      pollIntervalMs: 5_000,
      now: () => Date.parse('2030-01-01T00:00:00Z'),
      ...overrides,
    };
    const stderr = () => reporter.stderr.join('\n');
    return { cfn, reporter, deps, sleeps, stderr };
  }

  const options = (extra: Partial<DeployOptions> = {}): DeployOptions => ({ stackName: 'items', yes: true, ...extra });

  async function rejection(promise: Promise<unknown>): Promise<CliError> {
    try {
      await promise;
    } catch (err) {
      expect(err).to.be.instanceOf(CliError);
      return err as CliError;
    }
    throw new Error('expected a rejection');
  }

  describe('deploy', () => {
    it('deploys a new stack, following its events over several polls without waiting', async () => {
      const { cfn, deps, sleeps, stderr } = setup();
      const result = await deploy(options(), deps);
      expect(result.status).to.equal('deployed');
      expect(result.stackStatus).to.equal('CREATE_COMPLETE');
      expect(result.outputs).to.deep.equal({ ApiEndpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod' });
      expect(cfn.calls.filter((c) => c === 'describeEvents').length).to.be.greaterThan(1);
      expect(sleeps.every((ms) => ms <= 5_000)).to.equal(true);
      expect(stderr()).to.match(/CREATE_COMPLETE\s+AWS::DynamoDB::Table\s+Table/);
    });

    it('prints the root cause and fails (exit 1) when a create fails and rolls back', async () => {
      const { cfn, deps, stderr } = setup();
      cfn.nextOutcome = {
        kind: 'fail',
        logicalId: 'Function',
        resourceType: 'AWS::Lambda::Function',
        reason: 'Resource handler returned message: "The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions."',
        final: 'ROLLBACK_COMPLETE',
      };
      const err = await rejection(deploy(options(), deps));
      expect(err.exitCode).to.equal(1);
      expect(err.message).to.equal('Deployment of items failed: the stack is ROLLBACK_COMPLETE');
      const details = err.details.join('\n');
      expect(err.details[0]).to.equal('Root cause: Function (AWS::Lambda::Function) CREATE_FAILED');
      expect(details).to.include('nodejs12.x is no longer supported');
      expect(details).to.match(/Other failures:\n  Table \(AWS::DynamoDB::Table\) CREATE_FAILED: Resource creation cancelled/);
      expect(details).to.include('Hint: Deprecated runtime');
      expect(details).to.include('the next `npx cli deploy` deletes it');
      expect(stderr()).to.include('ROLLBACK_COMPLETE');
    });

    it('says when a failed first create kept the table (Retain), with the exact command to delete it', async () => {
      const { cfn, deps } = setup();
      cfn.nextOutcome = {
        kind: 'fail',
        logicalId: 'Function',
        resourceType: 'AWS::Lambda::Function',
        reason: 'Resource handler returned message: "The role defined for the function cannot be assumed by Lambda."',
        final: 'ROLLBACK_COMPLETE',
        retainedTable: 'lambda-apigateway-dev',
      };
      const err = await rejection(deploy(options({ hintFlags: ' --stage dev' }), { ...deps, aws: { ...deps.aws, profile: 'work' } }));
      expect(err.details[0]).to.equal('Root cause: Function (AWS::Lambda::Function) CREATE_FAILED');
      const hint = err.details.indexOf(
        'Hint: Table lambda-apigateway-dev was kept by its DeletionPolicy (Retain) when the stack rolled back, so the next create of this stack fails with "already exists" until it is gone.',
      );
      expect(hint, err.details.join('\n')).to.be.greaterThan(0);
      expect(err.details.slice(hint + 1, hint + 4)).to.deep.equal([
        '      This failed deploy created it, so it holds no items you need; delete it before deploying again:',
        '        aws dynamodb delete-table --table-name lambda-apigateway-dev --region us-east-1 --profile work',
        '      Or deploy with another table name: npx cli deploy --stage dev --parameter-overrides TableName=<new-name>',
      ]);
    });

    it('explains "already exists" for the table with the commands to check and delete it, or another TableName', async () => {
      const { cfn, deps } = setup();
      cfn.nextOutcome = {
        kind: 'fail',
        logicalId: 'Table',
        resourceType: 'AWS::DynamoDB::Table',
        reason:
          "Resource handler returned message: \"Resource of type 'AWS::DynamoDB::Table' with identifier 'lambda-apigateway' already exists.\" (RequestToken: 6c1d2a, HandlerErrorCode: AlreadyExists)",
        final: 'ROLLBACK_COMPLETE',
      };
      const err = await rejection(deploy(options(), deps));
      expect(err.details[0]).to.equal('Root cause: Table (AWS::DynamoDB::Table) CREATE_FAILED');
      const hint = err.details.findIndex((l) => l.startsWith('Hint: '));
      expect(err.details.slice(hint, hint + 5)).to.deep.equal([
        'Hint: Table lambda-apigateway already exists outside any stack: usually the table an earlier failed first deploy or `cli delete` kept (DeletionPolicy Retain).',
        '      If its items are not needed, delete it and deploy again:',
        '        aws dynamodb scan --table-name lambda-apigateway --select COUNT --region us-east-1   (how many items it holds)',
        '        aws dynamodb delete-table --table-name lambda-apigateway --region us-east-1',
        '      Or keep it and give this stack another table: npx cli deploy --parameter-overrides TableName=<new-name>',
      ]);
      expect(err.details.filter((l) => l.startsWith('Hint: '))).to.have.length(1);
    });

    it('deletes a ROLLBACK_COMPLETE stack, saying so, before creating it again', async () => {
      const { cfn, deps, stderr } = setup();
      const dead = cfn.seedStack('items', 'ROLLBACK_COMPLETE', { resources: [] });
      const result = await deploy(options(), deps);
      expect(result.status).to.equal('deployed');
      expect(dead.deleted).to.equal(true);
      expect(result.stackId).to.not.equal(dead.id);
      expect(stderr()).to.include('Stack items is in ROLLBACK_COMPLETE');
      expect(stderr()).to.include('Deleted stack items.');
      expect(cfn.calls.indexOf('deleteStack')).to.be.lessThan(cfn.calls.indexOf('createChangeSet'));
    });

    it('deletes a REVIEW_IN_PROGRESS stack and a CREATE_FAILED stack with no resources before the create', async () => {
      for (const status of ['REVIEW_IN_PROGRESS', 'CREATE_FAILED']) {
        const { cfn, deps, stderr } = setup();
        cfn.seedStack('items', status, { resources: [] });
        const result = await deploy(options(), deps);
        expect(result.status, status).to.equal('deployed');
        expect(stderr(), status).to.include(`Stack items is in ${status}`);
      }
    });

    it('refuses a CREATE_FAILED stack that still holds resources, and changes nothing', async () => {
      const { cfn, deps } = setup();
      cfn.seedStack('items', 'CREATE_FAILED');
      const err = await rejection(deploy(options({ hintFlags: ' --stage dev' }), deps));
      expect(err.message).to.include('CREATE_FAILED and still holds resources');
      expect(err.details.join('\n')).to.include('npx cli delete --stage dev');
      expect(cfn.calls).to.not.include('createChangeSet');
      expect(cfn.calls).to.not.include('deleteStack');
    });

    it('explains UPDATE_ROLLBACK_FAILED and points to --continue-rollback', async () => {
      const { cfn, deps } = setup();
      cfn.seedStack('items', 'UPDATE_ROLLBACK_FAILED');
      const err = await rejection(deploy(options(), deps));
      expect(err.exitCode).to.equal(1);
      expect(err.message).to.include('UPDATE_ROLLBACK_FAILED');
      expect(err.message).to.include('accepts no update until the rollback finishes');
      expect(err.details.join('\n')).to.include('npx cli deploy --continue-rollback');
      expect(cfn.calls).to.not.include('createChangeSet');
    });

    it('finishes the rollback with --continue-rollback (ContinueUpdateRollback), then deploys', async () => {
      const { cfn, deps, stderr } = setup();
      cfn.seedStack('items', 'UPDATE_ROLLBACK_FAILED');
      const result = await deploy(options({ continueRollback: true }), deps);
      expect(cfn.calls).to.include('continueUpdateRollback');
      expect(stderr()).to.include('Rollback complete; deploying.');
      expect(result.changeSet?.type).to.equal('UPDATE');
      expect(result.stackStatus).to.equal('UPDATE_COMPLETE');
    });

    it('reports an update that fails and whose rollback fails too', async () => {
      const { cfn, deps } = setup();
      cfn.seedStack('items', 'UPDATE_COMPLETE');
      cfn.nextOutcome = {
        kind: 'fail',
        logicalId: 'Function',
        resourceType: 'AWS::Lambda::Function',
        reason: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/x',
        final: 'UPDATE_ROLLBACK_FAILED',
      };
      const err = await rejection(deploy(options(), deps));
      const details = err.details.join('\n');
      expect(err.message).to.include('UPDATE_ROLLBACK_FAILED');
      expect(details).to.include('Root cause: Function (AWS::Lambda::Function) UPDATE_FAILED');
      expect(details).to.include('Hint: Missing permission');
      expect(details).to.include('(iam:PassRole)');
      expect(details).to.include('npx cli deploy --continue-rollback');
    });

    it('keeps polling through throttling, backing off', async () => {
      const { cfn, deps, sleeps } = setup();
      cfn.failNext('describeEvents', awsError('Throttling', 'Rate exceeded'), 3);
      const result = await deploy(options(), deps);
      expect(result.stackStatus).to.equal('CREATE_COMPLETE');
      expect(sleeps).to.include.members([10_000, 20_000, 30_000]);
    });

    it('reports an error AWS answered as such (not as a CLI bug), exit 1', async () => {
      const { cfn, deps } = setup();
      cfn.failNext('createChangeSet', awsError('ValidationError', 'Template format error: Unresolved resource dependencies [Tabel] in the Resources block of the template'));
      const err = await rejection(deploy(options(), deps));
      expect(err.exitCode).to.equal(1);
      expect(err.message).to.equal(
        'AWS refused the request: ValidationError (HTTP 400): Template format error: Unresolved resource dependencies [Tabel] in the Resources block of the template',
      );
    });

    it('says the change set is left behind, and how to run it, when ExecuteChangeSet fails', async () => {
      const { cfn, deps } = setup();
      cfn.failNext('executeChangeSet', awsError('InvalidChangeSetStatus', 'ChangeSet [cs] cannot be executed in its current status of [OBSOLETE]'));
      const err = await rejection(deploy(options(), deps));
      expect(err.message).to.match(/^Could not execute change set cli-deploy-\S+: AWS refused the request: InvalidChangeSetStatus \(HTTP 400\): ChangeSet \[cs\] cannot be executed/);
      expect(err.details.at(-1)).to.match(/^Change set cli-deploy-\S+ is left on stack items\. To run it: aws cloudformation execute-change-set --stack-name items --change-set-name cli-deploy-/);
    });

    it('says clearly when the credentials have expired', async () => {
      const { cfn, deps } = setup();
      cfn.failNext('describeStack', awsError('ExpiredToken', 'The security token included in the request is expired'));
      const err = await rejection(deploy(options(), { ...deps, aws: { ...deps.aws, profile: 'dev-sso' } }));
      expect(err.message).to.match(/^AWS credentials have expired/);
      expect(err.details.join('\n')).to.include('aws sso login --profile dev-sso');
      expect(cfn.calls).to.not.include('createChangeSet');
    });

    it('deletes the change set and the empty stack when the user declines', async () => {
      const questions: string[] = [];
      const { cfn, deps, stderr } = setup({ interactive: true, confirm: async (q) => (questions.push(q), false) });
      const err = await rejection(deploy(options({ yes: false }), deps));
      expect(err.message).to.equal('Deployment cancelled; nothing was changed.');
      expect(err.exitCode).to.equal(1);
      expect(questions).to.deep.equal(['Deploy these changes to items? [y/N] ']);
      expect(cfn.calls).to.not.include('executeChangeSet');
      expect(cfn.changeSets.size).to.equal(0); // deleting the REVIEW_IN_PROGRESS stack takes its change sets with it
      expect([...cfn.stacks.values()].every((s) => s.deleted)).to.equal(true);
      expect(stderr()).to.match(/Deleted change set cli-deploy-\S+ and the empty stack/);
    });

    it('deletes the UPDATE change set when the user declines an update', async () => {
      const { cfn, deps, stderr } = setup({ interactive: true, confirm: async () => false });
      cfn.seedStack('items', 'UPDATE_COMPLETE');
      await rejection(deploy(options({ yes: false }), deps));
      expect(cfn.calls).to.include('deleteChangeSet');
      expect(cfn.changeSets.size).to.equal(0);
      expect(stderr()).to.match(/Deleted change set cli-deploy-/);
    });

    it('stops before executing without a terminal and without --yes (exit 2, as delete), leaving the change set named', async () => {
      const { cfn, deps } = setup();
      const err = await rejection(deploy(options({ yes: false }), deps));
      const [name] = [...cfn.changeSets.keys()];
      expect(err.exitCode).to.equal(2);
      expect(err.message).to.equal(`Not deploying: no terminal to confirm on and no --yes. Change set ${name} is left on stack items for review.`);
      expect(err.details.join('\n')).to.include(`aws cloudformation execute-change-set --stack-name items --change-set-name ${name}`);
      expect(err.details.join('\n')).to.include('npx cli deploy --yes');
      expect(cfn.calls).to.not.include('executeChangeSet');
    });

    it('warns loudly when the table would be replaced', async () => {
      const { cfn, deps, reporter } = setup();
      cfn.seedStack('items', 'UPDATE_COMPLETE');
      cfn.nextChanges = [{ action: 'Modify', logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', replacement: 'True' }];
      const result = await deploy(options(), deps);
      expect(result.dataLossRisks).to.deep.equal([{ logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', kind: 'replaced' }]);
      expect(reporter.stderr.some((l) => l.startsWith('warning: DATA LOSS RISK: Table (AWS::DynamoDB::Table) will be replaced'))).to.equal(true);
    });

    it('treats an empty change set as success: "No changes", the change set deleted, outputs returned', async () => {
      const { cfn, deps, stderr } = setup();
      cfn.seedStack('items', 'UPDATE_COMPLETE');
      cfn.nextChanges = [];
      const result = await deploy(options(), deps);
      expect(result.status).to.equal('no-changes');
      expect(result.outputs.ApiEndpoint).to.equal('https://abc123.execute-api.us-east-1.amazonaws.com/prod');
      expect(cfn.calls).to.include('deleteChangeSet');
      expect(cfn.changeSets.size).to.equal(0);
      expect(stderr()).to.include('No changes');
    });

    it('stops waiting on Ctrl-C, says the deployment goes on and how to follow it (exit 130)', async () => {
      const controller = new AbortController();
      const { cfn, deps } = setup({
        signal: controller.signal,
        sleep: async () => {
          if (cfn.calls.includes('executeChangeSet')) controller.abort();
        },
      });
      const err = await rejection(deploy(options({ hintFlags: ' --stage dev' }), deps));
      expect(err.exitCode).to.equal(130);
      expect(err.message).to.equal('Stopped waiting (interrupted); the deployment goes on in CloudFormation.');
      expect(err.details).to.deep.equal(['Follow it with: npx cli status --stage dev']);
      expect(cfn.calls).to.include('executeChangeSet');
    });

    it('deletes the change set, and says so, on Ctrl-C before it runs', async () => {
      const controller = new AbortController();
      const { cfn, deps, stderr } = setup({
        signal: controller.signal,
        interactive: true,
        confirm: async () => {
          controller.abort();
          return true;
        },
      });
      cfn.seedStack('items', 'UPDATE_COMPLETE');
      const err = await rejection(deploy(options({ yes: false }), deps));
      expect(err.exitCode).to.equal(130);
      expect(cfn.calls).to.not.include('executeChangeSet');
      expect(cfn.changeSets.size).to.equal(0);
      expect(stderr()).to.match(/Deleted change set cli-deploy-/);
    });

    // moto 5.2.5 has no UpdateTerminationProtection (it answers HTTP 500), so --protect is
    // exercised here only.
    it('turns on termination protection with --protect, also when there is nothing else to deploy, and delete then refuses', async () => {
      const { cfn, deps, reporter } = setup();
      await deploy(options(), deps);
      cfn.nextChanges = [];
      const result = await deploy(options({ protect: true }), deps);
      expect(result.status).to.equal('no-changes');
      expect(cfn.calls.filter((c) => c === 'setTerminationProtection')).to.have.length(1);
      expect([...cfn.stacks.values()][0]!.terminationProtection).to.equal(true);
      expect(reporter.stderr).to.include('Termination protection is on for items.');
      await deploy(options({ protect: true }), deps);
      expect(cfn.calls.filter((c) => c === 'setTerminationProtection')).to.have.length(1);

      const aws = { region: real.region, stacks: cfn, artifacts: real.artifacts, identity: real.identity, tables: real.tables };
      const err = await rejection(deleteStack({ stackName: 'items', yes: true }, { reporter, aws, interactive: false }));
      expect(err.message).to.equal('Stack items has termination protection on; nothing was deleted.');
      expect(cfn.calls).to.not.include('deleteStack');
    });

    it('refuses, with the reason, an artifact bucket in another region (GetBucketLocation)', async () => {
      const { CreateBucketCommand, S3Client } = await import('@aws-sdk/client-s3');
      const s3 = new S3Client({ endpoint: suite.moto.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      await s3.send(new CreateBucketCommand({ Bucket: 'artifacts-in-ireland', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      s3.destroy();
      const { cfn, deps } = setup();
      const err = await rejection(deploy(options({ bucket: 'artifacts-in-ireland' }), deps));
      expect(err.message).to.equal('Refusing to deploy: artifact bucket artifacts-in-ireland is in eu-west-1, but the stack deploys to us-east-1');
      expect(err.details[0]).to.equal('Lambda reads its code only from a bucket in its own region.');
      expect(cfn.calls).to.deep.equal(['describeStack']);
    });

    it('rejects an unknown --parameter-overrides key before changing anything (no bucket, no upload, no stack deleted)', async () => {
      await suite.moto.reset();
      const { cfn, deps } = setup();
      const dead = cfn.seedStack('items', 'ROLLBACK_COMPLETE', { resources: [] });
      let built = false;
      const err = await rejection(deploy(options({ parameterOverrides: { TableNme: 'x' } }), { ...deps, build: async () => ((built = true), suite.artifact) }));
      expect(err.exitCode).to.equal(2);
      expect(err.message).to.equal('--parameter-overrides: the template has no parameter "TableNme"');
      expect(cfn.calls).to.deep.equal([]);
      expect(dead.deleted).to.equal(false);
      expect(built).to.equal(false);
      expect(await real.artifacts.bucketRegion({ name: managedBucketName(MOTO_ACCOUNT, 'us-east-1') })).to.equal(undefined);
    });

    it('rejects a cli.config.json parameter the template does not declare, naming its source', async () => {
      const { cfn, deps } = setup();
      const err = await rejection(deploy(options({ configParameters: { LogRetention: '7' } }), deps));
      expect(err.message).to.equal('cli.config.json parameters: the template has no parameter "LogRetention"');
      expect(cfn.calls).to.deep.equal([]);
    });

    // The values `cli dev` refuses (cli/template/parameters.ts checks both): the template's
    // MaxValue 28 and AllowedValues [false, true].
    for (const [overrides, message] of [
      [{ FunctionTimeout: '60' }, 'parameter FunctionTimeout (--parameter-overrides) must be at most 28, got 60'],
      [{ ApiKeyRequired: 'yes' }, 'parameter ApiKeyRequired (--parameter-overrides) must be one of false, true; got "yes"'],
    ] as const) {
      it(`refuses ${JSON.stringify(overrides)} as cli dev does (exit 2), before any AWS call`, async () => {
        const { cfn, deps } = setup();
        const err = await rejection(deploy(options({ parameterOverrides: overrides }), deps));
        expect(err.exitCode).to.equal(2);
        expect(err.message).to.equal(message);
        expect(cfn.calls).to.deep.equal([]);
      });
    }
  });

  describe('deleteStack', () => {
    it('refuses without a terminal and without --yes, deleting nothing', async () => {
      const { cfn, reporter } = setup();
      cfn.seedStack('items', 'UPDATE_COMPLETE');
      const aws = { region: real.region, stacks: cfn, artifacts: real.artifacts, identity: real.identity, tables: real.tables };
      const err = await rejection(deleteStack({ stackName: 'items' }, { reporter, aws, interactive: false }));
      expect(err.exitCode).to.equal(2);
      expect(err.message).to.include('Pass --yes');
      expect(cfn.calls).to.not.include('deleteStack');
    });

    it('asks for the stack name before deleting the data too, and stops on a mismatch', async () => {
      const { cfn, reporter } = setup();
      cfn.seedStack('items', 'UPDATE_COMPLETE', {
        resources: [{ logicalId: 'Table', physicalId: 'lambda-apigateway', resourceType: 'AWS::DynamoDB::Table', status: 'CREATE_COMPLETE' }],
      });
      const aws = { region: real.region, stacks: cfn, artifacts: real.artifacts, identity: real.identity, tables: real.tables };
      const asked: string[] = [];
      const prompt = { ask: async (q: string) => (asked.push(q), 'itemz'), confirm: async () => true };
      const err = await rejection(deleteStack({ stackName: 'items', deleteData: true }, { reporter, aws, interactive: true, prompt }));
      expect(asked).to.deep.equal(['Type the stack name (items) to delete it AND its table data: ']);
      expect(err.message).to.equal('Not deleted: the name typed did not match.');
      expect(cfn.calls).to.not.include('deleteStack');
    });

    it('refuses a stack with termination protection', async () => {
      const { cfn, reporter } = setup();
      cfn.seedStack('items', 'UPDATE_COMPLETE').terminationProtection = true;
      const aws = { region: real.region, stacks: cfn, artifacts: real.artifacts, identity: real.identity, tables: real.tables };
      const err = await rejection(deleteStack({ stackName: 'items', yes: true }, { reporter, aws, interactive: false }));
      expect(err.message).to.include('termination protection');
      expect(err.details[0]).to.include('update-termination-protection --no-enable-termination-protection');
    });
  });
});
