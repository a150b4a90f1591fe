/**
 * Which credentials and region `cli dev --dynamodb-endpoint` signs with (pure parts; the signed
 * calls themselves are in dynamodb-credentials.test.ts, against moto).
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { CliError, UsageError } from '../../cli/errors.js';
import { LOCAL_CREDENTIALS, resolveDynamoCredentials } from '../../cli/local/dynamodb.js';
import { checkDynamoEndpoint } from '../../cli/local/index.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useProcessEnv } from '../support/process-env.js';

describe('cli/local/dynamodb', () => {
  describe('resolveDynamoCredentials', () => {
    it('gives the dummy credentials for a loopback endpoint (auto) and whenever asked (local)', async () => {
      expect(await resolveDynamoCredentials('http://127.0.0.1:8000')).to.equal(LOCAL_CREDENTIALS);
      expect(await resolveDynamoCredentials('https://dynamodb.us-east-1.amazonaws.com', 'local')).to.equal(LOCAL_CREDENTIALS);
    });

    describe('with no credentials anywhere', () => {
      useProcessEnv({
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        // The chain's last resort is the EC2 instance metadata service; there is none here.
        AWS_EC2_METADATA_DISABLED: 'true',
      });

      it('says how to provide credentials for a non-loopback endpoint, or how to keep the dummy ones', async () => {
        const err = await resolveDynamoCredentials('http://dynamodb-local:8000').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(CliError);
        expect((err as CliError).message).to.match(/^no AWS credentials for the DynamoDB endpoint http:\/\/dynamodb-local:8000: /);
        expect((err as CliError).details.join('\n')).to.include('AWS_PROFILE').and.include('--dynamodb-credentials local');
      });
    });
  });
});

describe('cli/local', () => {
  describe('checkDynamoEndpoint', () => {
    it('drops a trailing slash', () => {
      expect(checkDynamoEndpoint('http://localhost:8000/', 'us-east-1')).to.equal('http://localhost:8000');
      expect(checkDynamoEndpoint('https://dynamodb.eu-west-1.amazonaws.com', 'eu-west-1')).to.equal('https://dynamodb.eu-west-1.amazonaws.com');
    });

    it("refuses a DynamoDB service endpoint of another region than the stack's (its signature would be refused)", () => {
      // https://docs.aws.amazon.com/general/latest/gr/ddb.html: dynamodb.<region>.amazonaws.com
      expect(() => checkDynamoEndpoint('https://dynamodb.eu-west-1.amazonaws.com', 'us-east-1'))
        .to.throw(UsageError)
        .with.property('message', '--dynamodb-endpoint https://dynamodb.eu-west-1.amazonaws.com is in eu-west-1 but the region is us-east-1; pass --region eu-west-1');
    });

    it('refuses what is not an http(s) URL', () => {
      expect(() => checkDynamoEndpoint('localhost:8000', 'us-east-1')).to.throw(UsageError, /is not an http\(s\) URL/);
      expect(() => checkDynamoEndpoint('not a url', 'us-east-1')).to.throw(UsageError, /"not a url" is not a URL/);
    });
  });
});

describe('cli dev --dynamodb-credentials', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  async function refusal(args: string[], env: NodeJS.ProcessEnv): Promise<unknown> {
    const program = createProgram({ reporter: createMemoryReporter(), root, env });
    return program.parseAsync(['node', 'cli', 'dev', '--port', '0', ...args]).then(
      () => undefined,
      (err: unknown) => err,
    );
  }

  it('refuses a value other than auto, chain or local, from the flag or CLI_DYNAMODB_CREDENTIALS, before starting anything', async () => {
    for (const [args, env] of [
      [['--dynamodb-credentials', 'maybe'], {}],
      [[], { CLI_DYNAMODB_CREDENTIALS: 'maybe' }],
    ] as [string[], NodeJS.ProcessEnv][]) {
      const err = await refusal(args, env);
      expect((err as CliError).exitCode, String(err)).to.equal(2);
      expect((err as CliError).message).to.equal('--dynamodb-credentials (or CLI_DYNAMODB_CREDENTIALS) must be one of auto, chain, local, got "maybe"');
    }
  });
});
