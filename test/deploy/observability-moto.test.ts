/**
 * `cli deploy` of the project's template against a real moto server: the monitoring resources
 * (alarms, composite alarm, topic, dashboard) and the function's tracing are created.
 * What moto does not show: it has no X-Ray or Stage model (the stage's TracingEnabled is not
 * created), ignores the function's LoggingConfig (LogFormat, levels) and evaluates no alarm
 * (every alarm stays INSUFFICIENT_DATA); those are checked in the template tests only.
 * moto 5.2.5 has no CloudFormation model for the two alarm types; scripts/moto-server.py adds them.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { buildArtifact } from '../../cli/build/artifact.js';
import { deploy, type DeployDeps } from '../../cli/deploy/deploy.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useMoto } from '../support/moto.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = 'obs-items';

describe('monitoring resources deployed to moto', () => {
  const suite = useMoto('obs-moto-');
  let outputs: Record<string, string>;

  /** A moto call without an SDK client of its own: moto routes by the credential scope's service. */
  async function call(service: string, init: { method?: string; path?: string; form?: Record<string, string> }): Promise<string> {
    const headers: Record<string, string> = { Authorization: `AWS4-HMAC-SHA256 Credential=testing/20300101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` };
    if (init.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${suite.moto.endpoint}${init.path ?? '/'}`, { method: init.method ?? 'POST', headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined });
    const text = await response.text();
    expect(response.status, `${service} ${text.slice(0, 300)}`).to.equal(200);
    return text;
  }
  const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);

  before(async function () {
    this.timeout(240_000);
    const aws = await suite.clients();
    const deps: DeployDeps = {
      reporter: createMemoryReporter(),
      aws,
      build: () => buildArtifact({ root, outDir: suite.dir }),
      lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }),
      loadTemplate: () => loadDeployTemplate(root),
      interactive: false,
      pollIntervalMs: 10,
    };
    const result = await deploy({ stackName: STACK, yes: true, outputsFile: join(suite.dir, 'outputs.json'), parameterOverrides: { AlarmEmail: 'ops@example.com' } }, deps);
    expect(result.stackStatus).to.equal('CREATE_COMPLETE');
    outputs = result.outputs;
  });

  it('creates the eight alarms and the composite alarm, named by CloudFormation, notifying the topic', async () => {
    const resources = await call('cloudformation', { form: { Action: 'DescribeStackResources', StackName: STACK, Version: '2010-05-15' } });
    const types = all(resources, 'ResourceType');
    expect(types.filter((t) => t === 'AWS::CloudWatch::Alarm')).to.have.length(8);
    expect(types.filter((t) => t === 'AWS::CloudWatch::CompositeAlarm')).to.have.length(1);
    const alarms = await call('monitoring', { form: { Action: 'DescribeAlarms', Version: '2010-08-01' } });
    const names = all(alarms, 'AlarmName');
    expect(names).to.have.length(9);
    for (const name of names) expect(name).to.match(new RegExp(`^${STACK}-\\w+Alarm-\\w+$`));
    expect(names).to.include(outputs.ApiUnhealthyAlarmName);
    // Every alarm notifies the topic, on ALARM and on OK.
    expect(all(alarms, 'member').filter((m) => m === outputs.AlarmTopicArn)).to.have.length(18);
    const rule = all(alarms, 'AlarmRule')[0]!.replace(/&quot;/g, '"');
    expect(rule.split(' OR ')).to.have.length(4);
    for (const term of rule.split(' OR ')) {
      const arn = /^ALARM\("([^"]+)"\)$/.exec(term)?.[1];
      expect(all(alarms, 'AlarmArn'), term).to.include(arn);
    }
  });

  it('creates the encrypted topic with the e-mail subscription, and the dashboard with its JSON body', async () => {
    const attributes = await call('sns', { form: { Action: 'GetTopicAttributes', TopicArn: outputs.AlarmTopicArn!, Version: '2010-03-31' } });
    expect(attributes).to.match(/<key>KmsMasterKeyId<\/key>\s*<value>arn:aws:kms:us-east-1:\d+:key\/[0-9a-f-]+<\/value>/);
    const subscriptions = await call('sns', { form: { Action: 'ListSubscriptionsByTopic', TopicArn: outputs.AlarmTopicArn!, Version: '2010-03-31' } });
    expect(all(subscriptions, 'Endpoint')).to.deep.equal(['ops@example.com']);
    const dashboard = await call('monitoring', { form: { Action: 'GetDashboard', DashboardName: outputs.DashboardName!, Version: '2010-08-01' } });
    const body = all(dashboard, 'DashboardBody')[0]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const widgets = (JSON.parse(body) as { widgets: { properties: { metrics?: string[][] } }[] }).widgets;
    expect(widgets.flatMap((w) => w.properties.metrics ?? []).some((m) => m.includes(`${STACK}-api`))).to.equal(true);
    expect(outputs.DashboardUrl).to.equal(`https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${outputs.DashboardName}`);
  });

  it('creates the function with active tracing and the metrics namespace of the stack', async () => {
    const config = JSON.parse(await call('lambda', { method: 'GET', path: `/2015-03-31/functions/${outputs.FunctionName}/configuration` })) as {
      TracingConfig: { Mode: string };
      Environment: { Variables: Record<string, string> };
    };
    expect(config.TracingConfig).to.deep.equal({ Mode: 'Active' });
    expect(config.Environment.Variables.METRICS_NAMESPACE).to.equal(`ItemsApi/${STACK}`);
  });
});
