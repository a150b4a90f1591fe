import { expect } from 'chai';
import type { StackEvent } from '../../cli/aws/stack-api.js';
import { validateConfig, resolveStackTarget } from '../../cli/stack/config.js';
import { changeSetName } from '../../cli/deploy/change-set.js';
import { filterPattern, formatLogLine, parseLogLine, parseSince } from '../../cli/stack/logs.js';
import { orderOutputs } from '../../cli/stack/outputs.js';
import { changeSetParameters, stageDefaults } from '../../cli/deploy/parameters.js';
import { dataLossRisks } from '../../cli/deploy/preview.js';
import { formatSummaryLine } from '../../cli/deploy/progress-printer.js';
import { applyEvents, createProgress, isSuccessStatus, summarize } from '../../cli/deploy/progress-state.js';
import { launchStackMarkdown, quickCreateUrl } from '../../cli/stack/publish.js';
import { findRootCause } from '../../cli/deploy/root-cause.js';
import { planForStack } from '../../cli/deploy/stack-state.js';
import { requiredCapabilities } from '../../cli/deploy/template-source.js';
import { normalizeLocation } from '../../cli/aws/artifact-store.js';
import { awsFailure } from '../../cli/aws/aws-errors.js';
import { objectHttpsUrl } from '../../cli/aws/s3-url.js';
import { CliError, UsageError } from '../../cli/errors.js';

let n = 0;
function ev(logicalId: string, resourceType: string, status: string, atSecond: number, reason?: string): StackEvent {
  return { eventId: `e${++n}`, stackName: 'items', stackId: 'arn:stack/items/1', logicalId, resourceType, status, reason, timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, atSecond)) };
}
const STACK = 'AWS::CloudFormation::Stack';

describe('cli/stack/publish', () => {
  describe('quickCreateUrl', () => {
    it('builds the console quick-create link with the template URL encoded', () => {
      const url = quickCreateUrl({
        region: 'eu-west-1',
        templateUrl: 'https://my-bucket.s3.eu-west-1.amazonaws.com/template-0123456789ab.yaml',
        stackName: 'items-demo',
        bucket: 'my-bucket',
        artifactKey: 'handler-abcdef012345.zip',
      });
      expect(url).to.equal(
        'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/quickcreate' +
          '?templateURL=https%3A%2F%2Fmy-bucket.s3.eu-west-1.amazonaws.com%2Ftemplate-0123456789ab.yaml' +
          '&stackName=items-demo&param_ArtifactBucket=my-bucket&param_ArtifactKey=handler-abcdef012345.zip',
      );
    });

    it('encodes characters that would break the query (a key with a slash)', () => {
      const url = quickCreateUrl({ region: 'us-east-1', templateUrl: 'https://b.s3.us-east-1.amazonaws.com/a b/t.yaml', stackName: 's', bucket: 'b', artifactKey: 'p/handler-1.zip' });
      expect(url).to.include('templateURL=https%3A%2F%2Fb.s3.us-east-1.amazonaws.com%2Fa%20b%2Ft.yaml&');
      expect(url).to.match(/&param_ArtifactKey=p%2Fhandler-1\.zip$/);
    });
  });

  describe('launchStackMarkdown', () => {
    it('wraps the link in the AWS Launch Stack button', () => {
      expect(launchStackMarkdown('https://x')).to.equal('[![Launch Stack](https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png)](https://x)');
    });
  });
});

describe('cli/aws/artifact-store', () => {
  describe('objectHttpsUrl', () => {
    it('makes a virtual-hosted https URL with each path segment encoded', () => {
      expect(objectHttpsUrl('bkt', 'stack/template a.yaml', 'ap-southeast-2')).to.equal('https://bkt.s3.ap-southeast-2.amazonaws.com/stack/template%20a.yaml');
    });
  });
  describe('normalizeLocation', () => {
    it('maps GetBucketLocation quirks to region names', () => {
      expect([normalizeLocation(undefined), normalizeLocation(''), normalizeLocation('EU'), normalizeLocation('eu-central-1')]).to.deep.equal(['us-east-1', 'us-east-1', 'eu-west-1', 'eu-central-1']);
    });
  });
});

