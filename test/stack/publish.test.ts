import { expect } from 'chai';
import { launchStackMarkdown, quickCreateUrl } from '../../cli/stack/publish.js';

describe('cli/stack/publish', () => {
  describe('quickCreateUrl', () => {
    it('builds the console quick-create link with the template URL encoded', () => {
      const url = quickCreateUrl({
        region: 'eu-west-1',
        templateUrl: 'https://my-bucket.s3.eu-west-1.amazonaws.com/template-0123456789ab.yaml',
        stackName: 'items-demo',
        bucket: 'my-bucket',
        artifactKey: 'handler-abcdef012345.zip',
      });
      expect(url).to.equal(
        'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/quickcreate' +
          '?templateURL=https%3A%2F%2Fmy-bucket.s3.eu-west-1.amazonaws.com%2Ftemplate-0123456789ab.yaml' +
          '&stackName=items-demo&param_ArtifactBucket=my-bucket&param_ArtifactKey=handler-abcdef012345.zip',
      );
    });

    it('encodes characters that would break the query (a key with a slash)', () => {
      const url = quickCreateUrl({ region: 'us-east-1', templateUrl: 'https://b.s3.us-east-1.amazonaws.com/a b/t.yaml', stackName: 's', bucket: 'b', artifactKey: 'p/handler-1.zip' });
      expect(url).to.include('templateURL=https%3A%2F%2Fb.s3.us-east-1.amazonaws.com%2Fa%20b%2Ft.yaml&');
      expect(url).to.match(/&param_ArtifactKey=p%2Fhandler-1\.zip$/);
    });
  });

  describe('launchStackMarkdown', () => {
    it('wraps the link in the AWS Launch Stack button', () => {
      expect(launchStackMarkdown('https://x')).to.equal('[![Launch Stack](https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png)](https://x)');
    });
  });
});
