/** `cli sync [--watch]`: commander wiring for cli/sync/sync-watch.ts, over cli/deploy/hotswap.ts. */
import { Command } from 'commander';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildArtifact, type Artifact } from '../build/artifact.js';
import { hotswap, type HotswapOutcome } from '../deploy/hotswap.js';
import { loadDeployTemplate } from '../deploy/template-source.js';
import { syncOnce, syncWatch } from '../sync/sync-watch.js';
import { parseParameterOverrides } from '../template/parameters.js';
import { printHotswapOutcome } from './deploy.js';
import type { ProgramDeps } from './deps.js';
import { collect, withInterrupt, withStack, withStackOptions, type StackCommandOptions } from './stack-options.js';

interface SyncFlags extends StackCommandOptions {
  parameterOverrides?: string[];
  watch: boolean;
  force: boolean;
}

export async function syncFromFlags(flags: SyncFlags, deps: ProgramDeps): Promise<HotswapOutcome> {
  const parameterOverrides = parseParameterOverrides(flags.parameterOverrides ?? []);
  return withStack(flags, deps, ({ target, aws }) =>
    withInterrupt(async (signal) => {
      const swap = (build: () => Promise<Artifact>) =>
        hotswap(
          { stackName: target.stackName, stage: target.stage, configParameters: target.parameters, parameterOverrides, force: flags.force },
          { aws, reporter: deps.reporter, build, loadTemplate: () => loadDeployTemplate(deps.root), signal },
        );
      const build = () => buildArtifact({ root: deps.root });
      if (!flags.watch) {
        const outcome = await syncOnce({ reporter: deps.reporter, build, hotswap: swap });
        if (outcome.status !== 'fallback') printHotswapOutcome(outcome, flags.json === true, deps);
        return outcome;
      }
      // The watcher is part of the emulator's area; loaded only for --watch, as `cli dev` loads it.
      const [{ watchSources }, { CONFIG_FILES }] = await Promise.all([import('../local/source-watcher.js'), import('../local/handler-build.js')]);
      return syncWatch({
        reporter: deps.reporter,
        build,
        hotswap: swap,
        signal,
        initialInputs: () => handlerSources(deps.root, CONFIG_FILES),
        watch: (inputs, onChange) => watchSources({ root: deps.root, inputs, onChange, onWarning: (m) => deps.reporter.warn(m) }),
      });
    }),
  );
}

/** handler/ and the project's build configuration, until the first build names its inputs. */
async function handlerSources(root: string, configFiles: readonly string[]): Promise<string[]> {
  const entries = await readdir(join(root, 'handler'), { recursive: true, withFileTypes: true });
  return [...entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)), ...configFiles.map((f) => join(root, f))];
}

export function syncCommand(deps: ProgramDeps): Command {
  return withStackOptions(
    new Command('sync')
      .description("Hotswap the function's code into the deployed stack (deploy --hotswap); with --watch, again on every save.")
      .option('--parameter-overrides <Key=Value...>', 'template parameter values, as for deploy (repeatable)', collect)
      .option('--watch', 'rebuild and hotswap on every save of the handler sources, until Ctrl-C', false)
      .option('--force', 'hotswap a prod stage too', false),
  )
    .addHelpText(
      'after',
      `
Only the function's code is synced: a change to the template or its parameters is reported,
and left for \`npx cli deploy\`. A build error is printed and the loop waits for the next save.
Each hotswap leaves drift (the stack's ArtifactKey names older code) that the next
\`npx cli deploy\` reconciles. A prod stage is refused without --force.
Exit codes: 0 synced (or nothing to sync), 1 failure, 2 bad input, 130 Ctrl-C (--watch ends so).

Examples:
  $ npx cli sync --stage dev --watch
  $ npx cli sync --stage dev --json`,
    )
    .action(async (flags: SyncFlags) => {
      await syncFromFlags(flags, deps);
    });
}
