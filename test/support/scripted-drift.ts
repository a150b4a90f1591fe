/**
 * A scripted fake of CloudFormation's drift detection behind the DriftApi interface: moto 5.2.5
 * does not implement DetectStackDrift, DescribeStackDriftDetectionStatus or
 * DescribeStackResourceDrifts (it answers with an HTML error page).
 *
 * What it models (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/detect-drift-stack.html,
 * and the API reference's DescribeStackResourceDrifts example):
 * - DetectStackDrift returns a detection id; the detection is DETECTION_IN_PROGRESS for the first
 *   `inProgressPolls` status calls, then the scripted end (DETECTION_COMPLETE, or
 *   DETECTION_FAILED with a reason when some resource could not be checked);
 * - StackDriftStatus is DRIFTED when any resource is MODIFIED or DELETED, else IN_SYNC, with
 *   DriftedStackResourceCount;
 * - DescribeStackResourceDrifts lists the scripted resources with their property differences
 *   (ExpectedValue/ActualValue as JSON text, DifferenceType ADD | REMOVE | NOT_EQUAL).
 */
import type { DriftApi, DriftDetection, ResourceDrift } from '../../cli/aws/drift-api.js';

export class ScriptedDrift implements DriftApi {
  readonly calls: string[] = [];
  inProgressPolls = 1;
  failure: string | undefined;

  constructor(readonly resources: ResourceDrift[]) {}

  async detect(stackName: string): Promise<string> {
    this.calls.push(`DetectStackDrift ${stackName}`);
    return 'detection-1';
  }

  async status(detectionId: string): Promise<DriftDetection> {
    this.calls.push(`DescribeStackDriftDetectionStatus ${detectionId}`);
    if (this.calls.filter((c) => c.startsWith('DescribeStackDriftDetectionStatus')).length <= this.inProgressPolls) return { status: 'DETECTION_IN_PROGRESS' };
    const drifted = this.resources.filter((r) => r.status === 'MODIFIED' || r.status === 'DELETED').length;
    return {
      status: this.failure ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE',
      statusReason: this.failure,
      stackDriftStatus: drifted > 0 ? 'DRIFTED' : 'IN_SYNC',
      driftedResources: drifted,
    };
  }

  async resourceDrifts(stackName: string): Promise<ResourceDrift[]> {
    this.calls.push(`DescribeStackResourceDrifts ${stackName}`);
    return this.resources;
  }
}
