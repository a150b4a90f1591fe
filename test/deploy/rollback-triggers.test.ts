/**
 * Rollback triggers: which alarms a deploy hands CloudFormation and for how long. moto accepts
 * and ignores RollbackConfiguration (it never watches an alarm), so what is sent is checked on
 * the scripted CloudFormation (test/support/scripted-cloudformation.ts), with S3 and STS on moto.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackConfiguration.html
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { AwsClients } from '../../cli/aws/clients.js';
import type { CreateChangeSetInput, StackResourceSummary } from '../../cli/aws/stack-api.js';
import { deploy, type DeployDeps } from '../../cli/deploy/deploy.js';
import { parseMonitoringMinutes, rollbackConfiguration } from '../../cli/deploy/rollback-triggers.js';
import { loadDeployTemplate } from '../../cli/deploy/template-source.js';
import { UsageError } from '../../cli/errors.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { OK_HANDLER, useMoto } from '../support/moto.js';
import { ScriptedCloudFormation } from '../support/scripted-cloudformation.js';

const root = join(import.meta.dirname, '..', '..');
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/items/abc';
const alarm = (logicalId: string, name: string, type = 'AWS::CloudWatch::Alarm'): StackResourceSummary => ({ logicalId, physicalId: name, resourceType: type, status: 'CREATE_COMPLETE' });

describe('cli/deploy/rollback-triggers', () => {
  describe('rollbackConfiguration', () => {
    it('takes the composite ApiUnhealthyAlarm alone when the stack has it', () => {
      const resources = [alarm('ErrorsAlarm', 'items-errors'), alarm('ApiUnhealthyAlarm', 'items-unhealthy', 'AWS::CloudWatch::CompositeAlarm'), alarm('Function', 'fn', 'AWS::Lambda::Function')];
      expect(rollbackConfiguration(STACK_ID, resources, 5)).to.deep.equal({
        monitoringMinutes: 5,
        triggers: [{ arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:items-unhealthy', type: 'AWS::CloudWatch::CompositeAlarm' }],
      });
    });

    it('takes at most five plain alarms otherwise, and none when there is none', () => {
      const many = Array.from({ length: 7 }, (_, i) => alarm(`A${i}`, `a${i}`));
      expect(rollbackConfiguration(STACK_ID, many, 0)?.triggers.map((t) => t.arn.split(':').pop())).to.deep.equal(['a0', 'a1', 'a2', 'a3', 'a4']);
      expect(rollbackConfiguration(STACK_ID, [alarm('Function', 'fn', 'AWS::Lambda::Function')], 5)).to.equal(undefined);
    });
  });

  describe('parseMonitoringMinutes', () => {
    it('defaults to 5 and takes 0 to 180 whole minutes', () => {
      expect(parseMonitoringMinutes(undefined)).to.equal(5);
      expect(parseMonitoringMinutes('0')).to.equal(0);
      expect(parseMonitoringMinutes('180')).to.equal(180);
    });

    it('refuses anything else in one line (exit 2)', () => {
      for (const bad of ['181', '-1', '2.5', 'ten', '']) {
        expect(() => parseMonitoringMinutes(bad), bad).to.throw(UsageError, `--rollback-monitoring ${bad}: give whole minutes from 0 to 180`);
      }
    });
  });

  describe('deploy (scripted CloudFormation)', () => {
    const suite = useMoto('rollback-triggers-', { handler: OK_HANDLER });
    let real: AwsClients;
    before(async () => {
      real = await suite.clients();
    });

    function setup() {
      const cfn = new ScriptedCloudFormation();
      const reporter = createMemoryReporter();
      const deps: DeployDeps = {
        reporter,
        aws: { region: real.region, endpoint: suite.moto.endpoint, stacks: cfn, artifacts: real.artifacts, identity: real.identity },
        build: async () => suite.artifact,
        lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }),
        loadTemplate: () => loadDeployTemplate(root),
        interactive: false,
        sleep: async () => {},
        pollIntervalMs: 1,
      };
      // The fake forgets an executed change set; keep what each CreateChangeSet was sent.
      const sent: CreateChangeSetInput[] = [];
      const create = cfn.createChangeSet.bind(cfn);
      cfn.createChangeSet = async (input) => (sent.push(input), create(input));
      return { cfn, reporter, deps, sent };
    }

    it("passes the stack's composite alarm and the monitoring time to CreateChangeSet on an update", async () => {
      const { cfn, reporter, deps, sent } = setup();
      const stack = cfn.seedStack('items', 'UPDATE_COMPLETE', { resources: [alarm('ApiUnhealthyAlarm', 'items-unhealthy', 'AWS::CloudWatch::CompositeAlarm'), alarm('ErrorsAlarm', 'items-errors')] });
      const result = await deploy({ stackName: 'items', yes: true, rollbackMonitoringMinutes: 12 }, deps);
      expect(result.status).to.equal('deployed');
      const [changeSet] = sent;
      const [, partition, , region, account] = stack.id.split(':');
      expect(changeSet!.rollbackConfiguration).to.deep.equal({
        monitoringMinutes: 12,
        triggers: [{ arn: `arn:${partition}:cloudwatch:${region}:${account}:alarm:items-unhealthy`, type: 'AWS::CloudWatch::CompositeAlarm' }],
      });
      expect(reporter.stderr.join('\n')).to.include('Rollback triggers: items-unhealthy; CloudFormation rolls back if one goes into ALARM during the update or the 12 minutes after.');
    });

    it('sends no triggers on a first deploy (the alarms do not exist yet)', async () => {
      const { deps, sent } = setup();
      await deploy({ stackName: 'items', yes: true }, deps);
      const [changeSet] = sent;
      expect(changeSet!.type).to.equal('CREATE');
      expect(changeSet!.rollbackConfiguration).to.equal(undefined);
    });
  });
});
