/**
 * capYoungGeneration (cli/local/young-generation.ts): the main thread's nursery stops growing at
 * the ceiling, also after a worker thread (a Lambda execution environment) configured its heap.
 * Each case runs in a fresh process, whose nursery starts at V8's minimum.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MODULE = fileURLToPath(new URL('../../cli/local/young-generation.ts', import.meta.url));

/** Semi-space capacity in MB after a workload whose survivors make V8 grow the nursery. */
function nurseryAfterLoad(capMb: number | undefined): Promise<number> {
  const script = `
    import { Worker } from 'node:worker_threads';
    import { getHeapSpaceStatistics } from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    const stop = ${capMb === undefined ? '() => {}' : `capYoungGeneration(${capMb})`};
    const worker = new Worker('setTimeout(() => {}, 50)', { eval: true });
    await new Promise((resolve) => worker.once('exit', resolve));
    const keep = [];
    // Like a server under load: many short turns of the event loop, some objects living a while.
    for (let turn = 0; turn < 600; turn++) {
      for (let i = 0; i < 5000; i++) {
        keep.push({ i, s: 'x' + i });
        if (keep.length > 40000) keep.splice(0, 20000);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    stop();
    console.log(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576);
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], (err, stdout) => (err ? reject(err) : resolve(Number(stdout.trim()))));
  });
}

describe('young-generation', () => {
  describe('capYoungGeneration', () => {
    it('keeps the semi-space within the ceiling while V8 alone grows it past', async () => {
      const [uncapped, capped] = await Promise.all([nurseryAfterLoad(undefined), nurseryAfterLoad(4)]);
      expect(uncapped).to.be.greaterThan(4);
      expect(capped).to.be.at.most(4);
    });
  });
});
