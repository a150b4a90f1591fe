/**
 * `cli openapi` for a deployed stack, against a real moto server: the servers come from the
 * stack's ApiEndpoint output, and the operations are those API Gateway itself exports. moto's
 * GetExport (moto/apigateway/models.py export_api) answers `oas30` with a Swagger 2.0 document
 * of the paths and methods only (no parameters, models, request bodies or security), so the
 * comparison is of paths and methods; the rest of the document is checked against the template
 * by test/e2e/contract.test.ts.
 */
import { APIGatewayClient, GetExportCommand } from '@aws-sdk/client-api-gateway';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CliError } from '../../cli/errors.js';
import { createProgram } from '../../cli/program.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';
import { deploySynthetic, OK_HANDLER, useMoto } from '../support/moto.js';
import { useTempDir } from '../support/temp-dir.js';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

describe('cli/openapi/export-openapi (cli openapi)', function () {
  this.timeout(120_000);
  const suite = useMoto('openapi-moto-', { handler: OK_HANDLER });
  const scratch = useTempDir('openapi-');

  async function cli(args: string[]) {
    const reporter = createMemoryReporter();
    await createProgram({ reporter, root, env: suite.moto.env }).parseAsync(['node', 'cli', ...args]);
    return reporter;
  }

  async function cliError(args: string[]): Promise<CliError> {
    try {
      await cli(args);
    } catch (err) {
      return err as CliError;
    }
    throw new Error('expected the command to fail');
  }

  it("describes a deployed stack with its ApiEndpoint as the server and the operations API Gateway exports", async () => {
    const stackName = 'openapi-stack';
    await deploySynthetic(suite, root, stackName, { TableName: 'openapi-table' });
    const out = join(scratch.path, 'openapi.json');
    await cli(['openapi', '--stack-name', stackName, '--out', out]);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    const { stdout } = await run(join(root, '.venv', 'bin', 'openapi-spec-validator'), [out]);
    expect(stdout).to.equal(`${out}: OK\n`);
    const endpoint = doc.servers[0].url as string;
    expect(endpoint).to.match(/^https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com\/prod$/);
    expect(doc.servers[0].description).to.equal(`stack ${stackName} (us-east-1)`);

    const restApiId = new URL(endpoint).hostname.split('.')[0]!;
    const apigateway = new APIGatewayClient({ endpoint: suite.moto.endpoint, region: suite.moto.region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      const exported = await apigateway.send(new GetExportCommand({ restApiId, stageName: 'prod', exportType: 'oas30' }));
      const theirs = JSON.parse(new TextDecoder().decode(exported.body)) as { paths: Record<string, Record<string, unknown>> };
      const operations = (paths: Record<string, Record<string, unknown>>) =>
        Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)).sort();
      expect(operations(doc.paths)).to.deep.equal(operations(theirs.paths));
    } finally {
      apigateway.destroy();
    }
  });

  it('refuses --local with --url, a URL that is not one, and a stack that does not exist, saying what to do', async () => {
    expect((await cliError(['openapi', '--local', '--url', 'http://127.0.0.1:3000/prod'])).exitCode).to.equal(2);
    const bad = await cliError(['openapi', '--url', 'prod']);
    expect(bad.exitCode).to.equal(2);
    expect(bad.message).to.include('--url must be an http(s) URL of a stage');
    const missing = await cliError(['openapi', '--stack-name', 'no-such-stack']);
    expect(missing.exitCode).to.equal(1);
    expect(missing.message).to.equal('stack no-such-stack does not exist in us-east-1');
    expect(missing.details.join('\n')).to.include('npx cli openapi --local');
  });
});
