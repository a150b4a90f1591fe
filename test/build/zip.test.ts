import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createZip, readZip, ZipFormatError } from '../../cli/build/zip.js';
import { withTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);

/** An independent reader: Python's zipfile checks CRCs and reports names, dates and modes. */
async function inspectWithPython(zipPath: string): Promise<{ bad: string | null; entries: { name: string; date: number[]; mode: number; data: string }[] }> {
  const script = [
    'import base64, json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'print(json.dumps({"bad": z.testzip(), "entries": [{"name": i.filename, "date": list(i.date_time), "mode": i.external_attr >> 16,',
    '  "data": base64.b64encode(z.read(i.filename)).decode()} for i in z.infolist()]}))',
  ].join('\n');
  const { stdout } = await run('python3', ['-c', script, zipPath]);
  return JSON.parse(stdout) as Awaited<ReturnType<typeof inspectWithPython>>;
}

describe('cli/build/zip', () => {
  const entries = [
    { name: 'b.txt', data: Buffer.from('hello\n') },
    { name: 'lib/ü-unicode.js', data: Buffer.from('module.exports = 1;\n'.repeat(200)) },
    { name: 'empty', data: new Uint8Array(0) },
    { name: 'random.bin', data: randomBytes(4096) },
  ];

  describe('createZip', () => {
    it('writes the same bytes whatever the input order', () => {
      expect(createZip(entries).equals(createZip([...entries].reverse()))).to.equal(true);
    });

    it('writes a zip other tools read, sorted, dated 1980-01-01, mode 0644', async () => {
      await withTempDir('zip-test-', async (dir) => {
        const file = join(dir, 'a.zip');
        await writeFile(file, createZip(entries));
        const seen = await inspectWithPython(file);
        expect(seen.bad).to.equal(null);
        expect(seen.entries.map((e) => e.name)).to.deep.equal(['b.txt', 'empty', 'lib/ü-unicode.js', 'random.bin']);
        for (const e of seen.entries) {
          expect(e.date, e.name).to.deep.equal([1980, 1, 1, 0, 0, 0]);
          expect(e.mode, e.name).to.equal(0o100644);
          const original = entries.find((x) => x.name === e.name)?.data ?? new Uint8Array();
          expect(Buffer.from(e.data, 'base64').equals(Buffer.from(original)), e.name).to.equal(true);
        }
      });
    });

    it('rejects duplicate and unsafe names', () => {
      expect(() => createZip([entries[0]!, entries[0]!])).to.throw('duplicate zip entry: b.txt');
      for (const name of ['../x', '/abs', 'a\\b', '']) expect(() => createZip([{ name, data: new Uint8Array(1) }]), name).to.throw(/unsafe zip entry name/);
    });
  });

  describe('readZip', () => {
    it('round-trips what createZip wrote', () => {
      const back = readZip(createZip(entries));
      expect(back.map((e) => e.name)).to.deep.equal(['b.txt', 'empty', 'lib/ü-unicode.js', 'random.bin']);
      for (const e of back) expect(e.data.equals(Buffer.from(entries.find((x) => x.name === e.name)!.data)), e.name).to.equal(true);
    });

    it('rejects a corrupted entry (CRC-32 or deflate error) and a truncated archive', () => {
      const zip = createZip([{ name: 'a.txt', data: Buffer.from('abcdefgh'.repeat(100)) }]);
      const corrupt = Buffer.from(zip);
      const dataStart = 30 + 'a.txt'.length;
      corrupt[dataStart + 3] = (corrupt[dataStart + 3] ?? 0) ^ 0xff;
      expect(() => readZip(corrupt)).to.throw(ZipFormatError, /a\.txt/);
      expect(() => readZip(zip.subarray(0, zip.length - 30))).to.throw(ZipFormatError);
      expect(() => readZip(Buffer.from('not a zip at all, not even close'))).to.throw(ZipFormatError, 'no end of central directory record');
    });
  });
});
