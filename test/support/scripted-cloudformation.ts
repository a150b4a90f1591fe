/**
 * A small scripted fake of CloudFormation behind the StackApi interface, for the failure paths
 * no emulator produces (moto runs every operation synchronously and always succeeds).
 *
 * What it models:
 * - stacks by name and id; DescribeStacks of a missing stack is `undefined` (as the SDK layer
 *   maps "does not exist"); deleted stacks stay readable by id;
 * - change sets: CREATE puts a new stack in REVIEW_IN_PROGRESS; DescribeChangeSet answers
 *   CREATE_IN_PROGRESS once, then CREATE_COMPLETE (or FAILED "didn't contain changes" when the
 *   scripted change list is empty); ExecuteChangeSet starts the operation;
 * - operations run asynchronously: their events are released two per DescribeStackEvents call,
 *   newest first, each with a server timestamp one second after the previous;
 * - scripted outcomes per execution: success, or a resource failure followed by
 *   ROLLBACK_COMPLETE (create), UPDATE_ROLLBACK_COMPLETE or UPDATE_ROLLBACK_FAILED (update),
 *   with CloudFormation's knock-on "Resource creation cancelled" failures; optionally the table
 *   is created first and kept by its DeletionPolicy Retain during the rollback (DELETE_SKIPPED,
 *   physical id = the table name), as CloudFormation does;
 * - DeleteStack / ContinueUpdateRollback as operations with their own events;
 * - injected errors: the next N calls of a method throw a given error (throttling, expired
 *   credentials), as the SDK surfaces them after its own retries.
 */
import type {
  ChangeSetDescription,
  CreateChangeSetInput,
  DescribeEventsOptions,
  ResourceChange,
  StackApi,
  StackDescription,
  StackEvent,
  StackOutput,
  StackResourceSummary,
} from '../../cli/aws/stack-api.js';

export type Outcome =
  | { kind: 'success' }
  | {
      kind: 'fail';
      logicalId: string;
      resourceType: string;
      reason: string;
      final: 'ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_FAILED';
      /** The table (this physical name) completes before the failure and is retained by the rollback. */
      retainedTable?: string;
    };

interface FakeStack {
  id: string;
  name: string;
  status: string;
  events: StackEvent[];
  pending: StackEvent[];
  pendingStatus?: string;
  outputs: StackOutput[];
  parameters: Record<string, string>;
  resources: StackResourceSummary[];
  terminationProtection: boolean;
  template: string;
  deleted: boolean;
}

interface FakeChangeSet {
  input: CreateChangeSetInput;
  stackId: string;
  describes: number;
  changes: ResourceChange[];
  createdAt: Date;
}

