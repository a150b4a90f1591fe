/**
 * Where artifacts (the handler zip, large templates) live: an S3 bucket, behind the few calls the
 * CLI makes.
 */
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsErrorName } from './aws-errors.js';

export interface BucketRef {
  name: string;
  /**
   * The account that must own the bucket. Set for the managed bucket so a bucket of the same
   * name in someone else's account is never written to (bucket sniping):
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
   */
  expectedOwner?: string;
}

export interface ObjectInfo {
  size: number;
  lastModified?: Date;
}

export interface PutOptions {
  contentType?: string;
  /** Canned ACL public-read (fails on buckets with ACLs disabled). */
  publicRead?: boolean;
}

export interface ManagedBucketPolicy {
  /** Days after which artifacts expire. */
  expireAfterDays: number;
  /**
   * Deny non-TLS requests. Off only for a plain-http endpoint (an emulator), where the policy
   * would lock the CLI itself out.
   */
  tlsOnly: boolean;
}

export interface ArtifactStore {
  /** The bucket's region, or `undefined` when the bucket does not exist. */
  bucketRegion(bucket: BucketRef): Promise<string | undefined>;
  /** Creates a private, encrypted, TLS-only bucket with an expiry rule. */
  createManagedBucket(bucket: BucketRef, region: string, policy: ManagedBucketPolicy): Promise<void>;
  /** `undefined` when the object does not exist. */
  head(bucket: BucketRef, key: string): Promise<ObjectInfo | undefined>;
  put(bucket: BucketRef, key: string, body: Uint8Array | string, options?: PutOptions): Promise<void>;
  list(bucket: BucketRef, prefix: string): Promise<string[]>;
  deleteObjects(bucket: BucketRef, keys: readonly string[]): Promise<void>;
}

export function createS3ArtifactStore(client: S3Client): ArtifactStore {
  return {
    async bucketRegion(bucket) {
      try {
        const out = await client.send(
          new GetBucketLocationCommand({ Bucket: bucket.name, ExpectedBucketOwner: bucket.expectedOwner }),
        );
        return normalizeLocation(out.LocationConstraint);
      } catch (err) {
        if (awsErrorName(err) === 'NoSuchBucket') return undefined;
        throw err;
      }
    },

    async createManagedBucket(bucket, region, policy) {
      await client.send(
        new CreateBucketCommand({
          Bucket: bucket.name,
          // us-east-1 is the one region that rejects an explicit LocationConstraint.
          CreateBucketConfiguration:
            region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint },
          ObjectOwnership: 'BucketOwnerEnforced',
        }),
      );
      const owner = bucket.expectedOwner;
      await client.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket.name,
          ExpectedBucketOwner: owner,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
      await client.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket.name,
          ExpectedBucketOwner: owner,
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        }),
      );
      if (policy.tlsOnly) {
        await client.send(
          new PutBucketPolicyCommand({ Bucket: bucket.name, ExpectedBucketOwner: owner, Policy: JSON.stringify(tlsOnlyPolicy(bucket.name)) }),
        );
      }
      await client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket.name,
          ExpectedBucketOwner: owner,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: 'expire-old-artifacts',
                Status: 'Enabled',
                Filter: { Prefix: '' },
                Expiration: { Days: policy.expireAfterDays },
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              },
            ],
          },
        }),
      );
    },

    async head(bucket, key) {
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key, ExpectedBucketOwner: bucket.expectedOwner }));
        return { size: out.ContentLength ?? 0, lastModified: out.LastModified };
      } catch (err) {
        const name = awsErrorName(err);
        if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
        throw err;
      }
    },

    async put(bucket, key, body, options = {}) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket.name,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ACL: options.publicRead ? 'public-read' : undefined,
          ExpectedBucketOwner: bucket.expectedOwner,
        }),
      );
    },

    async list(bucket, prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(
          new ListObjectsV2Command({ Bucket: bucket.name, Prefix: prefix, ContinuationToken: token, ExpectedBucketOwner: bucket.expectedOwner }),
        );
        for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },

    async deleteObjects(bucket, keys) {
      // DeleteObjects takes at most 1,000 keys per call.
      for (let i = 0; i < keys.length; i += 1000) {
        await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket.name,
            ExpectedBucketOwner: bucket.expectedOwner,
            Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
          }),
        );
      }
    },
  };
}

/**
 * GetBucketLocation answers null/'' for us-east-1 and the legacy 'EU' for eu-west-1:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 */
export function normalizeLocation(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

/** Deny any request not made over TLS: https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule */
export function tlsOnlyPolicy(bucket: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}
