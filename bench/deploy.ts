/**
 * Benchmark of `cli deploy` (`npm run bench`, or `node --import tsx bench/deploy.ts`) against one
 * moto server on loopback: AWS API calls, bytes uploaded and wall time of a first deploy (new
 * stack, new bucket, cold lint cache) and of unchanged redeploys (median of 5), measured in the
 * same run with the real build, lint, template and deploy code; fresh AWS clients per deploy, as
 * each CLI invocation has. Targets: an unchanged redeploy makes at most 8 calls, uploads 0 bytes
 * and takes at most 20% of the first deploy's time. Then a code change made live, both ways, in
 * the same run (alternating, median of 3 each): a full deploy (change set) against
 * `deploy --hotswap` (UpdateFunctionCode); goal: the hotswap takes at most 0.15x the full deploy's
 * time and at most 4 AWS calls. Prints a table and writes bench/results/deploy.json.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsTargetFromEnv, createAwsClients } from '../cli/aws/clients.js';
import { buildArtifact } from '../cli/build/artifact.js';
import { deploy } from '../cli/deploy/deploy.js';
import type { DeployResult } from '../cli/deploy/deploy-result.js';
import { cachedLint, lintCacheDir } from '../cli/deploy/lint-cache.js';
import { loadDeployTemplate } from '../cli/deploy/template-source.js';
import { runCfnLint } from '../cli/lint/cfn-lint.js';
import { createMemoryReporter } from '../cli/ui/reporter.js';
import { startMoto } from '../test/support/moto.js';
import { syntheticArtifact } from '../test/support/synthetic-artifact.js';
import { hotswap } from '../cli/deploy/hotswap.js';
import type { Artifact } from '../cli/build/artifact.js';
import { tmpdir } from 'node:os';
import { mkdtemp } from 'node:fs/promises';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REDEPLOYS = 5;
const CODE_CHANGES = 3;

interface Run {
  label: string;
  status: DeployResult['status'] | 'hotswapped' | 'unchanged' | 'fallback';
  ms: number;
  calls: number;
  bytesUploaded: number;
  byOperation: Record<string, number>;
}

const moto = await startMoto();
const runs: Run[] = [];
const fullRuns: Run[] = [];
const hotswapRuns: Run[] = [];
try {
  await rm(lintCacheDir(ROOT), { recursive: true, force: true });
  const once = async (label: string): Promise<Run> => {
    const aws = await createAwsClients(awsTargetFromEnv(moto.env, {}));
    const started = performance.now();
    try {
      const result = await deploy(
        { stackName: 'bench-deploy', yes: true },
        {
          reporter: createMemoryReporter(),
          aws,
          build: () => buildArtifact({ root: ROOT }),
          lint: () => cachedLint(ROOT, () => runCfnLint({ root: ROOT })),
          loadTemplate: () => loadDeployTemplate(ROOT),
          interactive: false,
          pollIntervalMs: 100,
        },
      );
      const ms = performance.now() - started;
      return { label, status: result.status, ms, calls: aws.metrics.calls, bytesUploaded: aws.metrics.bytesUploaded, byOperation: aws.metrics.byOperation };
    } finally {
      aws.destroy();
    }
  };
  runs.push(await once('first deploy'));
  for (let i = 1; i <= REDEPLOYS; i++) runs.push(await once(`unchanged redeploy #${i}`));

  // A code change made live: a new zip each time (content differs), full deploy and hotswap
  // alternating so both see the same machine. --force: the bench stack is the prod stage.
  const scratch = await mkdtemp(join(tmpdir(), 'bench-deploy-'));
  let version = 0;
  const changed = () => syntheticArtifact(scratch, `exports.handler = async () => ({ statusCode: 200, body: "v${++version}" });`);
  const measure = async (label: string, run: (aws: Awaited<ReturnType<typeof createAwsClients>>, artifact: Artifact) => Promise<Run['status']>): Promise<Run> => {
    const artifact = await changed();
    const aws = await createAwsClients(awsTargetFromEnv(moto.env, {}));
    const started = performance.now();
    try {
      const status = await run(aws, artifact);
      return { label, status, ms: performance.now() - started, calls: aws.metrics.calls, bytesUploaded: aws.metrics.bytesUploaded, byOperation: aws.metrics.byOperation };
    } finally {
      aws.destroy();
    }
  };
  for (let i = 1; i <= CODE_CHANGES; i++) {
    fullRuns.push(
      await measure(`code change, deploy #${i}`, async (aws, artifact) =>
        (await deploy({ stackName: 'bench-deploy', yes: true, skipLint: true }, { reporter: createMemoryReporter(), aws, build: async () => artifact, lint: async () => ({ findings: [], errors: 0, warnings: 0, informational: 0 }), loadTemplate: () => loadDeployTemplate(ROOT), interactive: false, pollIntervalMs: 100 })).status,
      ),
    );
    hotswapRuns.push(
      await measure(`code change, hotswap #${i}`, async (aws, artifact) =>
        (await hotswap({ stackName: 'bench-deploy', force: true }, { reporter: createMemoryReporter(), aws, build: async () => artifact, loadTemplate: () => loadDeployTemplate(ROOT), pollIntervalMs: 100 })).status,
      ),
    );
  }
  await rm(scratch, { recursive: true, force: true });
} finally {
  await moto.stop();
}

const first = runs[0]!;
const redeploys = runs.slice(1);
const medianOf = (list: Run[]) => [...list].sort((a, b) => a.ms - b.ms)[Math.floor(list.length / 2)]!;
const median = medianOf(redeploys);
const fullMedian = medianOf(fullRuns);
const hotswapMedian = medianOf(hotswapRuns);
const hotswapRatio = hotswapMedian.ms / fullMedian.ms;
const hotswapMaxCalls = Math.max(...hotswapRuns.map((r) => r.calls));
const maxCalls = Math.max(...redeploys.map((r) => r.calls));
const maxBytes = Math.max(...redeploys.map((r) => r.bytesUploaded));
const ratio = median.ms / first.ms;
const checks = [
  { name: 'unchanged redeploy: at most 8 AWS calls', ok: maxCalls <= 8, value: `${maxCalls}` },
  { name: 'unchanged redeploy: 0 bytes uploaded', ok: maxBytes === 0, value: `${maxBytes}` },
  { name: "unchanged redeploy: at most 20% of the first deploy's time", ok: ratio <= 0.2, value: `${(ratio * 100).toFixed(1)}%` },
  { name: 'unchanged redeploy reports "no-changes"', ok: redeploys.every((r) => r.status === 'no-changes'), value: redeploys.map((r) => r.status).join(',') },
  { name: 'code change: every full deploy "deployed", every hotswap "hotswapped"', ok: fullRuns.every((r) => r.status === 'deployed') && hotswapRuns.every((r) => r.status === 'hotswapped'), value: [...fullRuns, ...hotswapRuns].map((r) => r.status).join(',') },
  { name: "code change: hotswap at most 0.15x the full deploy's time", ok: hotswapRatio <= 0.15, value: `${hotswapRatio.toFixed(3)}x` },
  { name: 'code change: hotswap at most 4 AWS calls', ok: hotswapMaxCalls <= 4, value: `${hotswapMaxCalls}` },
];

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\ncli deploy against moto (${new Date().toISOString()}, node ${process.version})`);
console.log(`${pad('run', 28)}${pad('status', 14)}${pad('time ms', 10)}${pad('AWS calls', 11)}bytes uploaded`);
for (const r of [...runs, ...fullRuns, ...hotswapRuns]) console.log(`${pad(r.label, 28)}${pad(r.status, 14)}${pad(r.ms.toFixed(0), 10)}${pad(String(r.calls), 11)}${r.bytesUploaded}`);
console.log(`\nfirst deploy calls: ${Object.entries(first.byOperation).map(([k, v]) => `${k}×${v}`).join(', ')}`);
console.log(`redeploy calls:     ${Object.entries(median.byOperation).map(([k, v]) => `${k}×${v}`).join(', ')}`);
console.log(`code change, deploy:  ${Object.entries(fullMedian.byOperation).map(([k, v]) => `${k}×${v}`).join(', ')}`);
console.log(`code change, hotswap: ${Object.entries(hotswapMedian.byOperation).map(([k, v]) => `${k}×${v}`).join(', ')}`);
console.log(`code change live: hotswap ${hotswapMedian.ms.toFixed(0)} ms (${hotswapMedian.calls} calls) vs full deploy ${fullMedian.ms.toFixed(0)} ms (${fullMedian.calls} calls) = ${hotswapRatio.toFixed(3)}x (medians of ${CODE_CHANGES})`);
console.log(`median redeploy ${median.ms.toFixed(0)} ms = ${(ratio * 100).toFixed(1)}% of the first deploy (${first.ms.toFixed(0)} ms)\n`);
for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name} (${c.value})`);

await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
await writeFile(
  join(ROOT, 'bench', 'results', 'deploy.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, runs, codeChange: { fullRuns, hotswapRuns, fullMedianMs: fullMedian.ms, hotswapMedianMs: hotswapMedian.ms, ratio: hotswapRatio }, medianRedeployMs: median.ms, ratio, checks }, null, 2) + '\n',
);
process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
