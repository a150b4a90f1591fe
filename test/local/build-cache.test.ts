/**
 * What `cli dev` and `npx cli` keep between starts: the handler bundle (skipped esbuild when every
 * input is unchanged, rebuilt and swapped when the cache turns out stale), and the CLI bundle that
 * bin/cli.mjs runs instead of going through tsx.
 */
import { expect } from 'chai';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCliBundle, bundledLambdaWorker, currentCliBundle } from '../../scripts/cli-bundle.mjs';
import { createHandlerBuilder } from '../../cli/local/handler-build.js';
import { startHotReloader, type ReloadEvent } from '../../cli/local/hot-reload.js';
import { youngAndOldGeneration } from '../../cli/local/lambda-runtime.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/project', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('cli/local build cache', () => {
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  /** A copy of the fixture project with its own (empty) node_modules, where the cache lives. */
  const project = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'build-cache-'));
    dirs.push(dir);
    await cp(FIXTURE, dir, { recursive: true });
    await mkdir(join(dir, 'node_modules'));
    await backdate(dir);
    return dir;
  };
  /** Sources saved a minute ago, as a project's usually are (a build never caches files newer than itself). */
  const backdate = async (dir: string): Promise<void> => {
    const earlier = new Date(Date.now() - 60_000);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await backdate(join(dir, entry.name));
      else await utimes(join(dir, entry.name), earlier, earlier);
    }
    await utimes(dir, earlier, earlier);
  };

  describe('createHandlerBuilder.cached', () => {
    it('has nothing before the first build, then the very bundle of the last good build', async () => {
      const root = await project();
      const builder = createHandlerBuilder(root);
      try {
        expect(builder.cached()).to.equal(undefined);
        const built = await builder.build();
        expect(built.ok).to.equal(true);
        const cached = createHandlerBuilder(root).cached();
        expect(cached?.code).to.equal(built.ok ? built.code : 'no build');
        expect(cached?.code).to.contain("VERSION");
        // What hot reload watches when it starts from the cache.
        expect(cached?.inputs).to.deep.equal(built.ok ? built.inputs : []);
        expect(cached?.inputs).to.include(join(root, 'handler', 'index.ts'));
      } finally {
        await builder.dispose();
      }
    });

    it('misses when a source changes, when a file appears next to a source, and when the options differ', async () => {
      const root = await project();
      const builder = createHandlerBuilder(root);
      try {
        await builder.build();
        const source = join(root, 'handler', 'index.ts');
        await writeFile(source, (await readFile(source, 'utf8')).replace("VERSION = 'v1'", "VERSION = 'v2'"));
        expect(createHandlerBuilder(root).cached()).to.equal(undefined);
        // Saved a while ago (a build never caches what may have changed while it ran).
        const earlier = new Date(Date.now() - 60_000);
        await utimes(source, earlier, earlier);

        const rebuilt = await builder.build();
        expect(rebuilt.ok && rebuilt.code).to.contain('v2');
        expect(createHandlerBuilder(root).cached()?.code).to.contain('v2');

        // A new file can change what an import resolves to, so the directory listing counts too.
        await writeFile(join(root, 'handler', 'extra.ts'), 'export const x = 1;\n');
        const later = new Date(Date.now() + 5_000);
        await utimes(join(root, 'handler'), later, later);
        expect(createHandlerBuilder(root).cached()).to.equal(undefined);

        await builder.build();
        await writeFile(join(root, 'tsconfig.json'), '{"compilerOptions":{}}\n');
        expect(createHandlerBuilder(root).cached()).to.equal(undefined);
      } finally {
        await builder.dispose();
      }
    });

    it('keeps no cache without a node_modules directory under the root', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'build-cache-'));
      dirs.push(dir);
      await cp(FIXTURE, dir, { recursive: true });
      const builder = createHandlerBuilder(dir);
      try {
        expect((await builder.build()).ok).to.equal(true);
        expect(createHandlerBuilder(dir).cached()).to.equal(undefined);
      } finally {
        await builder.dispose();
      }
    });
  });

  describe('startHotReloader with verifyInitial', () => {
    const run = async (initialCode: (built: string) => string) => {
      const root = await project();
      const builder = createHandlerBuilder(root);
      const built = await builder.build();
      const code = built.ok ? built.code : '';
      const events: ReloadEvent[] = [];
      const deployed: string[] = [];
      let builds = 0;
      const reloader = startHotReloader({
        root,
        inputs: built.ok ? built.inputs : [],
        builder: { ...builder, build: () => (builds++, builder.build()) },
        initialCode: initialCode(code),
        verifyInitial: true,
        deploy: async (c) => void deployed.push(c),
        onEvent: (e) => events.push(e),
      });
      // reload() while the verification runs resolves with the verification's outcome.
      const outcome = await reloader.reload();
      await reloader.close();
      await builder.dispose();
      return { code, events, deployed, outcome, builds };
    };

    it('says nothing and swaps nothing when the cached code is what the sources build to', async () => {
      const { events, deployed, outcome, builds } = await run((code) => code);
      expect(builds).to.be.greaterThanOrEqual(1);
      expect(outcome.type).to.equal('unchanged');
      expect(deployed).to.deep.equal([]);
      expect(events).to.deep.equal([]);
    });

    it('swaps in the fresh build when the cached code was stale', async () => {
      const { code, events, deployed } = await run(() => 'exports.handler = async () => "stale";');
      expect(deployed).to.deep.equal([code]);
      expect(events[0]?.type).to.equal('reloaded');
    });
  });

  describe('youngAndOldGeneration', () => {
    it('bounds the whole heap by MemorySize with a young generation of at most 4 MB', () => {
      expect(youngAndOldGeneration(256)).to.deep.equal({ maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 252 });
      expect(youngAndOldGeneration(10240)).to.deep.equal({ maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 10236 });
      expect(youngAndOldGeneration(20)).to.deep.equal({ maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 18 });
    });
  });
});

