/**
 * A handler zip made from given source text, named by its content like buildArtifact's, for
 * tests that need "another version of the code" without editing handler/.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '../../cli/build/artifact.js';
import { createZip } from '../../cli/build/zip.js';

export async function syntheticArtifact(dir: string, source: string): Promise<Artifact> {
  const code = Buffer.from(source);
  const zip = createZip([{ name: 'index.js', data: code }]);
  const sha256 = createHash('sha256').update(zip).digest('hex');
  const key = `handler-${sha256.slice(0, 12)}.zip`;
  const zipPath = join(dir, key);
  await writeFile(zipPath, zip);
  return { zipPath, key, sha256, size: zip.length, bundleSize: code.length, warnings: [] };
}
