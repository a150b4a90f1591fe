/**
 * The template as deploy sends it: the text, where CloudFormation reads it from (inline or via
 * S3), and what that text requires (IAM capabilities), plus which resources hold data.
 */
import type { Capability } from '@aws-sdk/client-cloudformation';
import { createHash } from 'node:crypto';
import type { ArtifactStore, BucketRef } from '../aws/artifact-store.js';
import { objectHttpsUrl } from '../aws/s3-url.js';
import type { TemplateSource } from '../aws/stack-api.js';
import { uploadIfAbsent } from './artifacts.js';
import type { CfnTemplate } from '../template/cfn-template.js';
import { readTemplate } from '../template/read-template.js';

/**
 * CreateChangeSet's TemplateBody limit in bytes; larger templates must come from S3 (TemplateURL,
 * up to 1 MB): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const TEMPLATE_BODY_LIMIT = 51_200;

export interface DeployTemplate {
  /** Exactly what is sent to CloudFormation. */
  text: string;
  template: CfnTemplate;
}

/** IAM properties that give a resource a custom name, which needs CAPABILITY_NAMED_IAM. */
const NAMED_IAM: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
};

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html (Capabilities) */
export function requiredCapabilities(template: CfnTemplate): Capability[] {
  const resources = Object.values(template.Resources ?? {});
  const iam = resources.filter((r) => r.Type.startsWith('AWS::IAM::'));
  if (iam.length === 0) return [];
  const named = iam.some((r) => NAMED_IAM[r.Type] !== undefined && r.Properties?.[NAMED_IAM[r.Type]!] !== undefined);
  return named ? ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] : ['CAPABILITY_IAM'];
}

/** Resource types whose replacement or removal loses data. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem',
]);

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export interface TemplatePlacement {
  source: TemplateSource;
  bytes: number;
  /** The S3 object the template went to; undefined when it is sent inline. */
  key?: string;
}

/**
 * Inline up to TEMPLATE_BODY_LIMIT; a larger template goes to the artifact bucket under a
 * content-addressed key (`<stack>/template-<hash>.yaml`, uploaded only when new) and is passed
 * by its URL.
 */
export async function placeTemplate(options: {
  artifacts: ArtifactStore;
  bucket: BucketRef;
  region: string;
  stackName: string;
  text: string;
  now: number;
}): Promise<TemplatePlacement> {
  const { text } = options;
  const bytes = byteLength(text);
  if (bytes <= TEMPLATE_BODY_LIMIT) return { source: { body: text }, bytes };
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const key = `${options.stackName}/template-${hash}.yaml`;
  await uploadIfAbsent({
    artifacts: options.artifacts,
    bucket: options.bucket,
    key,
    body: async () => text,
    contentType: 'application/x-yaml',
    now: options.now,
  });
  return { source: { url: objectHttpsUrl(options.bucket.name, key, options.region) }, bytes, key };
}

/** Reads and parses infra/cfn/template.yaml (deploy prepares it once the parameters are known). */
export async function loadDeployTemplate(root: string): Promise<DeployTemplate> {
  const parsed = await readTemplate(root);
  return { text: parsed.text, template: parsed.template };
}

/** The template's Outputs keys in source order (display order); [] when it cannot be read. */
export async function templateOutputOrder(root: string): Promise<string[]> {
  try {
    return Object.keys((await loadDeployTemplate(root)).template.Outputs ?? {});
  } catch {
    return [];
  }
}
