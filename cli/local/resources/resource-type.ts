/**
 * One entry per CloudFormation resource type the local stack knows: what `Ref` and `Fn::GetAtt`
 * of it return and, for the types the emulator serves, how it reads one resource into the stack
 * model. The entries live in the file of their service (lambda.ts, dynamodb.ts, api-gateway.ts,
 * iam.ts, logs.ts), each listed in its service's `*_TYPES`, gathered in registry.ts; a new
 * service's reader is called from buildStackModel (cli/local/stack-model.ts).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html
 */
import type { TemplateResolver } from '../intrinsics.js';

/** A value made from a resource of the template; `resolver` resolves its properties. */
export type ResourceValue = (logicalId: string, resolver: TemplateResolver) => string;

export interface ResourceType {
  /** `AWS::Service::Thing` */
  readonly type: string;
  /** What `Ref` returns: the physical id CloudFormation would give it. */
  readonly physicalId: ResourceValue;
  /** What `Fn::GetAtt` returns, by attribute name; the ones not listed are refused. */
  readonly attributes: Readonly<Record<string, ResourceValue>>;
  /**
   * How the emulator reads one resource of this type into the stack model, for the types it
   * serves; each takes what it needs (the API's routes need its functions). Declare an entry with
   * `satisfies ResourceType` so its callers see the reader's own signature.
   */
  readonly read?: (logicalId: string, resolver: TemplateResolver, ...context: never[]) => unknown;
}
