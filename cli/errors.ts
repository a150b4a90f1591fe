/**
 * Errors the CLI expects. `cli/bin.ts` prints their message (no stack trace) and sets the exit
 * code; anything else is a bug and is printed with its stack.
 */
export class CliError extends Error {
  readonly exitCode: number;
  /** Extra lines printed after the message (hints, what to do next). */
  readonly details: readonly string[];

  constructor(message: string, options: { exitCode?: number; details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details ?? [];
  }
}

/** The user's input (a flag, a file, a template value) is wrong. Exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** Ctrl-C (or SIGINT) stopped the command; the message says what was (not) changed. Exit code 130. */
export class InterruptedError extends CliError {
  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 130 });
    this.name = 'InterruptedError';
  }
}
