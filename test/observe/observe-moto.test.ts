/**
 * `cli metrics`, `cli traces` and the alarms and dashboard of `cli status`, against a real moto
 * server: the project's stack is deployed (with a synthetic handler), CloudWatch data points are
 * seeded with PutMetricData and X-Ray segments with PutTraceSegments, then the commands read
 * them back through GetMetricData, GetTraceSummaries/BatchGetTraces and DescribeAlarms. moto
 * gaps these need are fixed in scripts/moto-server.py (percentiles, alarm resources, trace
 * summaries), each with its AWS source there.
 */
import { CloudFormationClient, CreateStackCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricDataCommand, SetAlarmStateCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { APIGatewayClient, GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { expect } from 'chai';
import { join } from 'node:path';
import { deploy } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import type { CliError } from '../../cli/errors.js';
import type { MetricsResult } from '../../cli/observe/metrics.js';
import type { TracesResult } from '../../cli/observe/traces.js';
import type { StatusResult } from '../../cli/stack/status.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { OK_HANDLER, useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const STACK = 'obs';

/**
 * The project's template; until it has alarms and a dashboard of its own (the template's
 * observability resources), one alarm on the function's Errors, a composite over it and a
 * dashboard are added, so the test reads the same either way.
 */
async function templateWithAlarms() {
  const { template } = await loadDeployTemplate(root);
  const resources = template.Resources as Record<string, { Type: string }>;
  const has = (type: string) => Object.values(resources).some((r) => r.Type === type);
  if (!has('AWS::CloudWatch::Alarm')) {
    Object.assign(resources, {
      TestErrorsAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'Function' } }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        },
      },
      TestUnhealthyAlarm: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: { 'Fn::Sub': 'ALARM(${TestErrorsAlarm})' } } },
    });
  }
  if (!has('AWS::CloudWatch::Dashboard')) {
    Object.assign(resources, { TestDashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: 'obs-test-dashboard', DashboardBody: '{"widgets":[]}' } } });
  }
  return { text: JSON.stringify(template), template };
}

