/**
 * `cli dev --dynamodb-endpoint` signs with the credentials the endpoint needs, in the CLI (table
 * set-up) and in the function's workers. moto stands in for DynamoDB: it checks no signature
 * but accepts signed requests, and its request recorder shows the Authorization header each
 * call arrived with, so the key id that signed it can be asserted. moto is on 127.0.0.1 (the only
 * network here), so `dynamodbCredentials: 'chain'` forces what a non-loopback endpoint gets.
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { startMoto, type MotoServer, type RecordedRequest } from '../support/moto.js';
import { useProcessEnv } from '../support/process-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// AWS's documented example key pair (https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html).
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE-session-token';

/** The DynamoDB calls of a recording, as `operation key-id region token`. */
function dynamoCalls(recording: RecordedRequest[]): string[] {
  const header = (r: RecordedRequest, name: string) => Object.entries(r.headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return recording
    .filter((r) => header(r, 'x-amz-target')?.startsWith('DynamoDB_20120810.'))
    .map((r) => {
      // Credential=<key id>/<date>/<region>/dynamodb/aws4_request
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/dynamodb\/aws4_request/.exec(header(r, 'authorization') ?? '');
      return `${header(r, 'x-amz-target')!.split('.')[1]} ${scope?.[1]} ${scope?.[2]} ${header(r, 'x-amz-security-token') ?? '-'}`;
    });
}

describe('cli/local (startLocalStack with --dynamodb-endpoint)', () => {
  let moto: MotoServer;
  before(async () => {
    moto = await startMoto({ record: true });
  });
  after(() => moto?.stop());

  async function createItemThrough(stack: LocalStack, id: string): Promise<void> {
    const res = await fetch(`${stack.endpoint}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, name: 'signed' }) });
    expect(res.status, await res.text()).to.equal(201);
  }

  describe('dynamodbCredentials: chain', () => {
    // The standard chain reads the environment first; a profile or config file of the machine must not win.
    useProcessEnv({
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    });

    it("signs the table set-up and the function's calls with the standard chain's credentials and session token", async () => {
      await moto.reset();
      const before = (await moto.recording()).length;
      const stack = await startLocalStack({ root: ROOT, port: 0, concurrency: 1, region: 'eu-west-1', dynamodbEndpoint: moto.endpoint, dynamodbCredentials: 'chain', parameterOverrides: { AuthMode: 'NONE' } });
      try {
        await createItemThrough(stack, 'chain-1');
      } finally {
        await stack.stop();
      }
      const calls = dynamoCalls((await moto.recording()).slice(before));
      // DescribeTable (missing) -> CreateTable -> DescribeTable (ACTIVE) from the CLI, then the handler's PutItem.
      expect(calls).to.include(`CreateTable ${ACCESS_KEY_ID} eu-west-1 ${SESSION_TOKEN}`);
      expect(calls).to.include(`PutItem ${ACCESS_KEY_ID} eu-west-1 ${SESSION_TOKEN}`);
      expect(calls.filter((c) => !c.includes(` ${ACCESS_KEY_ID} eu-west-1 ${SESSION_TOKEN}`))).to.deep.equal([]);
    });
  });

  describe('dynamodbCredentials: auto (the default)', () => {
    it('signs with the dummy local credentials for a loopback endpoint', async () => {
      await moto.reset();
      const before = (await moto.recording()).length;
      const stack = await startLocalStack({ root: ROOT, port: 0, concurrency: 1, dynamodbEndpoint: moto.endpoint, parameterOverrides: { AuthMode: 'NONE' } });
      try {
        await createItemThrough(stack, 'auto-1');
      } finally {
        await stack.stop();
      }
      const calls = dynamoCalls((await moto.recording()).slice(before));
      expect(calls).to.include('CreateTable local us-east-1 -');
      expect(calls).to.include('PutItem local us-east-1 local');
      expect(calls.filter((c) => !/^\w+ local us-east-1 (-|local)$/.test(c))).to.deep.equal([]);
    });
  });
});
