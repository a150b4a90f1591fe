/**
 * Questions on the terminal (stderr, so stdout stays clean for results). Ctrl-C at a question is
 * an interrupt (exit 130, as the README documents); Ctrl-D (end of input) answers nothing, which
 * a yes/no question takes as "no".
 */
import { createInterface } from 'node:readline/promises';
import { InterruptedError } from '../errors.js';

export interface Prompter {
  /** True only for y / yes; Ctrl-D is false. */
  confirm(question: string): Promise<boolean>;
  /** The trimmed answer; undefined when input ended (Ctrl-D) before one was given. */
  ask(question: string): Promise<string | undefined>;
}

export function createTerminalPrompter(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
  signal?: AbortSignal,
): Prompter {
  const ask = async (question: string) => {
    const rl = createInterface({ input, output, terminal: true });
    try {
      return (await rl.question(question, signal ? { signal } : {})).trim();
    } catch (err) {
      // readline/promises rejects with an AbortError for Ctrl-C ("Aborted with Ctrl+C"), for the
      // abort signal (SIGINT while waiting) and when input ends ("Aborted with Ctrl+D", or the
      // stream closing).
      if ((err as Error).name !== 'AbortError') throw err;
      output.write('\n');
      if (signal?.aborted || /Ctrl\+C/.test((err as Error).message)) throw new InterruptedError('Interrupted (Ctrl-C) before answering; nothing was changed.');
      return undefined;
    } finally {
      rl.close();
    }
  };
  return {
    ask,
    async confirm(question) {
      const answer = await ask(question);
      if (answer === undefined) {
        output.write('No answer (end of input): taken as no.\n');
        return false;
      }
      return /^(y|yes)$/i.test(answer);
    },
  };
}
