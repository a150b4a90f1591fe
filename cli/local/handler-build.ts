/**
 * The handler bundle for the local stack: the very esbuild options `cli build` uses
 * (cli/build/bundle.ts), kept in an incremental esbuild context so a rebuild after a save only
 * redoes what changed.
 */
import * as esbuild from 'esbuild';
import { handlerBuildOptions } from '../build/bundle.js';

export type HandlerBuild =
  | { ok: true; code: string; warnings: string[]; ms: number }
  | { ok: false; errors: string[]; ms: number };

export interface HandlerBuilder {
  build(): Promise<HandlerBuild>;
  dispose(): Promise<void>;
}

async function format(messages: esbuild.Message[], kind: 'error' | 'warning'): Promise<string[]> {
  if (messages.length === 0) return [];
  return (await esbuild.formatMessages(messages, { kind, color: false })).map((m) => m.trimEnd());
}

export async function createHandlerBuilder(root: string): Promise<HandlerBuilder> {
  const options = handlerBuildOptions(root);
  const context = await esbuild.context(options);
  return {
    async build() {
      const started = performance.now();
      try {
        const result = await context.rebuild();
        const out = result.outputFiles?.find((f) => f.path === options.outfile) ?? result.outputFiles?.[0];
        if (!out) return { ok: false, errors: ['esbuild produced no output'], ms: performance.now() - started };
        return { ok: true, code: out.text, warnings: await format(result.warnings, 'warning'), ms: performance.now() - started };
      } catch (err) {
        const failure = err as esbuild.BuildFailure;
        const errors = Array.isArray(failure.errors) ? await format(failure.errors, 'error') : [String(err)];
        return { ok: false, errors, ms: performance.now() - started };
      }
    },
    dispose: () => context.dispose(),
  };
}
