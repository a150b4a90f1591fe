/**
 * `cli diff`: the local template, prepared and with its parameters resolved as `cli deploy`
 * would (cli/deploy/local-template.ts, the artifact key of a fresh build), against the deployed
 * one (GetTemplate + the stack's parameters). Read-only: nothing is uploaded or changed.
 */
import { withAwsFailures } from '../aws/aws-errors.js';
import type { AwsClients } from '../aws/clients.js';
import type { Artifact } from '../build/artifact.js';
import { artifactObjectKey, managedBucketName } from '../deploy/artifacts.js';
import { localTemplate } from '../deploy/local-template.js';
import type { ParameterInputs } from '../deploy/parameters.js';
import type { DeployTemplate } from '../deploy/template-source.js';
import { parseTemplate } from '../template/read-template.js';
import { diffTemplates, isEmptyDiff, type TemplateDiff } from './template-diff.js';

export interface StackDiffOptions extends ParameterInputs {
  stackName: string;
  bucket?: string;
}

export interface StackDiffDeps {
  aws: Pick<AwsClients, 'region' | 'profile' | 'stacks' | 'identity'>;
  build(): Promise<Artifact>;
  loadTemplate(): Promise<DeployTemplate>;
}

export interface StackDiffResult {
  stackName: string;
  /** false: no stack yet; the diff is against an empty template (everything is added). */
  deployed: boolean;
  stackStatus?: string;
  empty: boolean;
  diff: TemplateDiff;
}

export async function stackDiff(options: StackDiffOptions, deps: StackDiffDeps): Promise<StackDiffResult> {
  return withAwsFailures({ profile: deps.aws.profile, region: deps.aws.region }, async () => {
    const { stacks } = deps.aws;
    const template = await deps.loadTemplate();
    const stack = await stacks.describeStack(options.stackName);
    const artifact = await deps.build();
    // The bucket deploy would use: --bucket, else the stack's, else the managed one.
    const bucket = options.bucket ?? stack?.parameters.ArtifactBucket ?? managedBucketName((await deps.aws.identity.whoAmI()).account, deps.aws.region);
    const local = localTemplate(template, options, { bucket, key: artifactObjectKey(options.stackName, artifact.key) }, stack?.parameters);
    const deployed = stack ? { template: parseTemplate(await stacks.getTemplate(stack.stackId)), parameters: stack.parameters } : { template: { Resources: {} }, parameters: {} };
    const diff = diffTemplates(deployed, { template: parseTemplate(local.text), parameters: local.values });
    return { stackName: options.stackName, deployed: stack !== undefined, stackStatus: stack?.status, empty: isEmptyDiff(diff), diff };
  });
}
