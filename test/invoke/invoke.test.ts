import { expect } from 'chai';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dev } from '../../cli/commands/dev.js';
import { invoke, type InvokeResult } from '../../cli/invoke/invoke.js';
import { CliError, UsageError } from '../../cli/errors.js';
import { resolveInvokeTarget } from '../../cli/invoke/target.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { useTempDir, withTempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A loopback port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('cli/invoke/invoke with a running cli dev', () => {
  const scratch = useTempDir('invoke-dev-');

  const ping = join(ROOT, 'samples', 'ping.json');
  const quiet = () => ({ reporter: createMemoryReporter(), root: ROOT, env: {} });
  const failure = (run: Promise<unknown>) => run.then(() => expect.fail('invoke passed'), (e: unknown) => e as CliError);

  it('follows its state file (port, stage, API key) with no flags, reads the key from its outputs file, and explains a 403', async () => {
    const devStateDir = join(scratch.path, 'state');
    const outputsFile = join(scratch.path, 'outputs.json');
    const oldOutputs = join(scratch.path, 'old-outputs.json');
    let followed: InvokeResult[] = [];
    let viaOutputs: InvokeResult[] = [];
    let stateFiles: string[] = [];
    let noKey: CliError | undefined;
    let oldKey: CliError | undefined;
    let endpoint = '';
    await dev(
      { port: 0, host: '127.0.0.1', region: 'us-east-1', stackName: 'invoke-test', parameterOverrides: ['AuthMode=API_KEY', 'StageName=dev'], watch: false, outputsFile },
      {
        ...quiet(),
        devStateDir,
        onReady: (stack) => {
          endpoint = stack.endpoint;
        },
        untilStopped: async () => {
          followed = await invoke({ files: [ping], devStateDir }, quiet());
          viaOutputs = await invoke({ files: [ping], outputsFile }, quiet());
          stateFiles = await readdir(devStateDir);
          noKey = await failure(invoke({ files: [ping], url: endpoint }, quiet()));
          await writeFile(oldOutputs, JSON.stringify({ ApiEndpoint: endpoint, ApiKeyValue: 'key-of-an-earlier-run' }));
          oldKey = await failure(invoke({ files: [ping], outputsFile: oldOutputs }, quiet()));
          return 'SIGTERM';
        },
      },
    );
    expect(stateFiles).to.deep.equal([`${process.pid}.json`]);
    expect(followed[0]!.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/dev\/DynamoDBManager$/);
    expect(followed[0]!.status).to.equal(200);
    expect(viaOutputs[0]!.status).to.equal(200);
    expect(noKey!.details).to.deep.equal([
      `${ping}: status 403, expected 2xx`,
      'invoke used stage dev of --url and no x-api-key.',
      'The method requires an API key (AuthMode=API_KEY): pass --api-key with the key cli dev printed at start, or --outputs-file of that cli dev.',
      'Or the stage: API Gateway answers Forbidden for a stage it does not have (the stage is the first segment of the URL, case-sensitive); cli dev prints its stages.',
    ]);
    expect(oldKey!.details[1]).to.equal(`invoke used stage dev of --outputs-file ${oldOutputs} and x-api-key key-of-an-earlier-run (from --outputs-file ${oldOutputs}).`);
    expect(oldKey!.details[2]).to.match(/^That key is not the stack's: cli dev makes a new key at every start/);
    // Removed on stop: the next invoke does not follow a stopped cli dev.
    expect(await readdir(devStateDir)).to.deep.equal([]);
  });

  it('refuses to guess between two running cli dev, naming both', async () => {
    const devStateDir = join(scratch.path, 'two');
    await mkdir(devStateDir, { recursive: true });
    // Two live processes: this one and its parent.
    for (const pid of [process.pid, process.ppid]) {
      await writeFile(join(devStateDir, `${pid}.json`), JSON.stringify({ pid, origin: `http://127.0.0.1:${pid}`, stage: 'prod', outputs: {}, startedAt: `2030-01-01T00:00:0${pid === process.pid ? 1 : 2}Z` }));
    }
    const error = await failure(resolveInvokeTarget({ devStateDir }, { root: ROOT, env: {} }));
    expect(error).to.be.instanceOf(UsageError);
    expect(error.message).to.match(/^2 cli dev are running \(state files in .*two\); choose one with --url:$/);
    expect(error.details).to.deep.equal([
      `--url http://127.0.0.1:${process.pid}/prod   (pid ${process.pid}, since 2030-01-01T00:00:01Z)`,
      `--url http://127.0.0.1:${process.ppid}/prod   (pid ${process.ppid}, since 2030-01-01T00:00:02Z)`,
    ]);
  });
});

describe('cli/invoke/invoke', () => {
  describe('invoke', () => {
    it('validates every file before sending anything', async () => {
      await withTempDir('invoke-', async (dir) => {
        await writeFile(join(dir, 'good.json'), '{"operation":"ping"}');
        await writeFile(join(dir, 'bad.json'), '{"operation":');
        let error: unknown;
        // Nothing listens there: had a request been sent, the error would be a connection error.
        await invoke({ files: [join(dir, 'good.json'), join(dir, 'bad.json')], url: `http://127.0.0.1:${await freePort()}/prod` }, { reporter: createMemoryReporter(), root: ROOT, env: {} }).catch(
          (e: unknown) => (error = e),
        );
        expect(error).to.be.instanceOf(UsageError);
        expect((error as Error).message).to.contain('bad.json: not valid JSON');
      });
    });

    it('names the request and the connection error when nothing listens', async () => {
      const port = await freePort();
      let error: unknown;
      await invoke({ files: [join(ROOT, 'samples', 'ping.json')], url: `http://127.0.0.1:${port}/prod` }, { reporter: createMemoryReporter(), root: ROOT, env: {} }).catch((e: unknown) => (error = e));
      expect((error as Error).message).to.equal(`${join(ROOT, 'samples', 'ping.json')}: POST http://127.0.0.1:${port}/prod/DynamoDBManager failed: ECONNREFUSED`);
    });
  });
});
