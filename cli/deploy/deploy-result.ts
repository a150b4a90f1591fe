/**
 * What `cli deploy` returns (and prints with --json). "Nothing to do" is a result, not an error.
 */
import type { ChangeSetDescription, StackDescription, StackOutput } from '../aws/stack-api.js';
import { orderOutputs, outputsRecord } from '../stack/outputs.js';

/** `no-changes`: the stack already runs this template, code and parameters. `not-executed`: --no-execute. */
export type DeployStatus = 'deployed' | 'no-changes' | 'not-executed';

export interface DeployResult {
  status: DeployStatus;
  stackName: string;
  stackId?: string;
  stackStatus?: string;
  account: string;
  region: string;
  changeSet?: { name: string; type: 'CREATE' | 'UPDATE'; changes: ChangeSetDescription['changes'] };
  artifact: { bucket: string; key: string; uploaded: boolean; bytes: number };
  template: { inline: boolean; bytes: number };
  dataLossRisks: { logicalId: string; resourceType: string; kind: string }[];
  /** The function ran other code than the stack's (an earlier hotswap) and was put back in line. */
  reconciled?: { functionName: string; alias?: { name: string; version: string } };
  outputs: Record<string, string>;
  /** Outputs ordered for display (endpoint first). */
  orderedOutputs: StackOutput[];
}

/** The result with the stack's Outputs, ordered as the template lists them (`templateOrder`). */
export function deployResult(
  partial: Omit<DeployResult, 'outputs' | 'orderedOutputs'>,
  stack: StackDescription | undefined,
  templateOrder: readonly string[],
): DeployResult {
  const ordered = orderOutputs(stack?.outputs ?? [], templateOrder);
  return { ...partial, outputs: outputsRecord(ordered), orderedOutputs: ordered };
}
