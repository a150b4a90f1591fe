/** Types of scripts/cli-bundle.mjs (plain JavaScript: bin/cli.mjs runs it before any TypeScript loader). */
export function currentCliBundle(root: string): string | undefined;
export function buildCliBundle(root: string): Promise<string>;
export function cliBundle(root: string): Promise<string | undefined>;
export function bundledLambdaWorker(root: string): Promise<string>;
