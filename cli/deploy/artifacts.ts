/**
 * The artifact bucket (the user's `--bucket`, or one managed per account and region, created on
 * first use) and content-addressed uploads: a key that exists already is not uploaded again, so
 * an unchanged handler costs one HeadObject and 0 bytes.
 */
import { CliError, UsageError } from '../errors.js';
import { awsErrorName } from '../aws/aws-errors.js';
import type { ArtifactStore, BucketRef } from '../aws/artifact-store.js';

/** Artifacts older than this expire (lifecycle rule on the managed bucket). */
export const ARTIFACT_EXPIRY_DAYS = 90;
/**
 * An artifact older than this is uploaded again on deploy, which restarts its expiry clock: the
 * running code's zip must outlive any update that may need to roll back to it.
 */
export const REFRESH_AFTER_DAYS = 60;

export function managedBucketName(account: string, region: string): string {
  return `serverless-api-artifacts-${account}-${region}`;
}

/** `<stack>/handler-<hash>.zip`: the content hash from the build, under the stack's own prefix. */
export function artifactObjectKey(stackName: string, fileKey: string): string {
  return `${stackName}/${fileKey}`;
}

export interface ArtifactBucket {
  ref: BucketRef;
  managed: boolean;
  /** The managed bucket does not exist yet. */
  missing: boolean;
}

/**
 * Finds the bucket and checks it is in the stack's region (Lambda reads code only from its own
 * region): read-only, done before anything changes.
 */
export async function resolveArtifactBucket(options: {
  artifacts: ArtifactStore;
  region: string;
  account: string;
  bucket?: string;
}): Promise<ArtifactBucket> {
  const managed = options.bucket === undefined;
  const ref: BucketRef = managed
    ? { name: managedBucketName(options.account, options.region), expectedOwner: options.account }
    : { name: options.bucket! };
  let bucketRegion: string | undefined;
  try {
    bucketRegion = await options.artifacts.bucketRegion(ref);
  } catch (err) {
    if (managed && /AccessDenied|Forbidden/.test(awsErrorName(err))) {
      throw new CliError(`The artifact bucket name ${ref.name} belongs to another AWS account`, {
        cause: err,
        details: ['Pass --bucket <a bucket of yours in this region> (or set "bucket" in cli.config.json).'],
      });
    }
    throw err;
  }
  if (bucketRegion === undefined) {
    if (!managed) throw new UsageError(`--bucket ${ref.name}: no such bucket`, { details: ['Create it in this region first, or leave out --bucket to use the managed one.'] });
    return { ref, managed, missing: true };
  }
  if (bucketRegion !== options.region) {
    throw new CliError(`Refusing to deploy: artifact bucket ${ref.name} is in ${bucketRegion}, but the stack deploys to ${options.region}`, {
      details: [
        'Lambda reads its code only from a bucket in its own region.',
        `Deploy to ${bucketRegion} (--region ${bucketRegion}), or use a bucket in ${options.region} (--bucket), or leave out --bucket to use the managed one.`,
      ],
    });
  }
  return { ref, managed, missing: false };
}

export interface UploadResult {
  key: string;
  uploaded: boolean;
  bytes: number;
}

export async function uploadIfAbsent(options: {
  artifacts: ArtifactStore;
  bucket: BucketRef;
  key: string;
  body: () => Promise<Uint8Array | string>;
  contentType: string;
  now: number;
}): Promise<UploadResult> {
  const existing = await options.artifacts.head(options.bucket, options.key);
  const stale = existing?.lastModified !== undefined && options.now - existing.lastModified.getTime() > REFRESH_AFTER_DAYS * 86_400_000;
  if (existing && !stale) return { key: options.key, uploaded: false, bytes: 0 };
  const body = await options.body();
  await options.artifacts.put(options.bucket, options.key, body, { contentType: options.contentType });
  return { key: options.key, uploaded: true, bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength };
}
