/**
 * A deterministic zip writer (same entries -> byte-identical archive) and a validating reader.
 * Deterministic means: entries sorted by name, every timestamp 1980-01-01 00:00 (the DOS epoch),
 * fixed "made by Unix" and 0644 file attributes, no extra fields, deflate at a fixed level.
 * Format: PKWARE APPNOTE.TXT 6.3.10, sections 4.3.7 (local header), 4.3.12 (central directory),
 * 4.3.16 (end of central directory). No zip64: Lambda zips are far below 4 GiB.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const VERSION_NEEDED = 20; // 2.0: deflate
const VERSION_MADE_BY = (3 << 8) | 20; // 3 = Unix, so the external attributes carry a mode
const FLAG_UTF8 = 1 << 11;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const FILE_MODE = 0o100644; // regular file, rw-r--r--: Lambda only needs it readable
const MAX_32 = 0xffffffff;

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(`invalid zip: ${message}`);
    this.name = 'ZipFormatError';
  }
}

export function createZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    checkName(entry.name);
    if (seen.has(entry.name)) throw new Error(`duplicate zip entry: ${entry.name}`);
    seen.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    const deflated = deflateRawSync(data, { level: 9 });
    // Store when deflate does not help (tiny or incompressible files), like every zip tool.
    const method = deflated.length < data.length ? METHOD_DEFLATE : METHOD_STORE;
    const body = method === METHOD_DEFLATE ? deflated : data;
    const crc = crc32(data) >>> 0;
    if (data.length > MAX_32 || body.length > MAX_32 || offset > MAX_32) throw new Error('zip too large (zip64 is not supported)');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(FLAG_UTF8, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  if (sorted.length > 0xffff) throw new Error('too many zip entries (zip64 is not supported)');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIGNATURE, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, ...centrals, end]);
}

/**
 * Reads every file of a zip through its central directory, checking sizes and CRC-32s, so a
 * truncated or corrupted archive fails here rather than in Lambda.
 */
export function readZip(input: Uint8Array): { name: string; data: Buffer }[] {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const endAt = findEnd(buf);
  const count = buf.readUInt16LE(endAt + 10);
  const centralSize = buf.readUInt32LE(endAt + 12);
  let at = buf.readUInt32LE(endAt + 16);
  if (at + centralSize > endAt) throw new ZipFormatError('central directory out of bounds');
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    need(buf, at, 46);
    if (buf.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new ZipFormatError(`bad central directory entry ${i}`);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const compressedSize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const localAt = buf.readUInt32LE(at + 42);
    need(buf, at + 46, nameLength);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1');
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw new ZipFormatError(`${name} is encrypted`);

    need(buf, localAt, 30);
    if (buf.readUInt32LE(localAt) !== LOCAL_SIGNATURE) throw new ZipFormatError(`bad local header for ${name}`);
    const dataAt = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
    need(buf, dataAt, compressedSize);
    const body = buf.subarray(dataAt, dataAt + compressedSize);
    let data: Buffer;
    if (method === METHOD_STORE) data = Buffer.from(body);
    else if (method === METHOD_DEFLATE) {
      try {
        data = inflateRawSync(body);
      } catch (err) {
        throw new ZipFormatError(`${name}: ${(err as Error).message}`);
      }
    } else throw new ZipFormatError(`${name} uses unsupported compression method ${method}`);
    if (data.length !== size) throw new ZipFormatError(`${name}: size ${data.length}, expected ${size}`);
    if (crc32(data) >>> 0 !== crc) throw new ZipFormatError(`${name}: CRC-32 mismatch`);
    if (!name.endsWith('/')) out.push({ name, data });
  }
  return out;
}

function findEnd(buf: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === END_SIGNATURE) return i;
  throw new ZipFormatError('no end of central directory record');
}

function need(buf: Buffer, at: number, length: number): void {
  if (at < 0 || at + length > buf.length) throw new ZipFormatError('truncated');
}

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new Error(`unsafe zip entry name: ${JSON.stringify(name)}`);
  }
  if (Buffer.byteLength(name) > 0xffff) throw new Error(`zip entry name too long: ${name.slice(0, 40)}...`);
}
