/**
 * `cli publish --bucket B`: the original project's one-click deployment. Uploads the prepared
 * template and the artifact to B and prints the console's quick-create link (and a Markdown
 * "Launch Stack" button) that fills in the stack name and the artifact parameters.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-create-stacks-quick-create-links.html
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CliError, UsageError } from '../errors.js';
import { awsErrorName, withAwsFailures } from '../aws/aws-errors.js';
import type { ArtifactStore } from '../aws/artifact-store.js';
import { objectHttpsUrl } from '../aws/s3-url.js';
import type { Artifact } from '../build/artifact.js';
import { prepareTemplate } from '../template/prepare-template.js';
import type { Reporter } from '../ui/reporter.js';
import { uploadIfAbsent } from '../deploy/artifacts.js';
import type { DeployTemplate } from '../deploy/template-source.js';

export interface QuickCreateLink {
  region: string;
  templateUrl: string;
  stackName: string;
  bucket: string;
  artifactKey: string;
}

/**
 * Exactly `https://<region>.console.aws.amazon.com/cloudformation/home?region=<region>#/stacks/quickcreate?templateURL=<url-encoded>&stackName=<name>&param_ArtifactBucket=<B>&param_ArtifactKey=<key>`.
 */
export function quickCreateUrl(link: QuickCreateLink): string {
  const q = (s: string) => encodeURIComponent(s);
  return (
    `https://${link.region}.console.aws.amazon.com/cloudformation/home?region=${link.region}` +
    `#/stacks/quickcreate?templateURL=${q(link.templateUrl)}&stackName=${q(link.stackName)}` +
    `&param_ArtifactBucket=${q(link.bucket)}&param_ArtifactKey=${q(link.artifactKey)}`
  );
}

/** AWS's own "Launch Stack" button image. */
export const LAUNCH_STACK_IMAGE = 'https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png';

export function launchStackMarkdown(url: string): string {
  return `[![Launch Stack](${LAUNCH_STACK_IMAGE})](${url})`;
}

export interface PublishOptions {
  bucket: string;
  stackName: string;
  /** Make both objects publicly readable (canned ACL public-read). */
  public?: boolean;
}

export interface PublishDeps {
  reporter: Reporter;
  aws: { profile?: string; artifacts: ArtifactStore };
  build(): Promise<Artifact>;
  loadTemplate(): Promise<DeployTemplate>;
  readFile?(path: string): Promise<Uint8Array>;
  now?(): number;
}

export interface PublishResult {
  region: string;
  bucket: string;
  templateKey: string;
  templateUrl: string;
  artifactKey: string;
  uploadedBytes: number;
  public: boolean;
  quickCreateUrl: string;
  markdown: string;
}

export async function publish(options: PublishOptions, deps: PublishDeps): Promise<PublishResult> {
  return withAwsFailures({ profile: deps.aws.profile }, () => runPublish(options, deps));
}

async function runPublish(options: PublishOptions, deps: PublishDeps): Promise<PublishResult> {
  const { artifacts } = deps.aws;
  const bucket = { name: options.bucket };
  // The link's region is the bucket's: Lambda reads code only from a bucket in its own region.
  const region = await artifacts.bucketRegion(bucket);
  if (region === undefined) throw new UsageError(`--bucket ${options.bucket}: no such bucket`);
  const artifact = await deps.build();
  const source = await deps.loadTemplate();
  const text = prepareTemplate(source.text).text;
  const templateKey = `template-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.yaml`;
  const now = (deps.now ?? Date.now)();
  const read = deps.readFile ?? ((p: string) => readFile(p));
  let uploadedBytes = 0;
  const put = async (key: string, body: () => Promise<Uint8Array | string>, contentType: string) => {
    if (options.public) {
      const data = await body();
      try {
        await artifacts.put(bucket, key, data, { contentType, publicRead: true });
      } catch (err) {
        if (/AccessControlListNotSupported|AccessDenied/.test(awsErrorName(err))) {
          throw new CliError(`Could not make s3://${options.bucket}/${key} public (${awsErrorName(err)})`, {
            cause: err,
            details: [
              'The bucket has ACLs disabled (Object Ownership: bucket owner enforced) or Block Public Access on.',
              `Allow public reads another way, e.g. a bucket policy granting s3:GetObject on arn:aws:s3:::${options.bucket}/* with Block Public Access off for the bucket, then run publish without --public.`,
            ],
          });
        }
        throw err;
      }
      uploadedBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    } else {
      uploadedBytes += (await uploadIfAbsent({ artifacts, bucket, key, body, contentType, now })).bytes;
    }
  };
  await put(artifact.key, () => read(artifact.zipPath), 'application/zip');
  await put(templateKey, async () => text, 'application/x-yaml');

  const templateUrl = objectHttpsUrl(options.bucket, templateKey, region);
  const url = quickCreateUrl({ region, templateUrl, stackName: options.stackName, bucket: options.bucket, artifactKey: artifact.key });
  return {
    region,
    bucket: options.bucket,
    templateKey,
    templateUrl,
    artifactKey: artifact.key,
    uploadedBytes,
    public: options.public === true,
    quickCreateUrl: url,
    markdown: launchStackMarkdown(url),
  };
}
