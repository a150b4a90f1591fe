/**
 * Hot reload with real files in a temp project, the real esbuild builder and the real watcher:
 * one test per way an editor, a tool or git changes a file. Each waits for the reload event it
 * asserts (bounded, so a watcher that lost the file fails instead of hanging).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlerBuilder, type HandlerBuilder } from '../../cli/local/handler-build.js';
import { startHotReloader, type HotReloader, type ReloadEvent } from '../../cli/local/hot-reload.js';

/** A handler importing a sibling module and one outside handler/, as a project with shared code does. */
const SOURCES: Record<string, string> = {
  'package.json': '{"private":true}\n',
  'handler/index.ts': "import { greeting } from './greeting.js';\nimport { word } from '../shared/word.js';\nexport const handler = async () => ({ statusCode: 200, body: `${greeting} ${word}` });\n",
  'handler/greeting.ts': "export const greeting = 'hello-1';\n",
  'shared/word.ts': "export const word = 'word-1';\n",
};

interface Harness {
  root: string;
  /** The code the functions run now. */
  live(): string;
  /** Resolves with the next event that is not 'unchanged' (fails after 10 s). */
  next(): Promise<ReloadEvent>;
  reloader: HotReloader;
  builder: HandlerBuilder;
}

describe('cli/local/hot-reload', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) {
      await h.reloader.close();
      await h.builder.dispose();
      await rm(h.root, { recursive: true, force: true });
    }
  });

  const start = async (sources: Record<string, string> = SOURCES, before?: (root: string) => void): Promise<Harness> => {
    const root = await mkdtemp(join(tmpdir(), 'hot-reload-'));
    for (const [file, text] of Object.entries(sources)) {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), text);
    }
    before?.(root);
    const builder = createHandlerBuilder(root);
    const built = await builder.build();
    if (!built.ok) throw new Error(built.errors.join('\n'));
    let live = built.code;
    const queue: ReloadEvent[] = [];
    const waiters: ((e: ReloadEvent) => void)[] = [];
    const reloader = startHotReloader({
      root,
      inputs: built.inputs,
      builder,
      initialCode: built.code,
      deploy: async (code) => {
        live = code;
      },
      onEvent: (event) => {
        if (event.type === 'unchanged') return;
        const waiter = waiters.shift();
        if (waiter) waiter(event);
        else queue.push(event);
      },
    });
    const next = () => {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise<ReloadEvent>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reload event within 10 s: the watcher lost the change')), 10_000);
        waiters.push((e) => {
          clearTimeout(timer);
          resolve(e);
        });
      });
    };
    const h = { root, live: () => live, next, reloader, builder };
    open.push(h);
    return h;
  };

  const GREETING = 'handler/greeting.ts';
  const greeting = (n: number) => `export const greeting = 'hello-${n}';\n`;
  const expectReloaded = (event: ReloadEvent, files: string[]) => {
    expect(event.type, JSON.stringify(event)).to.equal('reloaded');
    expect(event.files).to.deep.equal(files);
  };

  /** Each save writes greeting `n` its own way; each must reload, naming only handler/greeting.ts. */
  const savesReload = async (h: Harness, versions: number[], save: (file: string, n: number) => Promise<unknown>) => {
    for (const n of versions) {
      await save(join(h.root, GREETING), n);
      expectReloaded(await h.next(), [GREETING]);
      expect(h.live()).to.contain(`hello-${n}`);
    }
  };

  describe('startHotReloader', () => {
    it('reloads after a save in place (truncate and write)', async () => {
      const h = await start();
      await writeFile(join(h.root, GREETING), greeting(2));
      expectReloaded(await h.next(), [GREETING]);
      expect(h.live()).to.contain('hello-2');
    });

    it('keeps reloading after saves that write a temporary file and rename it over (sed -i)', async () => {
      const h = await start();
      // sed -i: a temporary sedXXXXXX next to the file, renamed over it.
      await savesReload(h, [2, 3, 4], async (file, n) => {
        const temp = join(h.root, 'handler', `sed${n}Xa9Q`);
        await writeFile(temp, greeting(n));
        await rename(temp, file);
      });
      await savesReload(h, [5], (file, n) => writeFile(file, greeting(n)));
    });

    it('reloads after a JetBrains safe write (___jb_tmp___, ___jb_old___) and names only the real file', async () => {
      const h = await start();
      await savesReload(h, [2, 3], async (file, n) => {
        await writeFile(`${file}___jb_tmp___`, greeting(n));
        await rename(file, `${file}___jb_old___`);
        await rename(`${file}___jb_tmp___`, file);
        await unlink(`${file}___jb_old___`);
      });
    });

    it("reloads after vim's write (4913 probe, file~ backup, .swp) and names only the real file", async () => {
      const h = await start();
      const dir = join(h.root, 'handler');
      await savesReload(h, [2, 3], async (file, n) => {
        await writeFile(join(dir, '.greeting.ts.swp'), `swap ${n}`);
        await writeFile(join(dir, '4913'), '');
        await unlink(join(dir, '4913'));
        await rename(file, `${file}~`);
        await writeFile(file, greeting(n));
        await unlink(`${file}~`);
      });
    });

    it('reloads after a delete and a create of the same file', async () => {
      const h = await start();
      await unlink(join(h.root, GREETING));
      await writeFile(join(h.root, GREETING), greeting(2));
      let event = await h.next();
      // A slow machine may build between the two steps: that build fails, the next one reloads.
      if (event.type === 'failed') event = await h.next();
      expectReloaded(event, [GREETING]);
      expect(h.live()).to.contain('hello-2');
    });

    it('reloads on a change to an imported file outside handler/', async () => {
      const h = await start();
      await writeFile(join(h.root, 'shared', 'word.ts'), "export const word = 'word-2';\n");
      expectReloaded(await h.next(), ['shared/word.ts']);
      expect(h.live()).to.contain('word-2');
    });

    it('reports a deleted import as a failed build naming it, and reloads when a new file in a new directory provides it', async () => {
      const h = await start();
      await rm(join(h.root, 'shared'), { recursive: true });
      const failed = await h.next();
      expect(failed.type).to.equal('failed');
      expect(failed.files).to.deep.equal(['shared/word.ts']);
      expect(failed.type === 'failed' && failed.errors.join('\n')).to.contain('shared/word');
      expect(h.live()).to.contain('word-1');

      // The import now points at a module that does not exist yet, then the module appears.
      await writeFile(join(h.root, 'handler', 'index.ts'), SOURCES['handler/index.ts']!.replace('../shared/word.js', './lib/word.js'));
      expect((await h.next()).type).to.equal('failed');
      await mkdir(join(h.root, 'handler', 'lib'));
      await writeFile(join(h.root, 'handler', 'lib', 'word.ts'), "export const word = 'word-lib';\n");
      expectReloaded(await h.next(), ['handler/lib/word.ts']);
      expect(h.live()).to.contain('word-lib');
    });

    it('reloads when a directory of the import graph is deleted and created again', async () => {
      const h = await start();
      await rm(join(h.root, 'shared'), { recursive: true });
      expect((await h.next()).type).to.equal('failed');
      await mkdir(join(h.root, 'shared'));
      await writeFile(join(h.root, 'shared', 'word.ts'), "export const word = 'word-2';\n");
      expectReloaded(await h.next(), ['shared/word.ts']);
      // The new directory is watched too.
      await writeFile(join(h.root, 'shared', 'word.ts'), "export const word = 'word-3';\n");
      expectReloaded(await h.next(), ['shared/word.ts']);
      expect(h.live()).to.contain('word-3');
    });

    it('reloads after `git checkout` of another branch and back', async () => {
      const git = (root: string, ...args: string[]) =>
        execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd: root, stdio: 'pipe' });
      let branchRoot = '';
      const h = await start(SOURCES, (root) => {
        branchRoot = root;
        git(root, 'init', '-q');
        git(root, 'add', '.');
        git(root, 'commit', '-q', '-m', 'one');
        git(root, 'checkout', '-q', '-b', 'other');
      });
      // The other branch: a changed greeting and a word from a new directory.
      {
        await writeFile(join(branchRoot, GREETING), greeting(2));
        await mkdir(join(branchRoot, 'handler', 'lib'));
        await writeFile(join(branchRoot, 'handler', 'lib', 'word.ts'), "export const word = 'word-lib';\n");
        await writeFile(join(branchRoot, 'handler', 'index.ts'), SOURCES['handler/index.ts']!.replace('../shared/word.js', './lib/word.js'));
        // Saved on the branch while the reloader was live; wait for that, then commit and go back.
        let event = await h.next();
        while (!(event.type === 'reloaded' && h.live().includes('word-lib'))) event = await h.next();
        git(branchRoot, 'add', '.');
        git(branchRoot, 'commit', '-q', '-m', 'two');

        git(branchRoot, 'checkout', '-q', 'main');
        event = await h.next();
        while (!(event.type === 'reloaded' && h.live().includes('word-1'))) event = await h.next();
        expect(h.live()).to.contain('hello-1');
        expect(event.files).to.include.members([GREETING, 'handler/index.ts']);
        expect(event.files.every((f) => !f.startsWith('.git'))).to.equal(true);

        git(branchRoot, 'checkout', '-q', 'other');
        event = await h.next();
        while (!(event.type === 'reloaded' && h.live().includes('word-lib'))) event = await h.next();
        expect(h.live()).to.contain('hello-2');
      }
    });

    it('reloads while another file next to the sources is written without pause (a log, a swap file)', async () => {
      const h = await start();
      let i = 0;
      const writer = setInterval(() => {
        appendFileSync(join(h.root, 'handler', 'dev.log'), `line ${i++}\n`);
        writeFileSync(join(h.root, 'handler', `sed${i % 3}tmp`), `${i}`);
      }, 2);
      try {
        await writeFile(join(h.root, GREETING), greeting(2));
        expectReloaded(await h.next(), [GREETING]);
        expect(h.live()).to.contain('hello-2');
      } finally {
        clearInterval(writer);
      }
    });

    it('names only files of the import graph, never a new file nothing imports', async () => {
      const h = await start();
      await writeFile(join(h.root, 'handler', 'notes.md'), 'not code\n');
      await writeFile(join(h.root, 'handler', 'unused.ts'), 'export const unused = 1;\n');
      await writeFile(join(h.root, GREETING), greeting(2));
      expectReloaded(await h.next(), [GREETING]);
      expect(await readFile(join(h.root, GREETING), 'utf8')).to.equal(greeting(2));
    });
  });
});
