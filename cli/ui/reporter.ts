/**
 * The one way commands talk to the user. Results go to stdout (so `| jq` works); progress,
 * warnings and errors go to stderr. Colour only on a TTY, never when NO_COLOR is set or in CI.
 */
import type { Writable } from 'node:stream';

export interface Reporter {
  /** A result line on stdout. */
  result(text: string): void;
  /** A progress or informational line on stderr. */
  info(text: string): void;
  /** A warning on stderr, prefixed `warning:`. */
  warn(text: string): void;
  /** An error on stderr, prefixed `error:`. */
  error(text: string): void;
  /** Whether stderr is an interactive terminal (in-place redraw, prompts). */
  readonly interactive: boolean;
  readonly color: Colors;
}

export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

type Sink = Pick<Writable, 'write'> & { isTTY?: boolean };

export interface ReporterOptions {
  stdout?: Sink;
  stderr?: Sink;
  env?: NodeJS.ProcessEnv;
}

const plain: Colors = {
  red: (s) => s,
  green: (s) => s,
  yellow: (s) => s,
  cyan: (s) => s,
  bold: (s) => s,
  dim: (s) => s,
};

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const ansi: Colors = {
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  bold: sgr(1, 22),
  dim: sgr(2, 22),
};

/** Colour is on only for a TTY, and never with NO_COLOR (https://no-color.org) or in CI. */
export function colorEnabled(stream: Sink, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function createReporter(options: ReporterOptions = {}): Reporter {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const color = colorEnabled(stderr, env) ? ansi : plain;
  const interactive = stderr.isTTY === true && !(env.CI !== undefined && env.CI !== '' && env.CI !== 'false');
  return {
    result: (text) => void stdout.write(text + '\n'),
    info: (text) => void stderr.write(text + '\n'),
    warn: (text) => void stderr.write(color.yellow('warning: ') + text + '\n'),
    error: (text) => void stderr.write(color.red('error: ') + text + '\n'),
    interactive,
    color,
  };
}

/** A reporter that records lines, for tests. */
export function createMemoryReporter(): Reporter & { stdout: string[]; stderr: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: out,
    stderr: err,
    result: (text) => void out.push(text),
    info: (text) => void err.push(text),
    warn: (text) => void err.push('warning: ' + text),
    error: (text) => void err.push('error: ' + text),
    interactive: false,
    color: plain,
  };
}
