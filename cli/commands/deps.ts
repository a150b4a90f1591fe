/**
 * What every command is given by cli/bin.ts (through createProgram): its own module, so that the
 * commands and cli/program.ts, which imports them, both depend on it and not on each other.
 */
import type { Reporter } from '../ui/reporter.js';

export interface ProgramDeps {
  reporter: Reporter;
  /** Project root (where package.json and infra/ live). */
  root: string;
  env: NodeJS.ProcessEnv;
  /** Printed by --version (package.json's version). */
  version?: string;
}
