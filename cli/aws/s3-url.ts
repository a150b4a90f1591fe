/**
 * S3 object URLs, apart from the S3 client so that code which only formats a URL (publish links,
 * TemplateURL) does not load the SDK.
 */
/** Virtual-hosted-style HTTPS URL, the form CloudFormation's TemplateURL and the console accept. */
export function objectHttpsUrl(bucket: string, key: string, region: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
}