export class ScriptedCloudFormation implements StackApi {
  readonly calls: string[] = [];
  readonly stacks = new Map<string, FakeStack>();
  readonly changeSets = new Map<string, FakeChangeSet>();
  /** What the next ExecuteChangeSet does. */
  nextOutcome: Outcome = { kind: 'success' };
  /** The resource changes the next change set reports ([] = "no changes"). */
  nextChanges: ResourceChange[] = [{ action: 'Add', logicalId: 'Function', resourceType: 'AWS::Lambda::Function' }];
  /** Outputs a successful operation leaves. */
  outputs: StackOutput[] = [{ key: 'ApiEndpoint', value: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod' }];
  private readonly errors = new Map<string, unknown[]>();
  private clock = Date.parse('2030-01-01T00:00:00Z');
  private ids = 0;

  /** The next `count` calls of `method` throw `error`. */
  failNext(method: keyof StackApi, error: unknown, count = 1): void {
    this.errors.set(method, [...(this.errors.get(method) ?? []), ...Array(count).fill(error)]);
  }

  /** A stack that already exists in `status` (with resources unless said otherwise). */
  seedStack(name: string, status: string, options: { resources?: StackResourceSummary[]; events?: Omit<StackEvent, 'eventId' | 'stackName' | 'timestamp'>[] } = {}): FakeStack {
    const stack = this.newStack(name);
    stack.status = status;
    stack.resources = options.resources ?? [{ logicalId: 'Function', physicalId: 'fn', resourceType: 'AWS::Lambda::Function', status: 'CREATE_COMPLETE' }];
    stack.outputs = this.outputs;
    for (const e of options.events ?? []) stack.events.push(this.event(stack, e.logicalId, e.resourceType, e.status, e.reason));
    return stack;
  }

  async describeStack(stackName: string): Promise<StackDescription | undefined> {
    this.enter('describeStack');
    const stack = this.find(stackName);
    if (!stack || (stack.deleted && stack.id !== stackName)) return undefined;
    return {
      stackId: stack.id,
      stackName: stack.name,
      status: stack.status,
      outputs: stack.outputs,
      parameters: stack.parameters,
      terminationProtection: stack.terminationProtection,
    };
  }

  async createChangeSet(input: CreateChangeSetInput): Promise<{ id: string; stackId: string }> {
    this.enter('createChangeSet');
    let stack = this.find(input.stackName);
    if (input.type === 'CREATE') {
      if (stack && !stack.deleted) throw awsError('AlreadyExistsException', `Stack [${input.stackName}] already exists`);
      stack = this.newStack(input.stackName);
      stack.status = 'REVIEW_IN_PROGRESS';
      stack.events.push(this.event(stack, stack.name, 'AWS::CloudFormation::Stack', 'REVIEW_IN_PROGRESS', 'User Initiated'));
    } else if (!stack || stack.deleted) {
      throw awsError('ValidationError', `Stack [${input.stackName}] does not exist`);
    }
    this.tick();
    this.changeSets.set(input.changeSetName, { input, stackId: stack.id, describes: 0, changes: this.nextChanges, createdAt: new Date(this.clock) });
    return { id: `arn:cs/${input.changeSetName}`, stackId: stack.id };
  }

  async describeChangeSet(_stackName: string, changeSetName: string): Promise<ChangeSetDescription> {
    this.enter('describeChangeSet');
    const cs = this.changeSets.get(changeSetName);
    if (!cs) throw awsError('ChangeSetNotFoundException', `ChangeSet [${changeSetName}] does not exist`);
    cs.describes++;
    const computed = cs.describes > 1;
    const empty = cs.changes.length === 0;
    return {
      id: `arn:cs/${changeSetName}`,
      name: changeSetName,
      stackId: cs.stackId,
      status: !computed ? 'CREATE_IN_PROGRESS' : empty ? 'FAILED' : 'CREATE_COMPLETE',
      statusReason: computed && empty ? "The submitted information didn't contain changes. Submit different information to create a change set." : undefined,
      executionStatus: computed && !empty ? 'AVAILABLE' : 'UNAVAILABLE',
      creationTime: cs.createdAt,
      changes: computed ? cs.changes : [],
    };
  }

  async executeChangeSet(_stackName: string, changeSetName: string): Promise<void> {
    this.enter('executeChangeSet');
    const cs = this.changeSets.get(changeSetName);
    if (!cs) throw awsError('ChangeSetNotFoundException', `ChangeSet [${changeSetName}] does not exist`);
    this.changeSets.delete(changeSetName);
    const stack = this.find(cs.stackId)!;
    const op = cs.input.type;
    const outcome = this.nextOutcome;
    const stackType = 'AWS::CloudFormation::Stack';
    this.begin(stack, `${op}_IN_PROGRESS`, 'User Initiated');
    const pending = stack.pending;
    const ev = (logicalId: string, type: string, status: string, reason?: string, physicalId?: string) =>
      pending.push(this.event(stack, logicalId, type, status, reason, physicalId));
    ev('Table', 'AWS::DynamoDB::Table', `${op}_IN_PROGRESS`);
    ev('Role', 'AWS::IAM::Role', `${op}_IN_PROGRESS`);
    if (outcome.kind === 'success') {
      ev('Table', 'AWS::DynamoDB::Table', `${op}_COMPLETE`);
      ev('Role', 'AWS::IAM::Role', `${op}_COMPLETE`);
      ev(stack.name, stackType, `${op}_COMPLETE`);
      stack.pendingStatus = `${op}_COMPLETE`;
      stack.outputs = this.outputs;
      stack.parameters = Object.fromEntries(cs.input.parameters.map((p) => [p.key, p.value ?? stack.parameters[p.key] ?? '']));
      stack.resources = [{ logicalId: 'Table', physicalId: 'lambda-apigateway', resourceType: 'AWS::DynamoDB::Table', status: `${op}_COMPLETE` }];
    } else {
      if (outcome.retainedTable) ev('Table', 'AWS::DynamoDB::Table', `${op}_COMPLETE`, undefined, outcome.retainedTable);
      ev(outcome.logicalId, outcome.resourceType, `${op}_FAILED`, outcome.reason, outcome.logicalId === 'Table' ? '' : undefined);
      const cancelTable = !outcome.retainedTable && outcome.logicalId !== 'Table';
      if (cancelTable) ev('Table', 'AWS::DynamoDB::Table', `${op}_FAILED`, `Resource ${op === 'CREATE' ? 'creation' : 'update'} cancelled`);
      const rollback = op === 'CREATE' ? 'ROLLBACK' : 'UPDATE_ROLLBACK';
      ev(stack.name, stackType, `${rollback}_IN_PROGRESS`, `The following resource(s) failed to ${op.toLowerCase()}: [${outcome.logicalId}${cancelTable ? ', Table' : ''}].`);
      if (outcome.retainedTable) ev('Table', 'AWS::DynamoDB::Table', 'DELETE_SKIPPED', undefined, outcome.retainedTable);
      if (outcome.final === 'UPDATE_ROLLBACK_FAILED') ev('Role', 'AWS::IAM::Role', 'UPDATE_FAILED', 'Role was modified outside CloudFormation');
      ev(stack.name, stackType, outcome.final, outcome.final === 'UPDATE_ROLLBACK_FAILED' ? 'The following resource(s) failed to update: [Role].' : undefined);
      stack.pendingStatus = outcome.final;
      if (op === 'CREATE') stack.resources = [];
    }
  }

  async deleteChangeSet(_stackName: string, changeSetName: string): Promise<void> {
    this.enter('deleteChangeSet');
    if (!this.changeSets.delete(changeSetName)) throw awsError('ChangeSetNotFoundException', `ChangeSet [${changeSetName}] does not exist`);
  }

  async describeEvents(stackName: string, options: DescribeEventsOptions = {}): Promise<StackEvent[]> {
    this.enter('describeEvents');
    const stack = this.find(stackName);
    if (!stack) throw awsError('ValidationError', `Stack [${stackName}] does not exist`);
    // Two more events of the running operation become visible per call.
    for (const e of stack.pending.splice(0, 2)) stack.events.push(e);
    if (stack.pending.length === 0 && stack.pendingStatus) {
      stack.status = stack.pendingStatus;
      if (stack.status === 'DELETE_COMPLETE') stack.deleted = true;
      stack.pendingStatus = undefined;
    }
    const out: StackEvent[] = [];
    for (const e of [...stack.events].reverse()) {
      if (e.eventId === options.stopAtEventId) break;
      if (options.since && e.timestamp < options.since) break;
      out.push(e);
      if (options.limit !== undefined && out.length >= options.limit) break;
    }
    return out;
  }

  async listResources(stackName: string): Promise<StackResourceSummary[]> {
    this.enter('listResources');
    return this.find(stackName)?.resources ?? [];
  }

  async getTemplate(stackName: string): Promise<string> {
    this.enter('getTemplate');
    return this.find(stackName)?.template ?? '';
  }

  async deleteStack(stackName: string): Promise<void> {
    this.enter('deleteStack');
    const stack = this.find(stackName);
    if (!stack || stack.deleted) return;
    if (stack.status === 'REVIEW_IN_PROGRESS' && stack.events.length <= 1) {
      // A stack that never ran an operation goes at once (with its change sets), without events.
      stack.status = 'DELETE_COMPLETE';
      stack.deleted = true;
      for (const [name, cs] of this.changeSets) if (cs.stackId === stack.id) this.changeSets.delete(name);
      return;
    }
    this.begin(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    for (const r of stack.resources) stack.pending.push(this.event(stack, r.logicalId, r.resourceType, 'DELETE_COMPLETE'));
    stack.pending.push(this.event(stack, stack.name, 'AWS::CloudFormation::Stack', 'DELETE_COMPLETE'));
    stack.pendingStatus = 'DELETE_COMPLETE';
  }

  async continueUpdateRollback(stackName: string): Promise<void> {
    this.enter('continueUpdateRollback');
    const stack = this.find(stackName)!;
    if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw awsError('ValidationError', `Stack is in ${stack.status} state and can not continue rollback`);
    this.begin(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated');
    stack.pending.push(this.event(stack, 'Role', 'AWS::IAM::Role', 'UPDATE_COMPLETE'));
    stack.pending.push(this.event(stack, stack.name, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE'));
    stack.pendingStatus = 'UPDATE_ROLLBACK_COMPLETE';
  }

  async setTerminationProtection(stackName: string, enabled: boolean): Promise<void> {
    this.enter('setTerminationProtection');
    this.find(stackName)!.terminationProtection = enabled;
  }

  private enter(method: string): void {
    this.calls.push(method);
    const queue = this.errors.get(method);
    if (queue && queue.length > 0) throw queue.shift();
  }

  private find(nameOrId: string): FakeStack | undefined {
    const byId = this.stacks.get(nameOrId);
    if (byId) return byId;
    const live = [...this.stacks.values()].filter((s) => s.name === nameOrId);
    return live.find((s) => !s.deleted) ?? live.at(-1);
  }

  private newStack(name: string): FakeStack {
    const id = `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/${++this.ids}`;
    const stack: FakeStack = {
      id,
      name,
      status: 'CREATE_PENDING',
      events: [],
      pending: [],
      outputs: [],
      parameters: {},
      resources: [],
      terminationProtection: false,
      template: 'Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n',
      deleted: false,
    };
    this.stacks.set(id, stack);
    return stack;
  }

  private begin(stack: FakeStack, status: string, reason: string): void {
    stack.status = status;
    stack.pending.push(this.event(stack, stack.name, 'AWS::CloudFormation::Stack', status, reason));
  }

  private tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  private event(stack: FakeStack, logicalId: string, resourceType: string, status: string, reason?: string, physicalId?: string): StackEvent {
    return {
      eventId: `ev-${++this.ids}`,
      stackId: stack.id,
      stackName: stack.name,
      logicalId,
      physicalId: physicalId ?? (logicalId === stack.name ? stack.id : `${logicalId}-physical`),
      resourceType,
      status,
      reason,
      timestamp: new Date(this.tick()),
    };
  }
}

/** An error shaped as the SDK throws it (name + message + metadata). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}
