/**
 * The CloudFormation calls the deploy code makes, in its own vocabulary. The SDK implementation
 * is below; tests drive the same deploy code with a scripted fake of this interface.
 */
import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateTerminationProtectionCommand,
  type Capability,
  type Change,
  type Stack,
  type StackEvent as SdkStackEvent,
} from '@aws-sdk/client-cloudformation';
import { isStackMissing } from './aws-errors.js';

export interface StackOutput {
  key: string;
  value: string;
  description?: string;
}

export interface StackDescription {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  creationTime?: Date;
  lastUpdatedTime?: Date;
  outputs: StackOutput[];
  parameters: Record<string, string>;
  terminationProtection: boolean;
}

export interface StackEvent {
  eventId: string;
  stackId?: string;
  stackName: string;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: Date;
}

export interface ResourceChange {
  /** Add | Modify | Remove | Import | Dynamic */
  action: string;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  /** True | False | Conditional (Modify only). */
  replacement?: string;
}

export interface ChangeSetDescription {
  id: string;
  name: string;
  stackId: string;
  /** CREATE_PENDING | CREATE_IN_PROGRESS | CREATE_COMPLETE | FAILED | DELETE_* */
  status: string;
  statusReason?: string;
  executionStatus?: string;
  creationTime?: Date;
  changes: ResourceChange[];
}

export interface StackResourceSummary {
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  status: string;
}

export type TemplateSource = { body: string } | { url: string };

export interface ChangeSetParameter {
  key: string;
  value?: string;
  /** Keep the value the stack has now (UPDATE only). */
  usePreviousValue?: boolean;
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackConfiguration.html */
export interface RollbackConfiguration {
  triggers: { arn: string; type: string }[];
  monitoringMinutes: number;
}

export interface CreateChangeSetInput {
  stackName: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  template: TemplateSource;
  parameters: ChangeSetParameter[];
  capabilities: Capability[];
  description?: string;
  /**
   * A CloudFormation service role: CloudFormation creates the resources with its rights, not the
   * caller's (who then only needs iam:PassRole on it). Remembered by the stack for later updates.
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html
   */
  roleArn?: string;
  tags?: Record<string, string>;
  rollbackConfiguration?: RollbackConfiguration;
}

export interface DescribeEventsOptions {
  /** Stop paging at (and exclude) this event id: the newest event already seen. */
  stopAtEventId?: string;
  /** Stop paging at events older than this (server clock). */
  since?: Date;
  /** At most this many events (newest first). */
  limit?: number;
}

export interface StackApi {
  /** `undefined` when the stack does not exist. */
  describeStack(stackName: string): Promise<StackDescription | undefined>;
  createChangeSet(input: CreateChangeSetInput): Promise<{ id: string; stackId: string }>;
  describeChangeSet(stackName: string, changeSetName: string): Promise<ChangeSetDescription>;
  executeChangeSet(stackName: string, changeSetName: string): Promise<void>;
  deleteChangeSet(stackName: string, changeSetName: string): Promise<void>;
  /** Events newest first. `stackName` may be a stack id (which also works after deletion). */
  describeEvents(stackName: string, options?: DescribeEventsOptions): Promise<StackEvent[]>;
  listResources(stackName: string): Promise<StackResourceSummary[]>;
  /** The template the stack runs now (original text). */
  getTemplate(stackName: string): Promise<string>;
  deleteStack(stackName: string): Promise<void>;
  continueUpdateRollback(stackName: string): Promise<void>;
  setTerminationProtection(stackName: string, enabled: boolean): Promise<void>;
}

export function createSdkStackApi(client: CloudFormationClient): StackApi {
  return {
    async describeStack(stackName) {
      try {
        const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
        const stack = out.Stacks?.[0];
        return stack ? toStackDescription(stack) : undefined;
      } catch (err) {
        if (isStackMissing(err)) return undefined;
        throw err;
      }
    },

    async createChangeSet(input) {
      const out = await client.send(
        new CreateChangeSetCommand({
          StackName: input.stackName,
          ChangeSetName: input.changeSetName,
          ChangeSetType: input.type,
          ...('body' in input.template ? { TemplateBody: input.template.body } : { TemplateURL: input.template.url }),
          Parameters: input.parameters.map((p) =>
            p.usePreviousValue ? { ParameterKey: p.key, UsePreviousValue: true } : { ParameterKey: p.key, ParameterValue: p.value },
          ),
          Capabilities: input.capabilities,
          Description: input.description,
          RoleARN: input.roleArn,
          Tags: input.tags ? Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
          RollbackConfiguration: input.rollbackConfiguration && {
            RollbackTriggers: input.rollbackConfiguration.triggers.map((t) => ({ Arn: t.arn, Type: t.type })),
            MonitoringTimeInMinutes: input.rollbackConfiguration.monitoringMinutes,
          },
        }),
      );
      return { id: out.Id ?? input.changeSetName, stackId: out.StackId ?? input.stackName };
    },

    async describeChangeSet(stackName, changeSetName) {
      const changes: ResourceChange[] = [];
      let token: string | undefined;
      let first: ChangeSetDescription | undefined;
      do {
        const out = await client.send(
          new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName, NextToken: token }),
        );
        first ??= {
          id: out.ChangeSetId ?? changeSetName,
          name: out.ChangeSetName ?? changeSetName,
          stackId: out.StackId ?? stackName,
          status: out.Status ?? 'UNKNOWN',
          statusReason: out.StatusReason,
          executionStatus: out.ExecutionStatus,
          creationTime: out.CreationTime,
          changes,
        };
        for (const change of out.Changes ?? []) {
          const rc = toResourceChange(change);
          if (rc) changes.push(rc);
        }
        token = out.NextToken;
      } while (token);
      return first;
    },

