/** `cli publish`: upload template + artifact to a bucket and print the console quick-create link. */
import { Command } from 'commander';
import { buildArtifact } from '../build/artifact.js';
import { publish, type PublishResult } from '../stack/publish.js';
import { loadDeployTemplate } from '../deploy/template-source.js';
import type { ProgramDeps } from './deps.js';
import { withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface PublishFlags extends StackCommandOptions {
  bucket: string;
  public: boolean;
}

export async function publishFromFlags(flags: PublishFlags, deps: ProgramDeps): Promise<PublishResult> {
  return withStack(flags, deps, async ({ target, aws }) => {
    const result = await publish(
      { bucket: flags.bucket, stackName: target.stackName, public: flags.public },
      { reporter: deps.reporter, aws, build: () => buildArtifact({ root: deps.root }), loadTemplate: () => loadDeployTemplate(deps.root) },
    );
    const { reporter } = deps;
    if (flags.json) {
      reporter.result(JSON.stringify(result, null, 2));
      return result;
    }
    reporter.info(`Uploaded s3://${result.bucket}/${result.artifactKey} and s3://${result.bucket}/${result.templateKey} (${result.uploadedBytes} bytes this time)`);
    reporter.info(`Quick-create link (region ${result.region}, the bucket's region):`);
    reporter.result(result.quickCreateUrl);
    reporter.info('Markdown "Launch Stack" button for a README:');
    reporter.result(result.markdown);
    reporter.info(
      result.public
        ? 'Both objects are public-read: anyone with the link can launch the stack.'
        : 'Whoever opens the link needs read access to both objects (s3:GetObject on the bucket); run with --public to make them public-read.',
    );
    return result;
  });
}

export function publishCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('publish')
      .description("Upload the template and the artifact to a bucket and print the CloudFormation console's quick-create link.")
      .requiredOption('--bucket <bucket>', "bucket to publish to (the link's region is the bucket's)")
      .option('--public', 'make both objects publicly readable (canned ACL public-read)', false),
  )
    .addHelpText('after', `
The link opens the console's "Quick create stack" page with the template, the stack name and
ArtifactBucket/ArtifactKey filled in: the one-click deployment of the original project.

Examples:
  $ npx cli publish --bucket my-public-artifacts --public
  $ npx cli publish --bucket team-artifacts --stack-name items-demo`)
    .action(async (flags: PublishFlags) => {
      await publishFromFlags(flags, deps);
    });
}
