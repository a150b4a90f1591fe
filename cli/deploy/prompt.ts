/** Questions on the terminal (stderr, so stdout stays clean for results). */
import { createInterface } from 'node:readline/promises';

export interface Prompter {
  confirm(question: string): Promise<boolean>;
  ask(question: string): Promise<string>;
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
    } finally {
      rl.close();
    }
  };
  return {
    ask,
    async confirm(question) {
      return /^(y|yes)$/i.test(await ask(question));
    },
  };
}
