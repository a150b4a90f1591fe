/**
 * The template's monitoring (issue 12 §1): tracing, JSON logs, the EMF namespace, the alarms and
 * their threshold parameters, the alarm topic, the composite "API unhealthy" alarm, the dashboard.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStackModel } from '../../cli/local/stack-model.js';
import type { CfnTemplate, TemplateResource, TemplateValue } from '../../cli/template/cfn-template.js';
import { readTemplate } from '../../cli/template/read-template.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Props = Record<string, TemplateValue>;

function props(t: CfnTemplate, id: string): Props {
  const r = t.Resources[id];
  expect(r, id).to.be.an('object');
  return ((r as TemplateResource).Properties ?? {}) as Props;
}

function ofType(t: CfnTemplate, type: string): [string, TemplateResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

/** What each alarm watches, by logical id: the list. */
const ALARMS: Record<string, { namespace: string; metric: string; threshold: string }> = {
  Api5xxRateAlarm: { namespace: 'AWS/ApiGateway', metric: '5XXError', threshold: 'Api5xxRatePercentThreshold' },
  ApiLatencyP99Alarm: { namespace: 'AWS/ApiGateway', metric: 'Latency', threshold: 'ApiLatencyP99ThresholdMs' },
  FunctionErrorsAlarm: { namespace: 'AWS/Lambda', metric: 'Errors', threshold: 'FunctionErrorsThreshold' },
  FunctionThrottlesAlarm: { namespace: 'AWS/Lambda', metric: 'Throttles', threshold: 'FunctionThrottlesThreshold' },
  FunctionDurationAlarm: { namespace: 'AWS/Lambda', metric: 'Duration', threshold: 'FunctionDurationPercentThreshold' },
  FunctionConcurrencyAlarm: { namespace: 'AWS/Lambda', metric: 'ConcurrentExecutions', threshold: 'ConcurrencyThreshold' },
  DynamoDBThrottlesAlarm: { namespace: 'AWS/DynamoDB', metric: 'ThrottledRequests', threshold: 'DynamoDBThrottlesThreshold' },
  DynamoDBSystemErrorsAlarm: { namespace: 'AWS/DynamoDB', metric: 'SystemErrors', threshold: 'DynamoDBSystemErrorsThreshold' },
};
const API_FACING = ['Api5xxRateAlarm', 'ApiLatencyP99Alarm', 'FunctionErrorsAlarm', 'FunctionThrottlesAlarm'];

interface MetricRef {
  namespace: string;
  metric: string;
  dimensions: Record<string, TemplateValue>;
}

/** The metrics an alarm reads: its own (Namespace/MetricName) or those of its Metrics[].MetricStat. */
function alarmMetrics(p: Props): MetricRef[] {
  const dims = (list: TemplateValue | undefined) => Object.fromEntries(((list as { Name: string; Value: TemplateValue }[] | undefined) ?? []).map((d) => [d.Name, d.Value]));
  if (p.MetricName !== undefined) return [{ namespace: p.Namespace as string, metric: p.MetricName as string, dimensions: dims(p.Dimensions) }];
  return ((p.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: TemplateValue } } }[]) ?? [])
    .filter((m) => m.MetricStat)
    .map((m) => ({ namespace: m.MetricStat!.Metric.Namespace, metric: m.MetricStat!.Metric.MetricName, dimensions: dims(m.MetricStat!.Metric.Dimensions) }));
}

