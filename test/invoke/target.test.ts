import { expect } from 'chai';
import { LOCAL_CALLER } from '../../cli/local/local-caller.js';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../cli/errors.js';
import { explainLocalForbidden, resolveInvokeTarget, type InvokeTarget } from '../../cli/invoke/target.js';
import { useTempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('cli/invoke/target', () => {
  const dir = useTempDir('invoke-target-');

  describe('resolveInvokeTarget', () => {
    it('defaults to the template default stage on port 3000 when no cli dev has left a state file', async () => {
      const target = await resolveInvokeTarget({ devStateDir: join(dir.path, 'no-state') }, { root: ROOT, env: {} });
      expect(target).to.deep.include({
        apiEndpoint: 'http://127.0.0.1:3000/prod',
        rpcUrl: 'http://127.0.0.1:3000/prod/DynamoDBManager',
        source: 'local cli dev',
      });
      expect(target.local?.via).to.equal('default');
    });

    it('takes a --url on this machine (also a *.localhost name, RFC 6761) for the local stack, and no other', async () => {
      for (const [url, local] of [['http://api.localhost:3000/dev', true], ['http://[::1]:3000/dev', true], ['http://dev.example.com:3000/dev', false]] as const) {
        const target = await resolveInvokeTarget({ url, devStateDir: join(dir.path, 'state') }, { root: ROOT, env: {} });
        expect(target.local?.via, url).to.equal(local ? 'given' : undefined);
      }
    });

    it('takes --url as the stage URL or as its DynamoDBManager URL', async () => {
      for (const url of ['https://abc.execute-api.eu-west-1.amazonaws.com/prod/', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/DynamoDBManager']) {
        const { signer, ...target } = await resolveInvokeTarget({ url, apiKey: 'K' }, { root: ROOT, env: {} });
        // Not local: signed with the caller's AWS credentials, for the URL's region.
        expect(signer?.region).to.equal('eu-west-1');
        expect(signer?.source).to.equal('your AWS credentials');
        expect(target).to.deep.equal({
          apiEndpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
          rpcUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/DynamoDBManager',
          source: '--url',
          apiKey: 'K',
          apiKeySource: '--api-key',
        });
      }
    });

    it('reads ApiEndpoint and DynamoDBManagerUrl from --outputs-file, and the key from CLI_API_KEY', async () => {
      const file = join(dir.path, 'outputs.json');
      await writeFile(file, JSON.stringify({ ApiEndpoint: 'http://127.0.0.1:4000/dev', DynamoDBManagerUrl: 'http://127.0.0.1:4000/dev/DynamoDBManager' }));
      const { signer, ...target } = await resolveInvokeTarget({ outputsFile: file, devStateDir: join(dir.path, 'state') }, { root: ROOT, env: { CLI_API_KEY: 'E' } });
      // Local: signed with the local credentials (an AWS_IAM method of cli dev accepts only those).
      expect(signer?.source).to.equal('the local credentials of cli dev');
      expect(await signer?.credentials()).to.deep.equal(LOCAL_CALLER);
      expect(target).to.deep.equal({
        apiEndpoint: 'http://127.0.0.1:4000/dev',
        rpcUrl: 'http://127.0.0.1:4000/dev/DynamoDBManager',
        source: `--outputs-file ${file}`,
        apiKey: 'E',
        apiKeySource: 'CLI_API_KEY',
        local: { via: 'given', stateDir: relative(process.cwd(), join(dir.path, 'state')) },
      });
    });

    it('rejects a bad --url, a missing outputs file and both at once', async () => {
      await resolveInvokeTarget({ url: 'ftp://x' }, { root: ROOT, env: {} }).then(
        () => expect.fail('accepted'),
        (e: unknown) => expect((e as Error).message).to.equal('--url: "ftp://x" is not an http(s) URL'),
      );
      await resolveInvokeTarget({ outputsFile: join(dir.path, 'none.json') }, { root: ROOT, env: {} }).then(
        () => expect.fail('accepted'),
        (e: unknown) => expect((e as Error).message).to.match(/none\.json: no such file$/),
      );
      await resolveInvokeTarget({ url: 'http://x', outputsFile: 'y' }, { root: ROOT, env: {} }).then(
        () => expect.fail('accepted'),
        (e: unknown) => expect(e).to.be.instanceOf(UsageError),
      );
    });
  });
});

describe('cli/invoke/target explainLocalForbidden', () => {
  const local = (over: Partial<InvokeTarget>): InvokeTarget => ({
    apiEndpoint: 'http://127.0.0.1:3000/prod',
    rpcUrl: 'http://127.0.0.1:3000/prod/DynamoDBManager',
    source: 'local cli dev',
    local: { via: 'default', stateDir: '.local/cli-dev' },
    ...over,
  });

  it('says that no cli dev was found and the default stage was assumed', () => {
    expect(explainLocalForbidden(local({}), { message: 'Missing Authentication Token' })).to.deep.equal([
      'invoke used stage prod of the default local target and no x-api-key.',
      "No running cli dev was found (no live state file in .local/cli-dev), so invoke assumed the template's default stage on port 3000: start `npx cli dev`, or pass --url http://HOST:PORT/<stage> or --outputs-file.",
    ]);
  });

  it('names the key, where it came from, and why an outputs file can hold an old one', () => {
    const target = local({ apiEndpoint: 'http://127.0.0.1:4000/dev', source: '--outputs-file o.json', apiKey: 'K1', apiKeySource: '--outputs-file o.json', local: { via: 'given', stateDir: '.local/cli-dev' } });
    expect(explainLocalForbidden(target, { message: 'Forbidden' })).to.deep.equal([
      'invoke used stage dev of --outputs-file o.json and x-api-key K1 (from --outputs-file o.json).',
      "That key is not the stack's: cli dev makes a new key at every start (unless started with --api-key), so an outputs file of an earlier run holds an old one; rewrite it (cli dev --outputs-file) or pass --api-key.",
      // A stage the API does not have is 403 Forbidden too: https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
      'Or the stage: API Gateway answers Forbidden for a stage it does not have (the stage is the first segment of the URL, case-sensitive); cli dev prints its stages.',
    ]);
  });

  it("names the signing region when the local stack runs in another (the verifier's scope message)", () => {
    const target = local({ signer: { region: 'us-east-1', source: 'the local credentials of cli dev', credentials: async () => undefined } });
    expect(explainLocalForbidden(target, { message: "Credential should be scoped to a valid region, not 'us-east-1'. " }).at(-1)).to.equal(
      "invoke signed for region us-east-1, which is not the local stack's: pass --region with the region cli dev was started with.",
    );
  });

  it('says nothing for a target that is not local', () => {
    expect(explainLocalForbidden({ apiEndpoint: 'https://a.execute-api.eu-west-1.amazonaws.com/prod', rpcUrl: 'x', source: '--url' }, { message: 'Forbidden' })).to.deep.equal([]);
  });
});