describe('scripts/cli-bundle', () => {
  let root: string;
  before(async () => {
    // A tiny CLI with the same layout: cli/bin.ts imports a package, cli/local/lambda-worker.ts.
    root = await mkdtemp(join(tmpdir(), 'cli-bundle-'));
    await mkdir(join(root, 'cli', 'sub'), { recursive: true });
    await mkdir(join(root, 'cli', 'local'));
    await writeFile(join(root, 'package.json'), '{"type":"module"}\n');
    // Its own node_modules (the bundle cache lives there), with the packages it needs linked in.
    await mkdir(join(root, 'node_modules'));
    for (const pkg of ['commander', 'esbuild', '@esbuild']) await symlink(join(ROOT, 'node_modules', pkg), join(root, 'node_modules', pkg));
    await writeFile(join(root, 'cli', 'sub', 'where.ts'), 'export const where = (): string => new URL(".", import.meta.url).pathname;\n');
    await writeFile(join(root, 'cli', 'bin.ts'), 'import { Command } from "commander";\nimport { where } from "./sub/where.js";\nexport const result = { dir: where(), commander: typeof Command };\n');
    await writeFile(join(root, 'cli', 'local', 'lambda-worker.ts'), 'import { isMainThread } from "node:worker_threads";\nexport const format: string = typeof module;\nexport const main: boolean = isMainThread;\n');
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds a bundle whose modules see their own location (nothing rewritten), and keeps it while nothing changes', async () => {
    expect(currentCliBundle(root)).to.equal(undefined);
    const entry = await buildCliBundle(root);
    expect(currentCliBundle(root)).to.equal(entry);
    const mod = (await import(pathToFileURL(entry).href)) as { result: { dir: string; commander: string } };
    expect(mod.result).to.deep.equal({ dir: dirname(entry) + '/', commander: 'function' });
  });

  it('builds the Lambda worker as a CommonJS script next to the entry, and gives the current one', async () => {
    const entry = await buildCliBundle(root);
    const worker = await bundledLambdaWorker(root);
    expect(worker).to.equal(join(dirname(entry), 'lambda-worker.cjs'));
    expect(createRequire(import.meta.url)(worker)).to.deep.equal({ format: 'object', main: true });
  });

  it('rebuilds for the Lambda worker when its source changed, not when only a CLI source did', async () => {
    const first = await bundledLambdaWorker(root);
    const later = new Date(Date.now() + 10_000);
    await utimes(join(root, 'cli', 'sub', 'where.ts'), later, later);
    expect(await bundledLambdaWorker(root)).to.equal(first);
    expect(currentCliBundle(root)).to.equal(undefined);
    await utimes(join(root, 'cli', 'local', 'lambda-worker.ts'), later, later);
    const rebuilt = await bundledLambdaWorker(root);
    expect(rebuilt).to.not.equal(first);
    expect(currentCliBundle(root)).to.equal(join(dirname(rebuilt), 'bin.mjs'));
  });

  it('is stale as soon as a source or package.json changes', async () => {
    await buildCliBundle(root);
    const later = new Date(Date.now() + 5_000);
    await utimes(join(root, 'cli', 'sub', 'where.ts'), later, later);
    expect(currentCliBundle(root)).to.equal(undefined);
    await buildCliBundle(root);
    await writeFile(join(root, 'package.json'), '{"type":"module","name":"x"}\n');
    expect(currentCliBundle(root)).to.equal(undefined);
  });
});