    async executeChangeSet(stackName, changeSetName) {
      await client.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    },

    async deleteChangeSet(stackName, changeSetName) {
      await client.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    },

    async describeEvents(stackName, options = {}) {
      const events: StackEvent[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
        for (const raw of out.StackEvents ?? []) {
          const event = toStackEvent(raw);
          if (event.eventId === options.stopAtEventId) return events;
          if (options.since && event.timestamp < options.since) return events;
          events.push(event);
          if (options.limit !== undefined && events.length >= options.limit) return events;
        }
        token = out.NextToken;
      } while (token);
      return events;
    },

    async listResources(stackName) {
      const resources: StackResourceSummary[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
        for (const r of out.StackResourceSummaries ?? []) {
          resources.push({
            logicalId: r.LogicalResourceId ?? '',
            physicalId: r.PhysicalResourceId,
            resourceType: r.ResourceType ?? '',
            status: r.ResourceStatus ?? '',
          });
        }
        token = out.NextToken;
      } while (token);
      return resources;
    },

    async getTemplate(stackName) {
      const out = await client.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }));
      return out.TemplateBody ?? '';
    },

    async deleteStack(stackName) {
      await client.send(new DeleteStackCommand({ StackName: stackName }));
    },

    async continueUpdateRollback(stackName) {
      await client.send(new ContinueUpdateRollbackCommand({ StackName: stackName }));
    },

    async setTerminationProtection(stackName, enabled) {
      await client.send(new UpdateTerminationProtectionCommand({ StackName: stackName, EnableTerminationProtection: enabled }));
    },
  };
}

function toStackDescription(stack: Stack): StackDescription {
  return {
    stackId: stack.StackId ?? '',
    stackName: stack.StackName ?? '',
    status: stack.StackStatus ?? 'UNKNOWN',
    statusReason: stack.StackStatusReason,
    creationTime: stack.CreationTime,
    lastUpdatedTime: stack.LastUpdatedTime,
    outputs: (stack.Outputs ?? []).map((o) => ({ key: o.OutputKey ?? '', value: o.OutputValue ?? '', description: o.Description })),
    parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
    terminationProtection: stack.EnableTerminationProtection === true,
  };
}

function toStackEvent(e: SdkStackEvent): StackEvent {
  return {
    eventId: e.EventId ?? '',
    stackId: e.StackId,
    stackName: e.StackName ?? '',
    logicalId: e.LogicalResourceId ?? '',
    physicalId: e.PhysicalResourceId,
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    reason: e.ResourceStatusReason,
    timestamp: e.Timestamp ?? new Date(0),
  };
}

function toResourceChange(change: Change): ResourceChange | undefined {
  const rc = change.ResourceChange;
  if (!rc) return undefined;
  return {
    action: rc.Action ?? 'Unknown',
    logicalId: rc.LogicalResourceId ?? '',
    physicalId: rc.PhysicalResourceId,
    resourceType: rc.ResourceType ?? '',
    replacement: rc.Replacement,
  };
}
