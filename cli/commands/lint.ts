/**
 * `cli lint [templates...]`: cfn-lint the templates (default infra/cfn/template.yaml); fails on
 * any error or warning, prints informational findings without failing.
 */
import { Command } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { formatFinding, runCfnLint, type LintResult } from '../lint/cfn-lint.js';

const SERVERLESS_HINT = 'install it into the same Python environment (pip install -r requirements-dev.txt; npm test does it in .venv)';
import { TEMPLATE_PATH } from '../template/project.js';
import type { ProgramDeps } from './deps.js';

export interface LintOptions {
  /** Absolute or root-relative template paths; empty means the project's template. */
  templates: string[];
  json: boolean;
}

export async function lint(options: LintOptions, deps: ProgramDeps): Promise<LintResult> {
  const result = await runCfnLint({ root: deps.root, templates: options.templates, env: deps.env });
  const { reporter } = deps;
  if (result.serverlessRules === 'missing') {
    reporter.warn(`the serverless rules did not run: cfn-lint-serverless is not installed next to cfn-lint; ${SERVERLESS_HINT}`);
  }
  if (options.json) {
    reporter.result(JSON.stringify(result, null, 2));
  } else {
    const color = { error: reporter.color.red, warning: reporter.color.yellow, informational: reporter.color.cyan };
    for (const f of result.findings) reporter.result(formatFinding(f, color[f.level]));
    const checked = options.templates.length ? options.templates.join(', ') : TEMPLATE_PATH;
    reporter.info(`${checked}: ${summary(result)}`);
  }
  if (result.errors > 0 || result.warnings > 0) throw new CliError(`lint failed: ${summary(result)}`);
  return result;
}

export function summary(r: LintResult): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${n(r.errors, 'error')}, ${n(r.warnings, 'warning')}, ${r.informational} informational (cfn-lint)`;
}

export function lintCommand(deps: ProgramDeps): Command {
  return new Command('lint')
    .description('Check CloudFormation templates with cfn-lint (errors and warnings fail; informational findings are shown).')
    .argument('[templates...]', `template files (default: ${TEMPLATE_PATH})`)
    .option('--json', 'print the findings and counts as JSON on stdout', false)
    .addHelpText(
      'after',
      `
Prints one line per finding, "file:line:col rule level message", then a summary on stderr.
Exit code 1 when there is any error or warning. Settings come from .cfnlintrc. awslabs'
serverless rules (cfn-lint-serverless) are appended; without the plugin cfn-lint's own rules
run and a warning says so.
cfn-lint is looked up at $CFN_LINT, then .venv/bin/cfn-lint (made by \`npm test\`), then PATH.

Examples:
  $ npx cli lint                               lint infra/cfn/template.yaml
  $ npx cli lint my-template.yaml other.json   lint other templates
  $ npx cli lint --json | jq '.findings[] | select(.level == "error")'
  $ CFN_LINT=~/bin/cfn-lint npx cli lint       use a cfn-lint outside the project`,
    )
    .action(async (templates: string[], opts: { json: boolean }) => {
      await lint({ templates: templates.map((t) => shortPath(deps.root, resolve(t))), json: opts.json }, deps);
    });
}

/** Root-relative when inside the project (shorter messages), else absolute. */
function shortPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