describe('cli/deploy/progress-state', () => {
  describe('applyEvents', () => {
    it('tracks resources and finishes on the stack terminal event, with elapsed time from the injected clock', () => {
      let state = createProgress('items', 1_000);
      state = applyEvents(state, [ev('items', STACK, 'CREATE_IN_PROGRESS', 0, 'User Initiated'), ev('Table', 'AWS::DynamoDB::Table', 'CREATE_IN_PROGRESS', 1)]);
      expect(state.done).to.equal(false);
      expect(summarize(state, 4_000)).to.deep.equal({ elapsedMs: 3_000, total: 1, complete: 0, inProgress: 1, failed: 0 });
      expect(formatSummaryLine(state, 4_000)).to.equal('CREATE_IN_PROGRESS: 0/1 resources done (3s)');
      state = applyEvents(state, [ev('Table', 'AWS::DynamoDB::Table', 'CREATE_COMPLETE', 20), ev('items', STACK, 'CREATE_COMPLETE', 21)]);
      expect(state.done).to.equal(true);
      expect(state.stackStatus).to.equal('CREATE_COMPLETE');
      expect(summarize(state, 91_000)).to.deep.equal({ elapsedMs: 90_000, total: 1, complete: 1, inProgress: 0, failed: 0 });
      expect(formatSummaryLine(state, 91_000)).to.equal('CREATE_COMPLETE: 1/1 resources done (1m30s)');
    });

    it('is not done on REVIEW_IN_PROGRESS or a cleanup phase', () => {
      const state = applyEvents(createProgress('items', 0), [ev('items', STACK, 'REVIEW_IN_PROGRESS', 0), ev('items', STACK, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 1)]);
      expect(state.done).to.equal(false);
    });

    it('returns the same state for no events (pure, nothing mutated)', () => {
      const state = createProgress('items', 0);
      expect(applyEvents(state, [])).to.equal(state);
      const next = applyEvents(state, [ev('Table', 'AWS::DynamoDB::Table', 'CREATE_FAILED', 0, 'boom')]);
      expect(state.events).to.have.length(0);
      expect(summarize(next, 0).failed).to.equal(1);
    });
  });

  describe('isSuccessStatus', () => {
    it('accepts only completed operations that did not roll back', () => {
      expect(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', undefined].map((s) => isSuccessStatus(s))).to.deep.equal([true, true, false, false, false]);
    });
  });
});

describe('cli/deploy/root-cause', () => {
  describe('findRootCause', () => {
    it('names the first real failure, lists the knock-on ones and hints at a name clash', () => {
      const cause = findRootCause(
        [
          ev('items', STACK, 'CREATE_IN_PROGRESS', 0, 'User Initiated'),
          ev('Role', 'AWS::IAM::Role', 'CREATE_FAILED', 1, 'Resource creation cancelled'),
          ev('Table', 'AWS::DynamoDB::Table', 'CREATE_FAILED', 2, 'Resource handler returned message: "Table already exists: lambda-apigateway"'),
          ev('items', STACK, 'ROLLBACK_IN_PROGRESS', 3, 'The following resource(s) failed to create: [Table, Role].'),
          ev('items', STACK, 'ROLLBACK_COMPLETE', 4),
        ],
        'items',
      );
      expect(cause.first).to.deep.include({ logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', status: 'CREATE_FAILED' });
      expect(cause.others.map((o) => o.logicalId)).to.deep.equal(['Role']);
      expect(cause.stackReason).to.equal('The following resource(s) failed to create: [Table, Role].');
      expect(cause.hints).to.have.length(1);
      expect(cause.hints[0]).to.match(/^Table lambda-apigateway already exists outside any stack/);
    });

    it('says which stack owns a table name that is taken, and how to use another name', () => {
      const cause = findRootCause(
        [ev('Table', 'AWS::DynamoDB::Table', 'CREATE_FAILED', 0, 'lambda-apigateway already exists in stack arn:aws:cloudformation:us-east-1:123456789012:stack/other/1a2b')],
        'items',
        { region: 'us-east-1', flags: ' --region us-east-1' },
      );
      expect(cause.hints).to.deep.equal([
        'Table lambda-apigateway belongs to another stack (arn:aws:cloudformation:us-east-1:123456789012:stack/other/1a2b); deploy this one with its own table name:\n' +
          'npx cli deploy --region us-east-1 --parameter-overrides TableName=<new-name>   (or another --stage, which suffixes the table name)',
      ]);
    });

    it('notes a table kept by a rollback (DELETE_SKIPPED), but not one kept by a stack delete', () => {
      const skipped = (status: string) =>
        findRootCause(
          [
            ev('items', STACK, status, 0),
            { ...ev('Table', 'AWS::DynamoDB::Table', 'DELETE_SKIPPED', 1), physicalId: 'lambda-apigateway' },
            ev('Role', 'AWS::IAM::Role', 'DELETE_FAILED', 2, 'Role is in use'),
          ],
          'items',
          { region: 'eu-west-1' },
        );
      const rollback = skipped('ROLLBACK_IN_PROGRESS');
      expect(rollback.retained).to.deep.equal([{ logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', physicalId: 'lambda-apigateway' }]);
      expect(rollback.hints.join('\n')).to.include('aws dynamodb delete-table --table-name lambda-apigateway --region eu-west-1');
      const deletion = skipped('DELETE_IN_PROGRESS');
      expect(deletion.retained).to.deep.equal([]);
      expect(deletion.hints).to.deep.equal([]);
    });

    it('hints at a bucket in another region', () => {
      const cause = findRootCause([ev('Function', 'AWS::Lambda::Function', 'CREATE_FAILED', 0, 'Error occurred while GetObject. S3 Error Code: PermanentRedirect. S3 Error Message: The bucket is in this region: eu-west-1.')], 'items');
      expect(cause.hints[0]).to.match(/^Bucket in another region/);
    });
  });
});

describe('cli/deploy/stack-state', () => {
  describe('planForStack', () => {
    const stack = (status: string) => ({ stackId: 'id', stackName: 'items', status, outputs: [], parameters: {}, terminationProtection: false });
    const plan = (status: string | undefined, extra: { resourceCount?: number; continueRollback?: boolean } = {}) =>
      planForStack(status ? stack(status) : undefined, { continueRollback: false, stackFlags: '', ...extra }).action;

    it('maps each stack state to what deploy does', () => {
      expect([
        plan(undefined),
        plan('CREATE_COMPLETE'),
        plan('UPDATE_ROLLBACK_COMPLETE'),
        plan('ROLLBACK_COMPLETE'),
        plan('REVIEW_IN_PROGRESS'),
        plan('CREATE_FAILED', { resourceCount: 0 }),
        plan('CREATE_FAILED', { resourceCount: 2 }),
        plan('UPDATE_ROLLBACK_FAILED'),
        plan('UPDATE_ROLLBACK_FAILED', { continueRollback: true }),
        plan('UPDATE_IN_PROGRESS'),
        plan('DELETE_FAILED'),
      ]).to.deep.equal(['create', 'update', 'update', 'recreate', 'recreate', 'recreate', 'blocked', 'blocked', 'continue-rollback', 'blocked', 'blocked']);
    });
  });
});

describe('cli/stack/config', () => {
  describe('validateConfig', () => {
    it('accepts stages with parameters and turns values into strings', () => {
      const config = validateConfig({ region: 'eu-west-1', stages: { prod: { stackName: 'items-prod', parameters: { LogRetentionInDays: 14, ApiKeyRequired: true } } } });
      expect(config.stages?.prod?.parameters).to.deep.equal({ LogRetentionInDays: '14', ApiKeyRequired: 'true' });
    });

    it('names the bad key by its path', () => {
      expect(() => validateConfig({ stages: { prod: { paramters: {} } } })).to.throw(UsageError, 'cli.config.json: stages.prod.paramters is not a known key');
      expect(() => validateConfig({ region: 'Europe' })).to.throw(UsageError, 'cli.config.json: region "Europe" is not an AWS region name');
      expect(() => validateConfig({ parameters: { A: { nested: 1 } } })).to.throw(UsageError, 'cli.config.json: parameters.A must be a string, number or boolean');
      expect(() => validateConfig([])).to.throw(UsageError, 'must be a JSON object');
    });
  });

  describe('resolveStackTarget', () => {
    const config = validateConfig({ stackName: 'items', region: 'eu-west-1', parameters: { A: '1' }, stages: { prod: { region: 'us-east-2', parameters: { A: '2' } } } });

    it('uses flag > environment > config file > default', () => {
      expect(resolveStackTarget({}, {}, {})).to.include({ stackName: 'serverless-api-gateway-lambda-dynamodb', region: undefined });
      expect(resolveStackTarget({ stage: 'dev' }, {}, {})).to.include({ stackName: 'serverless-api-gateway-lambda-dynamodb-dev' });
      expect(resolveStackTarget({ stage: 'dev' }, {}, { ...config, stages: { ...config.stages, dev: {} } })).to.include({ stackName: 'items-dev', region: 'eu-west-1' });
      expect(resolveStackTarget({ stage: 'prod' }, {}, config)).to.deep.include({ region: 'us-east-2', parameters: { A: '2' } });
      expect(resolveStackTarget({ stage: 'prod' }, { AWS_REGION: 'ap-south-1', CLI_STACK_NAME: 'env-stack' }, config)).to.include({ region: 'ap-south-1', stackName: 'env-stack' });
      expect(resolveStackTarget({ stage: 'prod', region: 'sa-east-1', stackName: 'flag-stack' }, { AWS_REGION: 'ap-south-1' }, config)).to.include({ region: 'sa-east-1', stackName: 'flag-stack' });
      expect(resolveStackTarget({}, { CLI_STAGE: 'qa' }, {})).to.include({ stage: 'qa', stackName: 'serverless-api-gateway-lambda-dynamodb-qa' });
    });

    it('rejects a stage the config file does not list, naming the ones it does', () => {
      expect(() => resolveStackTarget({ stage: 'prd' }, {}, config)).to.throw(UsageError, '--stage "prd" is not a stage of cli.config.json (stages: prod)');
      expect(() => resolveStackTarget({}, { CLI_STAGE: 'prd' }, config)).to.throw(UsageError, 'CLI_STAGE "prd" is not a stage of cli.config.json (stages: prod)');
      expect(resolveStackTarget({ stage: 'prd' }, {}, { stackName: 'items' })).to.include({ stackName: 'items-prd' });
    });

    it('rejects an invalid stack name', () => {
      expect(() => resolveStackTarget({ stackName: '1bad_name' }, {}, {})).to.throw(UsageError, 'stack name "1bad_name" is not valid');
    });
  });
});

describe('cli/deploy/parameters', () => {
  const declared = { StageName: { Default: 'prod' }, TableName: { Default: 'lambda-apigateway' }, ArtifactBucket: {}, ArtifactKey: {} };

  describe('changeSetParameters', () => {
    it('layers values, keeps previous values on update, and suffixes the table per stage', () => {
      const out = changeSetParameters({
        declared,
        layers: [
          { name: 'stage defaults', values: stageDefaults('dev', declared) },
          { name: 'artifact', values: { ArtifactBucket: 'b', ArtifactKey: 'k.zip' } },
        ],
        previous: { StageName: 'dev', TableName: 'x', ArtifactBucket: 'old', ArtifactKey: 'old.zip' },
      });
      expect(out).to.deep.equal([
        { key: 'StageName', value: 'dev' },
        { key: 'TableName', value: 'lambda-apigateway-dev' },
        { key: 'ArtifactBucket', value: 'b' },
        { key: 'ArtifactKey', value: 'k.zip' },
      ]);
      const update = changeSetParameters({ declared, layers: [{ name: 'artifact', values: { ArtifactBucket: 'b', ArtifactKey: 'k.zip' } }], previous: { TableName: 'custom' } });
      expect(update).to.deep.include({ key: 'TableName', usePreviousValue: true });
    });

    it('names a parameter without a value', () => {
      expect(() => changeSetParameters({ declared, layers: [] })).to.throw(UsageError, 'no value for template parameters ArtifactBucket, ArtifactKey');
    });
  });
});

describe('cli/deploy/preview', () => {
  describe('dataLossRisks', () => {
    it('flags a replaced or removed table, not a modified function', () => {
      const risks = dataLossRisks([
        { action: 'Modify', logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', replacement: 'Conditional' },
        { action: 'Remove', logicalId: 'Old', resourceType: 'AWS::DynamoDB::Table' },
        { action: 'Modify', logicalId: 'Function', resourceType: 'AWS::Lambda::Function', replacement: 'True' },
        { action: 'Modify', logicalId: 'Table2', resourceType: 'AWS::DynamoDB::Table', replacement: 'False' },
      ]);
      expect(risks.map((r) => [r.change.logicalId, r.kind])).to.deep.equal([['Table', 'possibly replaced'], ['Old', 'removed']]);
    });
  });
});

describe('cli/deploy/template-source', () => {
  describe('requiredCapabilities', () => {
    it('asks for CAPABILITY_IAM, and NAMED_IAM only for named IAM resources', () => {
      expect(requiredCapabilities({ Resources: { T: { Type: 'AWS::DynamoDB::Table' } } })).to.deep.equal([]);
      expect(requiredCapabilities({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: {} } } })).to.deep.equal(['CAPABILITY_IAM']);
      expect(requiredCapabilities({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'x' } } } })).to.deep.equal(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    });
  });
});

describe('cli/stack/outputs', () => {
  describe('orderOutputs', () => {
    it('puts ApiEndpoint first, then the template order', () => {
      const ordered = orderOutputs([{ key: 'TableName', value: 't' }, { key: 'Extra', value: 'e' }, { key: 'ApiEndpoint', value: 'u' }, { key: 'ItemsUrl', value: 'i' }], ['ItemsUrl', 'TableName']);
      expect(ordered.map((o) => o.key)).to.deep.equal(['ApiEndpoint', 'ItemsUrl', 'TableName', 'Extra']);
    });
  });
});

describe('cli/deploy/change-set', () => {
  describe('changeSetName', () => {
    it('is a valid change set name derived from the clock', () => {
      const name = changeSetName(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
      expect(name).to.equal('cli-deploy-20300102-030405Z');
      expect(name).to.match(/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/);
    });
  });
});

describe('cli/stack/logs', () => {
  describe('parseSince', () => {
    it('reads durations and dates', () => {
      expect(parseSince('10m', 1_000_000)).to.equal(400_000);
      expect(parseSince('2h', 10_000_000)).to.equal(2_800_000);
      expect(parseSince('2030-01-01T00:00:00Z', 0)).to.equal(Date.UTC(2030, 0, 1));
      expect(() => parseSince('ten minutes', 0)).to.throw(UsageError, '--since "ten minutes"');
    });
  });

  describe('parseLogLine', () => {
    it('pretty-prints a Lambda JSON line and flags errors', () => {
      const line = parseLogLine({ eventId: '1', timestamp: Date.UTC(2030, 0, 1), message: '2030-01-01T00:00:00.000Z\tabc-123\tERROR\t{"level":"error","message":"put failed","table":"t","errorType":"ValidationException"}\n' });
      expect(line).to.deep.include({ level: 'ERROR', requestId: 'abc-123', message: 'put failed', isError: true, isPlatform: false });
      expect(line.fields).to.deep.equal({ table: 't', errorType: 'ValidationException' });
    });

    it('keeps plain text and marks platform lines', () => {
      expect(parseLogLine({ eventId: '2', timestamp: 0, message: 'REPORT RequestId: x Duration: 2 ms' })).to.deep.include({ isPlatform: true, isError: false });
      expect(parseLogLine({ eventId: '3', timestamp: 0, message: '2030-01-01T00:00:00.000Z\tx\tINFO\thello' })).to.deep.include({ level: 'INFO', message: 'hello', isError: false });
      expect(parseLogLine({ eventId: '4', timestamp: 0, message: 'Task timed out after 10.00 seconds' }).isError).to.equal(true);
    });

    // The handler's one line per request, as Lambda stores it. The handler logs with console.log,
    // so Lambda's own level is INFO; its requestId is API Gateway's (the one in a 500 body), the
    // tab-separated or envelope requestId is Lambda's. Text: the Node runtime writes
    // `${time}\t${requestId}\t${level}\t${message}` (aws-lambda-nodejs-runtime-interface-client
    // src/LogPatch.js, logTextToStdout; https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html).
    // JSON LogFormat: `{"timestamp","level","requestId","message"}` with the logged string as
    // message (LogPatch.js formatJsonMessage; https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html).
    const LAMBDA_ID = '3f1c7a52-0b6e-4d8e-9a41-6a2d0c9e5b17';
    const API_ID = '9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24';
    const handlerLine = JSON.stringify({ level: 'error', requestId: API_ID, route: 'POST /DynamoDBManager', status: 500, durationMs: 12 });
    const shown = `ERROR ${LAMBDA_ID} {"requestId":"${API_ID}","route":"POST /DynamoDBManager","status":500,"durationMs":12}`;
    const plain = { dim: (s: string) => s, red: (s: string) => s, bold: (s: string) => s, green: (s: string) => s, cyan: (s: string) => s, yellow: (s: string) => s };

    it("shows Lambda's request id and keeps the handler's requestId of a text-format line", () => {
      const line = parseLogLine({ eventId: '5', timestamp: Date.UTC(2030, 0, 1), message: `2030-01-01T00:00:00.000Z\t${LAMBDA_ID}\tINFO\t${handlerLine}\n` });
      expect(line).to.deep.include({ level: 'ERROR', requestId: LAMBDA_ID, isError: true });
      expect(formatLogLine(line, plain)).to.equal(`2030-01-01T00:00:00.000Z ${shown}`);
    });

    it('reads the same line in the JSON log format, its message the logged JSON text', () => {
      const envelope = JSON.stringify({ timestamp: '2030-01-01T00:00:00.000Z', level: 'INFO', requestId: LAMBDA_ID, message: handlerLine });
      const line = parseLogLine({ eventId: '6', timestamp: Date.UTC(2030, 0, 1), message: envelope + '\n' });
      expect(formatLogLine(line, plain)).to.equal(`2030-01-01T00:00:00.000Z ${shown}`);
    });

    it("drops the handler's requestId when it is Lambda's (a direct invoke) and names platform events of the JSON format", () => {
      const direct = parseLogLine({ eventId: '7', timestamp: 0, message: `1970-01-01T00:00:00.000Z\t${LAMBDA_ID}\tINFO\t{"level":"info","requestId":"${LAMBDA_ID}","status":200}` });
      expect(formatLogLine(direct, plain)).to.equal(`1970-01-01T00:00:00.000Z INFO  ${LAMBDA_ID} {"status":200}`);
      // System logs in JSON: the Telemetry API schema (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html).
      const start = parseLogLine({ eventId: '8', timestamp: 0, message: `{"time":"1970-01-01T00:00:00.000Z","type":"platform.start","record":{"requestId":"${LAMBDA_ID}","version":"$LATEST"}}` });
      expect(start).to.deep.include({ isPlatform: true, isError: false, requestId: LAMBDA_ID });
      expect(formatLogLine(start, plain)).to.equal(`1970-01-01T00:00:00.000Z ${LAMBDA_ID} platform.start {"version":"$LATEST"}`);
      const report = parseLogLine({ eventId: '9', timestamp: 0, message: `{"time":"1970-01-01T00:00:00.000Z","type":"platform.report","record":{"requestId":"${LAMBDA_ID}","status":"timeout"}}` });
      expect(report).to.deep.include({ isPlatform: true, isError: true });
      // Text platform lines already name the request: not repeated.
      const end = parseLogLine({ eventId: '10', timestamp: 0, message: `END RequestId: ${LAMBDA_ID}\n` });
      expect(end.requestId).to.equal(LAMBDA_ID);
      expect(formatLogLine(end, plain)).to.equal(`1970-01-01T00:00:00.000Z END RequestId: ${LAMBDA_ID}`);
    });
  });

  describe('filterPattern', () => {
    // "Enclose exact phrases and terms that include non-alphanumeric characters in double quotation
    // marks": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    const cases: [string, string | undefined][] = [
      ['9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24', '"9b2e4d10-5c3a-4f7e-8d21-0a6b3c9f1e24"'],
      ['  abc-123 ', '"abc-123"'],
      ['ERROR', 'ERROR'],
      ['"already quoted"', '"already quoted"'],
      ['ERROR -Exiting', 'ERROR -Exiting'],
      ['?ERROR ?WARN', '?ERROR ?WARN'],
      ['{ $.level = "error" }', '{ $.level = "error" }'],
      ['%timed out%', '%timed out%'],
      ['[ip, user]', '[ip, user]'],
      ['', undefined],
    ];
    for (const [input, sent] of cases) {
      it(`sends ${JSON.stringify(input)} as ${JSON.stringify(sent)}`, () => {
        expect(filterPattern(input)).to.equal(sent);
      });
    }
  });
});

describe('cli/aws/aws-errors', () => {
  describe('awsFailure', () => {
    const sdkError = (name: string, message: string, extra: object = { $metadata: { httpStatusCode: 400 } }) => Object.assign(new Error(message), { name }, extra);

    it('names the profile whose credentials could not be loaded', () => {
      const err = awsFailure(sdkError('CredentialsProviderError', 'Could not resolve credentials using profile: [nope]', {}), { profile: 'nope' }) as CliError;
      expect(err.message).to.equal('No AWS credentials for profile nope (Could not resolve credentials using profile: [nope])');
      expect(err.details[0]).to.include('aws sso login --profile nope');
    });

    it('turns a service error into a one-line CliError and a response the SDK could not read into its own message', () => {
      const refused = awsFailure(sdkError('LimitExceededException', 'Limit on the number of stacks exceeded\nmore')) as CliError;
      expect(refused).to.be.instanceOf(CliError);
      expect(refused.message).to.equal('AWS refused the request: LimitExceededException (HTTP 400): Limit on the number of stacks exceeded');
      const garbled = awsFailure(
        sdkError('Error', '@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.', {
          $metadata: { httpStatusCode: 500 },
          $response: {},
        }),
      ) as CliError;
      expect(garbled.message).to.equal('AWS sent a response the SDK could not read (HTTP 500): @aws-sdk XML parse error: unexpected content.');
    });

    it('leaves errors that did not come from AWS alone', () => {
      const bug = new TypeError('x is undefined');
      expect(awsFailure(bug)).to.equal(bug);
      const usage = new UsageError('bad flag');
      expect(awsFailure(usage)).to.equal(usage);
    });
  });
});
