/**
 * Identity and abuse limits of the local stack over HTTP: AWS_IAM methods (SigV4 in the header
 * and in the query string, signed by @smithy/signature-v4, by curl's --aws-sigv4 and by
 * `cli invoke`), API Gateway's 403 answers, `requestContext.identity`, the usage-plan quota and
 * the stage and key throttles (a frozen, injected clock: no timing).
 * AWS's answers: https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
 * (messages and x-amzn-ErrorType of IAM refusals), https://repost.aws/knowledge-center/api-gateway-429-limit
 * (429 Too Many Requests / Limit Exceeded), and the texts recorded in test/local/sigv4-verifier.test.ts.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Sha256 } from '../../cli/aws/sha256.js';
import { dev } from '../../cli/commands/dev.js';
import { invoke } from '../../cli/invoke/invoke.js';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { LOCAL_ACCESS_KEY_ID, LOCAL_CALLER, LOCAL_USER_ID } from '../../cli/local/local-caller.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

async function signed(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}, options: { credentials?: Creds; date?: Date; region?: string } = {}) {
  const u = new URL(url);
  const signer = new SignatureV4({ credentials: options.credentials ?? LOCAL_CALLER, region: options.region ?? 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const query: Record<string, string> = Object.fromEntries(u.searchParams);
  const request = await signer.sign(
    { method: init.method ?? 'GET', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: u.pathname, query, headers: { ...init.headers, host: u.host }, ...(init.body !== undefined ? { body: init.body } : {}) },
    { signingDate: options.date ?? new Date() },
  );
  const { host: _host, ...headers } = request.headers;
  return fetch(url, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
}

const message = async (res: Response) => ((await res.json()) as { message: string }).message;

describe('cli/local identity and abuse limits (over HTTP)', () => {
  const scratch = useTempDir('identity-');
  let root: string;
  before(async () => {
    root = join(scratch.path, 'project');
    await mkdir(join(root, 'infra', 'cfn'), { recursive: true });
    await cp(join(FIXTURES, 'project', 'handler'), join(root, 'handler'), { recursive: true });
    await cp(join(FIXTURES, 'identity', 'infra', 'cfn', 'template.yaml'), join(root, 'infra', 'cfn', 'template.yaml'));
    await writeFile(join(root, 'package.json'), '{"type":"module"}\n');
  });

  describe('AuthorizationType AWS_IAM', () => {
    let stack: LocalStack;
    const reporter = createMemoryReporter();
    before(async () => {
      stack = await startLocalStack({ root, port: 0, concurrency: 1, reporter });
    });
    after(() => stack?.stop());

    it('lets a request signed with the local credentials through and fills requestContext.identity as API Gateway does', async () => {
      const res = await signed(`${stack.endpoint}/echo?a=1`, { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } });
      expect(res.status).to.equal(200);
      const { event } = (await res.json()) as { event: { requestContext: { identity: Record<string, unknown>; accountId: string } } };
      // $context.identity.* of an IAM-authorized request:
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
      expect(event.requestContext.identity).to.include({
        accountId: '000000000000',
        caller: LOCAL_USER_ID,
        user: LOCAL_USER_ID,
        userArn: 'arn:aws:iam::000000000000:user/local-developer',
        accessKey: LOCAL_ACCESS_KEY_ID,
        cognitoIdentityId: null,
      });
      expect(event.requestContext.identity).to.not.have.property('apiKeyId');
      expect(stack.credentials).to.deep.equal(LOCAL_CALLER);
    });

    it('accepts a presigned URL (the signature in the query string)', async () => {
      const u = new URL(`${stack.endpoint}/echo?b=two words`);
      const signer = new SignatureV4({ credentials: LOCAL_CALLER, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
      const presigned = await signer.presign({ method: 'GET', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: u.pathname, query: { b: 'two words' }, headers: { host: u.host } }, { expiresIn: 60 });
      const query = Object.entries(presigned.query!).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
      const res = await fetch(`${stack.endpoint}/echo?${query}`);
      expect(res.status, await res.clone().text()).to.equal(200);
    });

    it('accepts curl --aws-sigv4, as the README shows it', async () => {
      const { stdout } = await run('curl', ['-s', '-w', '\\n%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:execute-api', '--user', `${LOCAL_CALLER.accessKeyId}:${LOCAL_CALLER.secretAccessKey}`, '-X', 'POST', '-H', 'content-type: application/json', '-d', '{"via":"curl"}', `${stack.endpoint}/echo?q=1`]);
      const [body, code] = stdout.split('\n');
      expect(code, body).to.equal('200');
      expect((JSON.parse(body!) as { event: { body: string } }).event.body).to.equal('{"via":"curl"}');
    });

    it('answers an unsigned request 403 Missing Authentication Token', async () => {
      const res = await fetch(`${stack.endpoint}/echo`);
      expect(res.status).to.equal(403);
      expect(res.headers.get('x-amzn-errortype')).to.equal('MissingAuthenticationTokenException');
      expect(await res.text()).to.equal('{"message":"Missing Authentication Token"}');
    });

    it('answers a wrong secret 403 with the canonical request and string to sign it computed', async () => {
      const res = await signed(`${stack.endpoint}/echo`, {}, { credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: 'wrong' } });
      expect(res.status).to.equal(403);
      expect(res.headers.get('x-amzn-errortype')).to.equal('InvalidSignatureException');
      const text = await message(res);
      expect(text).to.match(/^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'GET\n\/dev\/echo\n\n/);
      expect(text).to.match(/\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/execute-api\/aws4_request\n[0-9a-f]{64}'\n$/);
      expect(reporter.stderr.join('\n')).to.contain('the method has AuthorizationType AWS_IAM and the signature does not match');
    });

    it('answers a signature of the request with another body 403 (the payload is signed)', async () => {
      const u = new URL(`${stack.endpoint}/echo`);
      const signer = new SignatureV4({ credentials: LOCAL_CALLER, region: 'us-east-1', service: 'execute-api', sha256: Sha256, applyChecksum: false });
      const req = await signer.sign({ method: 'POST', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: u.pathname, headers: { host: u.host }, body: '{"amount":1}' });
      const { host: _host, ...headers } = req.headers;
      const res = await fetch(u, { method: 'POST', headers, body: '{"amount":1000}' });
      expect(res.status).to.equal(403);
      expect(res.headers.get('x-amzn-errortype')).to.equal('InvalidSignatureException');
    });

    it('answers a signature older than 5 minutes 403 Signature expired', async () => {
      const res = await signed(`${stack.endpoint}/echo`, {}, { date: new Date(Date.now() - 10 * 60_000) });
      expect(res.status).to.equal(403);
      expect(res.headers.get('x-amzn-errortype')).to.equal('InvalidSignatureException');
      expect(await message(res)).to.match(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    });

    it('answers an unknown access key 403 "The security token included in the request is invalid."', async () => {
      const res = await signed(`${stack.endpoint}/echo`, {}, { credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } });
      expect(res.status).to.equal(403);
      expect(await message(res)).to.equal('The security token included in the request is invalid.');
    });

    it('answers a signature for another region 403 and names it', async () => {
      const res = await signed(`${stack.endpoint}/echo`, {}, { region: 'eu-west-1' });
      expect(res.status).to.equal(403);
      expect(await message(res)).to.equal("Credential should be scoped to a valid region, not 'eu-west-1'. ");
    });

    it('cli invoke signs with the local credentials (no flag needed)', async () => {
      const file = join(scratch.path, 'echo.json');
      await writeFile(file, JSON.stringify({ method: 'POST', path: '/echo', body: { signed: true } }));
      const results = await invoke({ files: [file], url: stack.endpoint }, { reporter: createMemoryReporter(), root, env: {} });
      expect(results[0]!.status).to.equal(200);
      const event = (results[0]!.body as { event: { requestContext: { identity: { userArn: string } } } }).event;
      expect(event.requestContext.identity.userArn).to.equal('arn:aws:iam::000000000000:user/local-developer');
    });
  });

  describe('usage-plan quota and throttles (frozen clock)', () => {
    let clock = Date.now();
    let stack: LocalStack;
    const keyed = (path = '/keyed/echo') => fetch(`${stack.endpoint}${path}`, { headers: { 'x-api-key': stack.apiKey! } });
    afterEach(() => stack?.stop());

    it('answers 429 Limit Exceeded once the key has spent its quota, and serves again the next day', async () => {
      clock = Date.UTC(2026, 0, 1, 12);
      stack = await startLocalStack({ root, port: 0, concurrency: 1, now: () => clock, parameterOverrides: { QuotaLimit: '2' } });
      expect((await keyed()).status).to.equal(200);
      const second = await keyed();
      const { event } = (await second.json()) as { event: { requestContext: { identity: { apiKeyId: string } } } };
      expect(event.requestContext.identity.apiKeyId).to.equal(stack.model.api.apiKeys[0]!.id);
      const over = await keyed();
      expect(over.status).to.equal(429);
      expect(over.headers.get('x-amzn-errortype')).to.equal('LimitExceededException');
      expect(await over.text()).to.equal('{"message":"Limit Exceeded"}');
      clock = Date.UTC(2026, 0, 2, 0, 0, 1);
      expect((await keyed()).status).to.equal(200);
    });

    it("answers 429 Too Many Requests over the stage's burst (rate 1, burst 3: 4 concurrent requests), and again after a second's refill", async () => {
      clock = Date.now();
      stack = await startLocalStack({ root, port: 0, concurrency: 1, now: () => clock, parameterOverrides: { Rate: '1', Burst: '3' } });
      const statuses = await Promise.all([1, 2, 3, 4].map(() => signed(`${stack.endpoint}/echo`, {}, { date: new Date(clock) }).then((r) => r.status)));
      expect(statuses.sort()).to.deep.equal([200, 200, 200, 429]);
      const throttled = await signed(`${stack.endpoint}/echo`, {}, { date: new Date(clock) });
      expect(throttled.headers.get('x-amzn-errortype')).to.equal('TooManyRequestsException');
      expect(await throttled.text()).to.equal('{"message":"Too Many Requests"}');
      clock += 1000;
      expect((await signed(`${stack.endpoint}/echo`, {}, { date: new Date(clock) })).status).to.equal(200);
      expect((await signed(`${stack.endpoint}/echo`, {}, { date: new Date(clock) })).status).to.equal(429);
    });

    it("throttles a key at its usage plan's burst before the stage's", async () => {
      clock = Date.now();
      stack = await startLocalStack({ root, port: 0, concurrency: 1, now: () => clock, parameterOverrides: { KeyRate: '1', KeyBurst: '2' } });
      const statuses = await Promise.all([1, 2, 3].map(() => keyed().then((r) => r.status)));
      expect(statuses.sort()).to.deep.equal([200, 200, 429]);
    });

    it('does not throttle with throttle: false (cli dev --no-throttle)', async () => {
      clock = Date.now();
      stack = await startLocalStack({ root, port: 0, concurrency: 1, now: () => clock, throttle: false, parameterOverrides: { Rate: '1', Burst: '1' } });
      const statuses = await Promise.all([1, 2, 3].map(() => signed(`${stack.endpoint}/echo`, {}, { date: new Date(clock) }).then((r) => r.status)));
      expect(statuses).to.deep.equal([200, 200, 200]);
    });
  });

  describe('the project template with its default AuthMode (AWS_IAM)', () => {
    it('refuses an anonymous write, and cli dev prints the local credentials and a curl line', async () => {
      const reporter = createMemoryReporter();
      let refused: Response | undefined;
      await dev(
        { port: 0, host: '127.0.0.1', region: 'us-east-1', stackName: 'identity-test', parameterOverrides: [], watch: false },
        {
          reporter,
          root: ROOT,
          env: {},
          devStateDir: join(scratch.path, 'state'),
          onReady: (stack) => void stack,
          untilStopped: async () => {
            const outputs = reporter.stderr.join('\n');
            const url = /DynamoDBManagerUrl\s+(\S+)/.exec(outputs)![1]!;
            refused = await fetch(url, { method: 'POST', body: '{"operation":"delete","payload":{"Key":{"id":"1"}}}' });
            return 'SIGTERM';
          },
        },
      );
      expect(refused!.status).to.equal(403);
      expect(await refused!.text()).to.equal('{"message":"Missing Authentication Token"}');
      const banner = reporter.stderr.join('\n');
      // The banner's first column is as wide as its longest row name (an output name, or this one).
      expect(banner).to.match(/AWS_IAM signing +AWS_ACCESS_KEY_ID=/);
      expect(banner).to.contain(`AWS_ACCESS_KEY_ID=${LOCAL_CALLER.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CALLER.secretAccessKey}`);
      expect(banner).to.match(/curl --aws-sigv4 "aws:amz:us-east-1:execute-api" --user "\$AWS_ACCESS_KEY_ID:\$AWS_SECRET_ACCESS_KEY" http:\/\/127\.0\.0\.1:\d+\/prod\/items/);
      expect(banner).to.match(/InvokePolicyArn\s+arn:aws:iam::000000000000:policy\//);
    });

    it("logs the caller's IAM ARN on the handler's request line, never the signature", async () => {
      const reporter = createMemoryReporter();
      const stack = await startLocalStack({ root: ROOT, port: 0, concurrency: 1, reporter });
      try {
        const res = await signed(stack.outputs.DynamoDBManagerUrl!, { method: 'POST', body: '{"operation":"ping"}' });
        expect(res.status).to.equal(200);
        // The function's stdout reaches the terminal through the worker's stream, after the answer.
        while (!reporter.stderr.some((l) => l.includes('"route":"POST /DynamoDBManager"'))) await new Promise((resolve) => setTimeout(resolve, 10));
        const line = reporter.stderr.find((l) => l.includes('"route":"POST /DynamoDBManager"'));
        expect(line, reporter.stderr.join('\n')).to.contain('"caller":{"iamArn":"arn:aws:iam::000000000000:user/local-developer"}');
        expect(reporter.stderr.join('\n')).to.not.contain('Signature=');
      } finally {
        await stack.stop();
      }
    });
  });
});
