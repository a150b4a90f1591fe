/**
 * CloudFormation drift detection, in its own vocabulary: start a detection, read its status, read
 * each resource's drift. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html
 * moto 5.2.5 does not implement these operations; tests drive `cli drift` with a scripted fake
 * of this interface (test/support/scripted-drift.ts).
 */
import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';

export interface DriftDetection {
  /** DETECTION_IN_PROGRESS | DETECTION_COMPLETE | DETECTION_FAILED */
  status: string;
  statusReason?: string;
  /** DRIFTED | IN_SYNC | UNKNOWN | NOT_CHECKED */
  stackDriftStatus?: string;
  driftedResources?: number;
}

export interface PropertyDifference {
  /** JSON pointer-like path, e.g. `/MemorySize` or `/Tags/0/Value`. */
  path: string;
  expected?: string;
  actual?: string;
  /** ADD | REMOVE | NOT_EQUAL */
  kind: string;
}

export interface ResourceDrift {
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  /** IN_SYNC | MODIFIED | DELETED | NOT_CHECKED | UNKNOWN */
  status: string;
  differences: PropertyDifference[];
}

export interface DriftApi {
  /** DetectStackDrift: the detection id. */
  detect(stackName: string): Promise<string>;
  status(detectionId: string): Promise<DriftDetection>;
  /** Every resource's drift (all statuses), paged. */
  resourceDrifts(stackName: string): Promise<ResourceDrift[]>;
}

export function createSdkDriftApi(client: CloudFormationClient): DriftApi {
  return {
    async detect(stackName) {
      const out = await client.send(new DetectStackDriftCommand({ StackName: stackName }));
      return out.StackDriftDetectionId ?? '';
    },
    async status(detectionId) {
      const out = await client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }));
      return {
        status: out.DetectionStatus ?? 'UNKNOWN',
        statusReason: out.DetectionStatusReason,
        stackDriftStatus: out.StackDriftStatus,
        driftedResources: out.DriftedStackResourceCount,
      };
    },
    async resourceDrifts(stackName) {
      const drifts: ResourceDrift[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(new DescribeStackResourceDriftsCommand({ StackName: stackName, NextToken: token }));
        for (const d of out.StackResourceDrifts ?? []) {
          drifts.push({
            logicalId: d.LogicalResourceId ?? '',
            physicalId: d.PhysicalResourceId,
            resourceType: d.ResourceType ?? '',
            status: d.StackResourceDriftStatus ?? 'UNKNOWN',
            differences: (d.PropertyDifferences ?? []).map((p) => ({ path: p.PropertyPath ?? '', expected: p.ExpectedValue, actual: p.ActualValue, kind: p.DifferenceType ?? 'NOT_EQUAL' })),
          });
        }
        token = out.NextToken;
      } while (token);
      return drifts;
    },
  };
}
