/**
 * Region names, checked before any AWS call: a malformed one (`''`, `mars-1`) is refused, a
 * well-formed one the SDK's partition table does not list (a typo such as `eu-wset-1`, or a
 * region newer than this CLI's SDK) is a warning, and opt-in regions (`ap-east-1`, `me-south-1`)
 * are listed there like any other.
 * https://docs.aws.amazon.com/general/latest/gr/rande.html#regional-endpoints
 */

/** `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-isoe-west-1`: the shape of every partition's regionRegex. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** What is wrong with the shape of a region name (`is empty`, `"mars-1" is not an AWS region name`), or undefined. */
export function regionNameProblem(region: string): string | undefined {
  if (REGION_NAME.test(region)) return undefined;
  return region === '' ? 'is empty' : `"${region}" is not an AWS region name`;
}

/** The region as the SDK's partition table (@aws-sdk/core) describes it; undefined if it is not listed. */
export async function regionDescription(region: string): Promise<string | undefined> {
  // Loaded on demand, with the SDK clients (cli/commands/stack-options.ts).
  const { partition } = await import('@aws-sdk/core/client');
  return (partition(region) as { description?: string }).description;
}
