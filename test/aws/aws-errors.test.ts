/**
 * Failures the SDK cannot turn into a service error, through the CLI's own clients against a
 * real local server (node:http on 127.0.0.1) that answers what emulators and proxies do answer:
 * plain text (moto's "Table already exists: ..."), an HTML error page, a JSON message to an XML
 * service; and endpoints that do not answer at all (nothing listening, a name that does not
 * resolve).
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsFailure } from '../../cli/aws/aws-errors.js';
import { createAwsClients, type AwsClients } from '../../cli/aws/clients.js';
import { CliError, UsageError } from '../../cli/errors.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

async function failure(run: (aws: AwsClients) => Promise<unknown>, endpoint: string): Promise<CliError> {
  const aws = await createAwsClients({ region: 'us-east-1', endpoint, credentials });
  try {
    await run(aws);
  } catch (err) {
    return awsFailure(err) as CliError;
  } finally {
    aws.destroy();
  }
  throw new Error('expected the call to fail');
}

describe('cli/aws/aws-errors (against a real local server)', function () {
  this.timeout(30_000);
  let server: Server;
  let endpoint: string;
  let answer: { status: number; type: string; body: string };

  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  describe('awsFailure', () => {
    it('shows the status and the text of a body the XML parser could not read (CloudFormation)', async () => {
      answer = { status: 400, type: 'text/plain', body: 'Table already exists: lambda-apigateway' };
      const err = await failure((aws) => aws.stacks.describeStack('items'), endpoint);
      expect(err.message).to.equal(`AWS sent a response the SDK could not read (HTTP 400 from ${endpoint}): Table already exists: lambda-apigateway`);
      expect(err.details[0]).to.equal('The SDK said: @aws-sdk XML parse error: unexpected content.');
    });

    it('shows the text of an HTML error page, which the SDK calls "Unknown"', async () => {
      answer = { status: 400, type: 'text/html', body: '<html><body><h1>Bad Request</h1>\n<p>Table already exists: lambda-apigateway</p></body></html>' };
      const err = await failure((aws) => aws.stacks.describeStack('items'), endpoint);
      expect(err.message).to.equal(`AWS sent a response the SDK could not read (HTTP 400 from ${endpoint}): Bad Request Table already exists: lambda-apigateway`);
    });

    it('shows the message of a JSON body sent to an XML service', async () => {
      answer = { status: 400, type: 'application/json', body: '{"message": "Table already exists: lambda-apigateway"}' };
      const err = await failure((aws) => aws.stacks.describeStack('items'), endpoint);
      expect(err.message).to.equal(`AWS sent a response the SDK could not read (HTTP 400 from ${endpoint}): Table already exists: lambda-apigateway`);
    });

    it('shows the text a JSON service (DynamoDB) could not parse', async () => {
      answer = { status: 400, type: 'text/plain', body: 'Table already exists: lambda-apigateway' };
      const err = await failure((aws) => aws.tables.deleteTable('lambda-apigateway'), endpoint);
      expect(err.message).to.equal(`AWS sent a response the SDK could not read (HTTP 400 from ${endpoint}): Table already exists: lambda-apigateway`);
    });

    it('shortens a long body to its first 300 characters', async () => {
      answer = { status: 400, type: 'text/plain', body: 'x'.repeat(100_000) };
      const err = await failure((aws) => aws.stacks.describeStack('items'), endpoint);
      expect(err.message.endsWith(`: ${'x'.repeat(300)}...`), err.message).to.equal(true);
    });

    it('calls a refused connection a network error naming the endpoint, not a refusal by AWS', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const err = await failure((aws) => aws.stacks.describeStack('items'), `http://127.0.0.1:${port}`);
      expect(err.message).to.equal(`Network error: no answer from http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`);
      expect(err.details[0]).to.include('is that server running?');
    });

    it('calls a name that does not resolve a network error naming the endpoint', async () => {
      // .invalid never resolves (RFC 2606); without DNS at all the lookup fails with EAI_AGAIN instead.
      const err = await failure((aws) => aws.stacks.describeStack('items'), 'http://cloudformation.example.invalid');
      expect(err.message).to.match(/^Network error: no answer from http:\/\/cloudformation\.example\.invalid \(getaddrinfo (ENOTFOUND|EAI_AGAIN) cloudformation\.example\.invalid\)$/);
    });

    it('still names a service error by its code', async () => {
      answer = { status: 400, type: 'text/xml', body: '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Template format error: unresolved resource dependencies</Message></Error></ErrorResponse>' };
      const err = await failure((aws) => aws.stacks.describeStack('items'), endpoint);
      expect(err.message).to.equal('AWS refused the request: ValidationError (HTTP 400): Template format error: unresolved resource dependencies');
    });
  });
});

describe('cli/aws/aws-errors', () => {
  describe('awsFailure', () => {
    const sdkError = (name: string, message: string, extra: object = { $metadata: { httpStatusCode: 400 } }) => Object.assign(new Error(message), { name }, extra);

    it('names the profile whose credentials could not be loaded', () => {
      const err = awsFailure(sdkError('CredentialsProviderError', 'Could not resolve credentials using profile: [nope]', {}), { profile: 'nope' }) as CliError;
      expect(err.message).to.equal('No AWS credentials for profile nope (Could not resolve credentials using profile: [nope])');
      expect(err.details[0]).to.include('aws sso login --profile nope');
    });

    it('turns a service error into a one-line CliError and a response the SDK could not read into its own message', () => {
      const refused = awsFailure(sdkError('LimitExceededException', 'Limit on the number of stacks exceeded\nmore')) as CliError;
      expect(refused).to.be.instanceOf(CliError);
      expect(refused.message).to.equal('AWS refused the request: LimitExceededException (HTTP 400): Limit on the number of stacks exceeded');
      const garbled = awsFailure(
        sdkError('Error', '@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.', {
          $metadata: { httpStatusCode: 500 },
          $response: {},
        }),
      ) as CliError;
      expect(garbled.message).to.equal('AWS sent a response the SDK could not read (HTTP 500): @aws-sdk XML parse error: unexpected content.');
    });

    it('leaves errors that did not come from AWS alone', () => {
      const bug = new TypeError('x is undefined');
      expect(awsFailure(bug)).to.equal(bug);
      const usage = new UsageError('bad flag');
      expect(awsFailure(usage)).to.equal(usage);
    });
  });
});