describe('infra/cfn/template.yaml monitoring', () => {
  let t: CfnTemplate;
  let readme: string;
  before(async () => {
    t = (await readTemplate(root)).template;
    readme = await readFile(join(root, 'README.md'), 'utf8');
  });

  it('traces the function and the stage with X-Ray, and lets the function role write segments', () => {
    expect(props(t, 'Function').TracingConfig).to.deep.equal({ Mode: 'Active' });
    expect(props(t, 'Stage').TracingEnabled).to.equal(true);
    const policies = props(t, 'FunctionRole').Policies as { PolicyName: string; PolicyDocument: { Statement: Props[] } }[];
    const xray = policies.flatMap((p) => p.PolicyDocument.Statement).find((s) => JSON.stringify(s.Action).includes('xray:'));
    expect(xray).to.deep.equal({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' });
  });

  it('logs JSON at the LogLevel and SystemLogLevel parameters, and names the metrics namespace of this stack', () => {
    const fn = props(t, 'Function');
    expect(fn.LoggingConfig).to.deep.include({ LogFormat: 'JSON', ApplicationLogLevel: { Ref: 'LogLevel' }, SystemLogLevel: { Ref: 'SystemLogLevel' } });
    // https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html
    expect(t.Parameters?.LogLevel?.AllowedValues).to.deep.equal(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
    expect(t.Parameters?.SystemLogLevel?.AllowedValues).to.deep.equal(['DEBUG', 'INFO', 'WARN']);
    expect((fn.Environment as { Variables: Props }).Variables.METRICS_NAMESPACE).to.deep.equal({ 'Fn::Sub': 'ItemsApi/${AWS::StackName}' });
  });

  it('has each alarm of the issue, on this stack\'s API, function or table, its threshold a documented parameter, notifying the topic', () => {
    const alarms = ofType(t, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms.sort()).to.deep.equal(Object.keys(ALARMS).sort());
    const groups = ((t.Metadata as Record<string, TemplateValue>)['AWS::CloudFormation::Interface'] as unknown as { ParameterGroups: { Parameters: string[] }[] }).ParameterGroups.flatMap((g) => g.Parameters);
    for (const [id, expected] of Object.entries(ALARMS)) {
      const p = props(t, id);
      expect(p.Threshold, id).to.deep.equal({ Ref: expected.threshold });
      const parameter = t.Parameters?.[expected.threshold];
      expect(parameter?.Type, expected.threshold).to.equal('Number');
      expect(parameter?.Default, expected.threshold).to.not.equal(undefined);
      expect(groups, expected.threshold).to.include(expected.threshold);
      expect(readme, `README documents ${expected.threshold}`).to.include(`\`${expected.threshold}\``);
      expect(p.AlarmActions, id).to.deep.equal([{ Ref: 'AlarmTopic' }]);
      expect(p.OKActions, id).to.deep.equal([{ Ref: 'AlarmTopic' }]);
      expect(p.TreatMissingData, id).to.equal('notBreaching');
      const metrics = alarmMetrics(p);
      expect(metrics.length, id).to.be.at.least(1);
      for (const m of metrics) {
        expect([m.namespace, m.metric], id).to.deep.equal([expected.namespace, expected.metric]);
        if (m.namespace === 'AWS/ApiGateway') expect(m.dimensions).to.deep.equal({ ApiName: { 'Fn::Sub': '${AWS::StackName}-api' }, Stage: { Ref: 'StageName' } });
        if (m.namespace === 'AWS/Lambda') expect(m.dimensions).to.deep.equal({ FunctionName: { Ref: 'Function' } });
        if (m.namespace === 'AWS/DynamoDB') expect(m.dimensions.TableName).to.deep.equal({ Ref: 'Table' });
      }
    }
    // The API's metrics are per ApiName: it must be the API's Name.
    expect(props(t, 'Api').Name).to.deep.equal({ 'Fn::Sub': '${AWS::StackName}-api' });
    // DynamoDB's per-operation alarms sum every operation the function role may call.
    const actions = (props(t, 'FunctionRole').Policies as { PolicyDocument: { Statement: { Action: string[] }[] } }[])
      .flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action))
      .filter((a) => a.startsWith('dynamodb:'))
      .map((a) => a.slice('dynamodb:'.length));
    for (const id of ['DynamoDBThrottlesAlarm', 'DynamoDBSystemErrorsAlarm']) {
      expect(alarmMetrics(props(t, id)).map((m) => m.dimensions.Operation).sort(), id).to.deep.equal(actions.sort());
    }
  });

  it('encrypts the topic with a key CloudWatch may use, and subscribes the e-mail only when one is given', () => {
    const topic = props(t, 'AlarmTopic');
    expect(topic.KmsMasterKeyId).to.deep.equal({ 'Fn::GetAtt': ['AlarmTopicKey', 'Arn'] });
    const key = props(t, 'AlarmTopicKey');
    expect(key.EnableKeyRotation).to.equal(true);
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    const statements = (key.KeyPolicy as { Statement: Props[] }).Statement;
    const cloudwatch = statements.find((s) => JSON.stringify(s.Principal) === '{"Service":"cloudwatch.amazonaws.com"}');
    expect(cloudwatch?.Action).to.deep.equal(['kms:Decrypt', 'kms:GenerateDataKey*']);
    const [subscriptionId, subscription] = ofType(t, 'AWS::SNS::Subscription')[0]!;
    expect(subscription.Condition, subscriptionId).to.equal('AlarmEmailGiven');
    expect(t.Conditions?.AlarmEmailGiven).to.deep.equal({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }] });
    expect(props(t, subscriptionId)).to.deep.equal({ TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } });
  });

  it('makes ApiUnhealthyAlarm ALARM when any API-facing alarm is, naming each by its ARN', () => {
    const [[id, composite]] = ofType(t, 'AWS::CloudWatch::CompositeAlarm') as [[string, TemplateResource]];
    expect(id).to.equal('ApiUnhealthyAlarm');
    const rule = (composite.Properties?.AlarmRule as { 'Fn::Sub': string })['Fn::Sub'];
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html (AlarmRule)
    const terms = rule.split(' OR ');
    expect(terms).to.deep.equal(API_FACING.map((a) => `ALARM("\${${a}.Arn}")`));
    expect(composite.Properties?.AlarmActions).to.deep.equal([{ Ref: 'AlarmTopic' }]);
  });

  describe('Dashboard', () => {
    interface Widget {
      type: string;
      properties: { metrics?: (string | Record<string, unknown>)[][]; alarms?: string[]; region?: string };
    }
    let widgets: Widget[];
    before(() => {
      const body = (props(t, 'Dashboard').DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
      // Each ${...} becomes a marker, as Fn::Sub would put in a value; the body must be JSON then.
      widgets = (JSON.parse(body.replace(/\$\{([^}]+)\}/g, '<$1>')) as { widgets: Widget[] }).widgets;
    });

    it('is JSON with the API, function, table, EMF and alarm widgets', () => {
      const namespaces = new Set(widgets.flatMap((w) => (w.properties.metrics ?? []).map((m) => m[0])));
      expect([...namespaces].sort()).to.deep.equal(['AWS/ApiGateway', 'AWS/DynamoDB', 'AWS/Lambda', 'ItemsApi/<AWS::StackName>']);
      expect(widgets.filter((w) => w.type === 'alarm')).to.have.length(1);
      for (const w of widgets) if (w.type === 'metric') expect(w.properties.region).to.equal('<AWS::Region>');
    });

    it("names only this stack's metrics and alarms", async () => {
      const model = buildStackModel(await readTemplate(root), { region: 'us-east-1', stackName: 's', apiKeyValue: '' });
      const routes = model.api.routes.map((r) => `${r.httpMethod} ${r.resourcePath}`);
      const own: Record<string, Record<string, (v: string) => boolean>> = {
        'AWS/ApiGateway': { ApiName: (v) => v === '<AWS::StackName>-api', Stage: (v) => v === '<StageName>' },
        'AWS/Lambda': { FunctionName: (v) => v === '<Function>' },
        'AWS/DynamoDB': { TableName: (v) => v === '<Table>', Operation: (v) => ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'].includes(v) },
        'ItemsApi/<AWS::StackName>': { Route: (v) => routes.includes(v), DynamoDBOperation: (v) => ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'].includes(v) },
      };
      let checked = 0;
      for (const w of widgets) {
        for (const m of w.properties.metrics ?? []) {
          const [namespace, , ...rest] = m as string[];
          const pairs = rest.filter((x) => typeof x === 'string');
          expect(pairs.length % 2, JSON.stringify(m)).to.equal(0);
          expect(pairs.length, `${JSON.stringify(m)} names its resource`).to.be.at.least(2);
          for (let i = 0; i < pairs.length; i += 2) {
            const ok = own[namespace!]?.[pairs[i]!];
            expect(ok && ok(pairs[i + 1]!), `${JSON.stringify(m)}: ${pairs[i]}=${pairs[i + 1]}`).to.equal(true);
          }
          checked++;
        }
      }
      expect(checked).to.be.at.least(20);
      const alarmIds = [...ofType(t, 'AWS::CloudWatch::Alarm'), ...ofType(t, 'AWS::CloudWatch::CompositeAlarm')].map(([id]) => `<${id}.Arn>`);
      const shown = widgets.flatMap((w) => w.properties.alarms ?? []);
      expect([...shown].sort()).to.deep.equal([...alarmIds].sort());
    });
  });

  it('outputs the dashboard name and console link, the topic ARN and the composite alarm name', () => {
    const outputs = t.Outputs ?? {};
    expect(outputs.DashboardName?.Value).to.deep.equal({ Ref: 'Dashboard' });
    expect(outputs.AlarmTopicArn?.Value).to.deep.equal({ Ref: 'AlarmTopic' });
    expect(outputs.ApiUnhealthyAlarmName?.Value).to.deep.equal({ Ref: 'ApiUnhealthyAlarm' });
    expect((outputs.DashboardUrl?.Value as { 'Fn::Sub': string })['Fn::Sub']).to.match(/^https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home\?region=\$\{AWS::Region\}#dashboards\/dashboard\/\$\{Dashboard\}$/);
  });
});