describe('cli metrics, cli traces and cli status alarms against moto', function () {
  this.timeout(120_000);
  const suite = useMoto('observe-moto-', { handler: OK_HANDLER });
  let cloudwatch: CloudWatchClient;
  let xray: XRayClient;
  let resources: { type: string; logicalId: string; physicalId: string }[];
  let apiName: string;
  let functionName: string;
  const stage = 'prod';

  async function cli(args: string[]): Promise<string[]> {
    const reporter = createMemoryReporter();
    await createProgram({ reporter, root, env: suite.moto.env }).parseAsync(['node', 'cli', ...args]);
    return reporter.stdout;
  }

  async function cliError(args: string[]): Promise<CliError> {
    try {
      await cli(args);
    } catch (err) {
      expect((err as CliError).exitCode, String(err)).to.be.a('number');
      return err as CliError;
    }
    throw new Error('expected the command to fail');
  }

  before(async () => {
    const target = { endpoint: suite.moto.endpoint, region: suite.moto.region, credentials };
    cloudwatch = new CloudWatchClient({ ...target, protocol: AwsQueryProtocol });
    xray = new XRayClient(target);
    await deploy(
      { stackName: STACK, yes: true, skipLint: true, parameterOverrides: { TableName: 'obs-items', StageName: stage } },
      {
        reporter: createMemoryReporter(),
        aws: await suite.clients(),
        build: async () => suite.artifact,
        lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }),
        loadTemplate: templateWithAlarms,
        interactive: false,
        pollIntervalMs: 10,
      },
    );
    const cfn = new CloudFormationClient(target);
    const apigateway = new APIGatewayClient(target);
    try {
      resources = ((await cfn.send(new ListStackResourcesCommand({ StackName: STACK }))).StackResourceSummaries ?? []).map((r) => ({
        type: r.ResourceType!,
        logicalId: r.LogicalResourceId!,
        physicalId: r.PhysicalResourceId!,
      }));
      const restApiId = resources.find((r) => r.type === 'AWS::ApiGateway::RestApi')!.physicalId;
      apiName = (await apigateway.send(new GetRestApiCommand({ restApiId }))).name!;
      functionName = resources.find((r) => r.type === 'AWS::Lambda::Function')!.physicalId;
    } finally {
      cfn.destroy();
      apigateway.destroy();
    }
  });
  after(() => {
    cloudwatch?.destroy();
    xray?.destroy();
  });

  describe('cli status', () => {
    it('lists every alarm of the stack, ALARM first, and the dashboard console link', async () => {
      const alarmNames = resources.filter((r) => r.type === 'AWS::CloudWatch::Alarm' || r.type === 'AWS::CloudWatch::CompositeAlarm').map((r) => r.physicalId);
      expect(alarmNames.length).to.be.greaterThan(1);
      const firing = [...alarmNames].sort().at(-1)!;
      await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: firing, StateValue: 'ALARM', StateReason: 'test: threshold crossed' }));

      const status = JSON.parse((await cli(['status', '--stack-name', STACK, '--json'])).join('\n')) as StatusResult;
      expect(status.alarms.map((a) => a.name).sort()).to.deep.equal([...alarmNames].sort());
      expect(status.alarms[0]).to.include({ name: firing, state: 'ALARM' });
      expect(status.alarms.slice(1).every((a) => a.state !== 'ALARM')).to.equal(true);
      const dashboard = resources.find((r) => r.type === 'AWS::CloudWatch::Dashboard')!.physicalId;
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html (console URL of a dashboard)
      expect(status.dashboard).to.deep.equal({ name: dashboard, url: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${dashboard}` });

      const text = (await cli(['status', '--stack-name', STACK])).join('\n');
      expect(text).to.include(`Dashboard: ${status.dashboard!.url}`);
      expect(text).to.include(`Alarms (1 in ALARM of ${alarmNames.length}):`);
      expect(text).to.match(new RegExp(`\\n  ALARM +${firing}.* - test: threshold crossed`));
    });

    it('shows no alarm section for a stack without alarms or dashboard', async () => {
      const cfn = new CloudFormationClient({ endpoint: suite.moto.endpoint, region: suite.moto.region, credentials });
      try {
        await cfn.send(new CreateStackCommand({ StackName: 'plain', TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }) }));
      } finally {
        cfn.destroy();
      }
      const status = JSON.parse((await cli(['status', '--stack-name', 'plain', '--json'])).join('\n')) as StatusResult;
      expect(status.alarms).to.deep.equal([]);
      expect(status.dashboard).to.equal(undefined);
      const text = (await cli(['status', '--stack-name', 'plain'])).join('\n');
      expect(text).not.to.include('Alarms');
      expect(text).not.to.include('Dashboard');
    });
  });

  describe('cli metrics', () => {
    it('reads the API and function figures of the window, per period and in total', async () => {
      const now = Date.now();
      const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
      const api = [
        { Name: 'ApiName', Value: apiName },
        { Name: 'Stage', Value: stage },
      ];
      const fn = [{ Name: 'FunctionName', Value: functionName }];
      const datum = (MetricName: string, Dimensions: typeof api, minutesAgo: number, Values: number[], Unit: MetricDatum['Unit']): MetricDatum => ({ MetricName, Dimensions, Timestamp: at(minutesAgo), Values, Unit });
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/ApiGateway',
          MetricData: [
            datum('Count', api, 50, [1, 1, 1], 'Count'),
            datum('Count', api, 10, [1, 1, 1, 1, 1, 1, 1], 'Count'),
            datum('4XXError', api, 10, [1, 1], 'Count'),
            datum('5XXError', api, 10, [1], 'Count'),
            datum('Latency', api, 50, [10, 20, 30], 'Milliseconds'),
            datum('Latency', api, 10, [40, 50, 60, 70, 80, 90, 900], 'Milliseconds'),
          ],
        }),
      );
      // An older point, outside --since 1h, must not count.
      await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ApiGateway', MetricData: [datum('Count', api, 90, [1, 1, 1, 1], 'Count')] }));
      await cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [datum('Errors', fn, 10, [1], 'Count'), datum('Throttles', fn, 20, [1, 1], 'Count'), datum('Duration', fn, 10, [5, 15, 25], 'Milliseconds')] }),
      );

      const result = JSON.parse((await cli(['metrics', '--stack-name', STACK, '--since', '1h', '--json'])).join('\n')) as MetricsResult;
      expect(result.periodSeconds).to.equal(60);
      expect(result.dimensions).to.deep.equal({ ApiName: apiName, Stage: stage, FunctionName: functionName });
      const row = (id: string) => result.rows.find((r) => r.id === id)!;
      expect(row('requests').total).to.equal(10);
      expect(row('errors4xx').total).to.equal(2);
      expect(row('errors5xx').total).to.equal(1);
      // CloudWatch percentiles over all of the window's values (nearest rank): p50 of the 10 latencies is 50, p99 is 900.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles
      expect(row('latencyP50').total).to.equal(50);
      expect(row('latencyP99').total).to.equal(900);
      expect(row('functionErrors').total).to.equal(1);
      expect(row('throttles').total).to.equal(2);
      expect(row('durationP99').total).to.equal(25);
      const requests = row('requests').points;
      expect(requests.length).to.be.within(60, 61);
      expect(requests.filter((v) => v !== null)).to.deep.equal([3, 7]);
      expect(requests.indexOf(7) - requests.indexOf(3)).to.be.within(39, 41);

      const table = await cli(['metrics', '--stack-name', STACK]);
      const line = table.find((l) => l.startsWith('requests'))!;
      expect(line).to.match(/^requests +10 +[ ▁▂▃▄▅▆▇█]{60,61} \(7\)$/);
      expect(line).to.include('█');
      expect(table.find((l) => l.startsWith('latency p99'))).to.match(/^latency p99 +900 ms /);
    });

    for (const [since, message] of [
      ['yesterday', '--since "yesterday": expected a duration like 30s, 10m, 2h, 1d, or an ISO date'],
      ['0m', '--since "0m" is not in the past'],
      ['999d', '--since "999d" is older than CloudWatch keeps metrics (455 days)'],
    ]) {
      it(`refuses --since ${since} with exit code 2`, async () => {
        const err = await cliError(['metrics', '--stack-name', STACK, '--since', since!]);
        expect(err.exitCode).to.equal(2);
        expect(err.message).to.include(message);
      });
    }

    it('names the missing stack', async () => {
      const err = await cliError(['metrics', '--stack-name', 'nope']);
      expect(err.exitCode).to.equal(1);
      expect(err.message).to.equal('Stack nope does not exist in us-east-1');
    });
  });

  describe('cli traces', () => {
    const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
    /** A request through the API stage into the function and DynamoDB, as X-Ray records it (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html). */
    function request(n: number, service: string, startSec: number, seconds: number, status: number) {
      const traceId = `1-${hex(Math.floor(startSec), 8)}-${hex(n, 24)}`;
      const apiId = hex(n * 16 + 1, 16);
      const callId = hex(n * 16 + 2, 16);
      const fnId = hex(n * 16 + 3, 16);
      const fault = status >= 500;
      const api = {
        name: service,
        id: apiId,
        trace_id: traceId,
        start_time: startSec,
        end_time: startSec + seconds,
        origin: 'AWS::ApiGateway::Stage',
        http: { request: { method: 'GET', url: `https://x.execute-api.us-east-1.amazonaws.com/${stage}/items/${n}` }, response: { status } },
        ...(fault ? { fault: true } : {}),
        subsegments: [{ id: callId, name: 'Lambda', start_time: startSec + 0.002, end_time: startSec + seconds - 0.001, namespace: 'aws', aws: { operation: 'Invoke' } }],
      };
      const fn = {
        name: functionName,
        id: fnId,
        trace_id: traceId,
        parent_id: callId,
        start_time: startSec + 0.005,
        end_time: startSec + seconds - 0.002,
        origin: 'AWS::Lambda::Function',
        ...(fault ? { fault: true } : {}),
        subsegments: [{ id: hex(n * 16 + 4, 16), name: 'DynamoDB', start_time: startSec + 0.01, end_time: startSec + 0.01 + seconds / 2, namespace: 'aws', aws: { operation: 'GetItem' } }],
      };
      return { traceId, documents: [JSON.stringify(api), JSON.stringify(fn)] };
    }

    let slow: string;
    let fast: string;
    let failed: string;

    before(async () => {
      const t = Date.now() / 1000 - 60;
      const service = `${apiName}/${stage}`;
      const requests = [request(1, service, t, 0.8, 200), request(2, service, t + 1, 0.12, 200), request(3, service, t + 2, 0.3, 502), request(4, 'other-api/prod', t + 3, 2, 200)];
      [slow, fast, failed] = requests.map((r) => r.traceId) as [string, string, string];
      await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: requests.flatMap((r) => r.documents) }));
    });

    it("shows the stack's slowest and failed requests with their segment timings", async () => {
      const result = JSON.parse((await cli(['traces', '--stack-name', STACK, '--since', '15m', '--json'])).join('\n')) as TracesResult;
      // Only the traces through this stack's stage (the fourth went through another API).
      expect(result.filter).to.equal(`service("${apiName}/${stage}")`);
      expect(result.traceCount).to.equal(3);
      expect(result.slowest.map((t) => t.id)).to.deep.equal([slow, failed, fast]);
      expect(result.failed.map((t) => t.id)).to.deep.equal([failed]);
      const worst = result.failed[0]!;
      expect(worst).to.include({ status: 502, failure: 'fault', method: 'GET', durationMs: 300 });
      expect(worst.spans.map((s) => [s.depth, s.name, s.kind])).to.deep.equal([
        [0, `${apiName}/${stage}`, 'AWS::ApiGateway::Stage'],
        [1, 'Lambda', 'aws Invoke'],
        [2, functionName, 'AWS::Lambda::Function'],
        [3, 'DynamoDB', 'aws GetItem'],
      ]);
      expect(worst.spans[3]).to.include({ offsetMs: 10, durationMs: 150 });

      const text = await cli(['traces', '--stack-name', STACK, '--since', '15m']);
      expect(text).to.include('Failed:');
      expect(text.find((l) => l.startsWith(failed))).to.match(/GET https:\/\/\S+\/items\/3  502  300 ms  fault$/);
      expect(text.some((l) => /^ {8}DynamoDB +\+10 ms +150 ms  aws GetItem$/.test(l))).to.equal(true);
    });

    it('shows one trace by --id', async () => {
      const lines = await cli(['traces', '--stack-name', STACK, '--id', fast]);
      expect(lines[0]).to.match(new RegExp(`^${fast}  GET \\S+/items/2  200  120 ms$`));
      expect(lines).to.have.length(5);
    });

    it('refuses a malformed --id with exit code 2, and names an unknown one', async () => {
      const bad = await cliError(['traces', '--stack-name', STACK, '--id', 'abc']);
      expect(bad.exitCode).to.equal(2);
      expect(bad.message).to.include('--id "abc" is not an X-Ray trace id');
      const unknown = await cliError(['traces', '--stack-name', STACK, '--id', `1-${hex(1, 8)}-${hex(99, 24)}`]);
      expect(unknown.exitCode).to.equal(1);
      expect(unknown.message).to.equal(`Trace 1-00000001-${hex(99, 24)} not found`);
    });

    it('refuses a --limit that is not a whole number from 1 to 100', async () => {
      for (const limit of ['0', '101', '2.5', 'ten']) {
        const err = await cliError(['traces', '--stack-name', STACK, '--limit', limit]);
        expect(err.exitCode).to.equal(2);
        expect(err.message).to.equal(`--limit "${limit}": expected a whole number from 1 to 100`);
      }
    });

    it('refuses a --since past the 30 days X-Ray keeps', async () => {
      const err = await cliError(['traces', '--stack-name', STACK, '--since', '31d']);
      expect(err.exitCode).to.equal(2);
      expect(err.message).to.include('older than X-Ray keeps traces (30 days)');
    });
  });
});
