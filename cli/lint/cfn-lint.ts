/**
 * Our wrapper of the official CloudFormation linter (Python, pinned in requirements-dev.txt):
 * finds it, runs it with JSON output and the project's .cfnlintrc, and returns findings as data.
 * https://github.com/aws-cloudformation/cfn-lint
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CliError, UsageError } from '../errors.js';
import { TEMPLATE_PATH } from '../template/project.js';

export type LintLevel = 'error' | 'warning' | 'informational';

export interface LintFinding {
  /** Relative to the project root when the template is inside it, else absolute. */
  file: string;
  line: number;
  column: number;
  rule: string;
  level: LintLevel;
  message: string;
}

export interface LintResult {
  findings: LintFinding[];
  errors: number;
  warnings: number;
  informational: number;
  /** Whether awslabs' serverless rules ran ('missing': cfn-lint-serverless is not installed next to cfn-lint). */
  serverlessRules?: 'applied' | 'missing';
}

/**
 * awslabs' serverless rules (https://github.com/awslabs/serverless-rules), a cfn-lint plugin
 * (pip package cfn-lint-serverless, pinned in requirements-dev.txt): tracing, log retention,
 * dead-letter queues, ... appended to cfn-lint's own rules.
 */
export const SERVERLESS_RULES_MODULE = 'cfn_lint_serverless.rules';

/** What cfn-lint prints when an --append-rules module cannot be imported. */
const PLUGIN_MISSING = /No module named '?cfn_lint_serverless/;

export interface RunCfnLintOptions {
  root: string;
  /** Template paths, relative to `root` or absolute. Default: infra/cfn/template.yaml. */
  templates?: string[];
  env?: NodeJS.ProcessEnv;
}

const INSTALL_HINT =
  'run `npm test` once (it creates .venv), or `python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt`';

/** cfn-lint could not be found. The message is one line saying how to install it. */
export class CfnLintNotInstalledError extends CliError {
  constructor(where?: string) {
    super(
      where
        ? `cfn-lint not found at CFN_LINT=${where}: fix or unset CFN_LINT, or ${INSTALL_HINT}`
        : `cfn-lint is not installed: ${INSTALL_HINT}`,
    );
    this.name = 'CfnLintNotInstalledError';
  }
}

/**
 * Where cfn-lint is: $CFN_LINT, then <root>/.venv, then PATH. An explicit CFN_LINT that does not
 * exist is an error rather than silently falling back to another copy.
 */
export async function findCfnLint(root: string, env: NodeJS.ProcessEnv): Promise<string> {
  const explicit = env.CFN_LINT;
  if (explicit !== undefined && explicit !== '') {
    if (await isExecutable(explicit)) return explicit;
    throw new CfnLintNotInstalledError(explicit);
  }
  const venv = process.platform === 'win32' ? join(root, '.venv', 'Scripts', 'cfn-lint.exe') : join(root, '.venv', 'bin', 'cfn-lint');
  if (await isExecutable(venv)) return venv;
  const names = process.platform === 'win32' ? ['cfn-lint.exe', 'cfn-lint.cmd'] : ['cfn-lint'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  throw new CfnLintNotInstalledError();
}

export async function runCfnLint(options: RunCfnLintOptions): Promise<LintResult> {
  const env = options.env ?? process.env;
  const given = options.templates?.length ? options.templates : [TEMPLATE_PATH];
  const templates: string[] = [];
  for (const name of given) {
    const path = resolve(options.root, name);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`template not found: ${name}`);
    if (!info.isFile()) throw new UsageError(`not a template file: ${name}`);
    templates.push(path);
  }
  const bin = await findCfnLint(options.root, env);
  const args = ['--format', 'json'];
  const rc = join(options.root, '.cfnlintrc');
  if (await isReadable(rc)) args.push('--config-file', rc);
  const withPlugin = ['--append-rules', SERVERLESS_RULES_MODULE];

  let serverlessRules: LintResult['serverlessRules'] = 'applied';
  let outcome = await run(bin, [...args, ...withPlugin, '--', ...templates], { cwd: options.root, env });
  if (outcome.error && PLUGIN_MISSING.test(outcome.stderr)) {
    // The plugin is optional for a cfn-lint outside the project; cfn-lint's own rules still run.
    serverlessRules = 'missing';
    outcome = await run(bin, [...args, '--', ...templates], { cwd: options.root, env });
  }
  const { stdout, stderr, error } = outcome;
  if (error?.code === 'ENOENT' || error?.code === 'EACCES') throw new CfnLintNotInstalledError(env.CFN_LINT || undefined);
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    throw new CliError(`cfn-lint failed${error?.exitCode !== undefined ? ` (exit code ${error.exitCode})` : ''} without a JSON report`, {
      details: (stderr.trim() || stdout.trim() || '(no output)').split('\n').slice(-20),
    });
  }
  if (!Array.isArray(raw)) throw new CliError('cfn-lint printed JSON that is not a list of findings', { details: [stdout.slice(0, 500)] });
  const findings = raw.map((m) => toFinding(m as CfnLintMatch, options.root));
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  return {
    findings,
    errors: findings.filter((f) => f.level === 'error').length,
    warnings: findings.filter((f) => f.level === 'warning').length,
    informational: findings.filter((f) => f.level === 'informational').length,
    serverlessRules,
  };
}

/** One entry of `cfn-lint --format json`. */
interface CfnLintMatch {
  Filename?: string;
  Level?: string;
  Message?: string;
  Rule?: { Id?: string };
  Location?: { Start?: { LineNumber?: number; ColumnNumber?: number } };
}

function toFinding(match: CfnLintMatch, root: string): LintFinding {
  const file = match.Filename ?? '';
  const inside = file !== '' && isAbsolute(file) && !relative(root, file).startsWith('..' + sep) && relative(root, file) !== '..';
  return {
    file: inside ? relative(root, file) : file,
    line: match.Location?.Start?.LineNumber ?? 1,
    column: match.Location?.Start?.ColumnNumber ?? 1,
    rule: match.Rule?.Id ?? 'unknown',
    level: toLevel(match.Level),
    message: (match.Message ?? '').replace(/\s+/g, ' ').trim(),
  };
}

function toLevel(level: string | undefined): LintLevel {
  switch ((level ?? '').toLowerCase()) {
    case 'warning':
      return 'warning';
    case 'informational':
    case 'info':
      return 'informational';
    default:
      return 'error';
  }
}

/** `file:line:col rule level message`, the line `cli lint` prints per finding. */
export function formatFinding(f: LintFinding, paintLevel: (level: string) => string = (s) => s): string {
  return `${f.file}:${f.line}:${f.column} ${f.rule} ${paintLevel(f.level)} ${f.message}`;
}

interface RunResult {
  stdout: string;
  stderr: string;
  error?: { code?: string; exitCode?: number };
}

function run(bin: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((done) => {
    execFile(bin, args, { ...options, maxBuffer: 64 * 1024 * 1024, timeout: 300_000, windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return done({ stdout, stderr });
      // cfn-lint's exit code is a bit mask of the levels found (2 error, 4 warning, 8 info), so a
      // non-zero exit with a JSON report is the normal "findings" case.
      const e = err as NodeJS.ErrnoException & { code?: string | number };
      done({
        stdout,
        stderr,
        error: typeof e.code === 'number' ? { exitCode: e.code } : { code: e.code },
      });
    });
  });
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isReadable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
