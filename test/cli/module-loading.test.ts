/**
 * What a command loads, run as a user runs it (`node bin/cli.mjs`, from source and as the
 * bundle): the emulator (cli/local/), esbuild, dynalite and the AWS SDK load only for the
 * commands that use them, because cli/program.ts reaches them through dynamic imports inside the
 * command actions. test/support/module-log.mjs records every module the process resolves.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliBundle } from '../../scripts/cli-bundle.mjs';
import { useTempDir } from '../support/temp-dir.js';

const root = join(import.meta.dirname, '..', '..');
const moduleLog = join(root, 'test', 'support', 'module-log.mjs');

interface Loaded {
  code: number | null;
  stderr: string;
  /** Project files loaded, root-relative (cli/commands/dev.ts). */
  files: Set<string>;
  /** Packages loaded by a module of cli/ (`esbuild`, `@aws-sdk/client-s3`). */
  packagesOfCli: Set<string>;
  /** Every package loaded, by anything (tsx, the bundle, another package). */
  packages: Set<string>;
  /** Every file loaded, root-relative, node_modules included. */
  paths: Set<string>;
}

function packageOf(path: string): string | undefined {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return m?.[1];
}

async function loadedBy(entry: string, args: string[], env: NodeJS.ProcessEnv, dir: string): Promise<Loaded> {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.jsonl`);
  const child = spawn(process.execPath, ['--import', pathToFileURL(moduleLog).href, entry, ...args], {
    cwd: root,
    env: { ...process.env, ...env, MODULE_LOG: log, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const files = new Set<string>();
  const packagesOfCli = new Set<string>();
  const packages = new Set<string>();
  const paths = new Set<string>();
  const local = (url: string | undefined) => (url?.startsWith('file:') ? relative(root, fileURLToPath(url.replace(/\?.*$/, ''))) : undefined);
  for (const line of (await readFile(log, 'utf8')).split('\n')) {
    if (line === '') continue;
    const { url, parent } = JSON.parse(line) as { url: string; parent?: string };
    const path = local(url);
    if (path === undefined) continue;
    paths.add(path);
    const pkg = packageOf(path);
    if (pkg === undefined) files.add(path);
    else {
      packages.add(pkg);
      if (local(parent)?.startsWith('cli/')) packagesOfCli.add(pkg);
    }
  }
  return { code, stderr, files, packagesOfCli, packages, paths };
}

const localModules = (l: Loaded) => [...l.files].filter((f) => f.startsWith('cli/local/')).sort();
const heavy = (packages: Set<string>) => [...packages].filter((p) => p === 'esbuild' || p === 'dynalite' || p.startsWith('@aws-sdk/')).sort();

describe('cli/program (what each command loads)', function () {
  this.timeout(120_000);
  const scratch = useTempDir('module-loading-');
  let server: Server;
  let url: string;
  let bundle: string;

  before(async () => {
    // A real server for `cli invoke --url`: it answers the ping as the handler does.
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('"pong"'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
    // The bundle `npx cli` runs (built here if a source changed since the last one).
    const entry = await cliBundle(root);
    if (entry === undefined) throw new Error('the cli bundle cannot be built');
    bundle = entry;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  describe('from source (CLI_FROM_SOURCE=1, through tsx, which itself loads esbuild)', () => {
    const cases: { args: () => string[]; what: string; local: string[]; loads: string }[] = [
      { args: () => ['outputs', '--help'], what: '`cli outputs --help`', local: ['cli/local/defaults.ts'], loads: 'cli/commands/outputs.ts' },
      { args: () => ['dev', '--help'], what: '`cli dev --help`', local: ['cli/local/defaults.ts'], loads: 'cli/commands/dev.ts' },
      { args: () => ['metrics', '--help'], what: '`cli metrics --help`', local: ['cli/local/defaults.ts'], loads: 'cli/commands/metrics.ts' },
      { args: () => ['traces', '--help'], what: '`cli traces --help`', local: ['cli/local/defaults.ts'], loads: 'cli/commands/traces.ts' },
      { args: () => ['token', '--help'], what: '`cli token --help`', local: ['cli/local/defaults.ts'], loads: 'cli/commands/token.ts' },
      {
        args: () => ['invoke', 'samples/ping.json', '--url', url],
        what: '`cli invoke --url URL` (the emulator is only for the default target)',
        // local-caller.ts: the local SigV4 credentials invoke signs with (two constants).
        local: ['cli/local/defaults.ts', 'cli/local/dev-state.ts', 'cli/local/local-caller.ts'],
        loads: 'cli/invoke/invoke.ts',
      },
      {
        args: () => ['openapi', '--url', url, '--out', join(scratch.path, 'openapi.json')],
        what: '`cli openapi --url URL` (the template resolver and resource readers, none of the emulator\'s services)',
        local: [
          'cli/local/apigateway-event.ts',
          'cli/local/defaults.ts',
          'cli/local/dev-state.ts',
          'cli/local/gateway-responses.ts',
          'cli/local/intrinsics.ts',
          'cli/local/json-schema.ts',
          'cli/local/mock-integration.ts',
          'cli/local/resources/api-gateway-validation.ts',
          'cli/local/resources/api-gateway.ts',
          'cli/local/resources/cognito.ts',
          'cli/local/resources/dynamodb.ts',
          'cli/local/resources/iam.ts',
          'cli/local/resources/lambda.ts',
          'cli/local/resources/logs.ts',
          'cli/local/resources/names.ts',
          'cli/local/resources/registry.ts',
          'cli/local/stack-model.ts',
          'cli/local/velocity.ts',
        ],
        loads: 'cli/openapi/export-openapi.ts',
      },
    ];
    for (const c of cases) {
      it(`${c.what} loads no module of the emulator, and cli/ imports neither esbuild, dynalite nor the SDK`, async () => {
        const loaded = await loadedBy(join(root, 'bin', 'cli.mjs'), c.args(), { CLI_FROM_SOURCE: '1' }, scratch.path);
        expect(loaded.code, loaded.stderr).to.equal(0);
        expect(loaded.files).to.include(c.loads);
        expect(localModules(loaded)).to.deep.equal(c.local);
        expect(heavy(loaded.packagesOfCli)).to.deep.equal([]);
      });
    }

    it("invoke's default target (no running cli dev) reads the template without loading the emulator", async () => {
      // The fallback target alone, in a process of its own: no request is sent anywhere.
      const script = join(scratch.path, 'default-target.mjs');
      await writeFile(
        script,
        [
          `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};`,
          'register();',
          `const { localDevTarget } = await import(${JSON.stringify(pathToFileURL(join(root, 'cli', 'invoke', 'target.ts')).href)});`,
          `process.stdout.write(JSON.stringify(await localDevTarget(${JSON.stringify(root)})));`,
        ].join('\n'),
      );
      const loaded = await loadedBy(script, [], {}, scratch.path);
      expect(loaded.code, loaded.stderr).to.equal(0);
      expect(loaded.files).to.include('cli/local/local-endpoints.ts');
      expect(localModules(loaded).filter((f) => /^cli\/local\/(index|lambda-runtime|handler-build|server|dynamodb)\.ts$/.test(f))).to.deep.equal([]);
      expect(heavy(loaded.packagesOfCli)).to.deep.equal([]);
    });

    it('`cli build` does load esbuild, from cli/build/bundle.ts (what the cases above would see)', async () => {
      const loaded = await loadedBy(join(root, 'bin', 'cli.mjs'), ['build', '--out-dir', join(scratch.path, 'dist')], { CLI_FROM_SOURCE: '1' }, scratch.path);
      expect(loaded.code, loaded.stderr).to.equal(0);
      expect(loaded.files).to.include('cli/build/bundle.ts');
      expect(heavy(loaded.packagesOfCli)).to.deep.equal(['esbuild']);
      expect(localModules(loaded)).to.deep.equal(['cli/local/defaults.ts']);
    });
  });

  // bin/cli.mjs as `npx cli` runs it: it imports the bundle (built in before(), so current) and
  // calls its main(root); the bundle alone only exports main.
  describe('as the bundle (what `npx cli` runs)', () => {
    const cli = join(root, 'bin', 'cli.mjs');
    it('`cli outputs --help` and `cli --help` load neither esbuild, dynalite nor the SDK', async () => {
      for (const args of [['outputs', '--help'], ['--help']]) {
        const loaded = await loadedBy(cli, args, { CLI_FROM_SOURCE: '0' }, scratch.path);
        expect(loaded.code, loaded.stderr).to.equal(0);
        expect(loaded.paths).to.include(relative(root, bundle));
        expect(loaded.packages).to.include('commander');
        expect(heavy(loaded.packages), args.join(' ')).to.deep.equal([]);
      }
    });

    it('`cli build` does load esbuild', async () => {
      const loaded = await loadedBy(cli, ['build', '--out-dir', join(scratch.path, 'dist')], { CLI_FROM_SOURCE: '0' }, scratch.path);
      expect(loaded.code, loaded.stderr).to.equal(0);
      expect(loaded.paths).to.include(relative(root, bundle));
      expect(heavy(loaded.packages)).to.deep.equal(['esbuild']);
    });
  });
});
