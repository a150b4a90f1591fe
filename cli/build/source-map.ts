/**
 * A source map of the handler bundle that maps only the project's own sources.
 *
 * The full map of the bundle is mostly the AWS SDK (635 KB of 650 KB); Node parses a map when it
 * loads the module and decodes all of it at the first stack trace it maps (about 250 ms for the
 * full one, measured in bench/local.ts). Frames in the SDK are rarely what a stack trace is read
 * for, so their segments become unmapped ones (a frame there keeps its bundle position, rather
 * than borrowing the nearest handler line).
 * https://sourcemaps.info/spec.html (Source Map Revision 3, "mappings")
 */

export interface SourceMapV3 {
  version: 3;
  sources: string[];
  names: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
  sourceRoot?: string;
  file?: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function encode(value: number): string {
  let vlq = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = vlq & 31;
    vlq >>>= 5;
    if (vlq > 0) digit |= 32;
    out += BASE64[digit];
  } while (vlq > 0);
  return out;
}

/** The fields of one segment ("AAAA" -> [0, 0, 0, 0]). */
function decode(segment: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`invalid source map mappings: ${JSON.stringify(c)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return fields;
}

/** `map` with only the sources `keep` accepts (and the names their segments use); linear in its size. */
export function keepSources(map: SourceMapV3, keep: (source: string) => boolean): SourceMapV3 {
  const sourceIndex = new Map<number, number>();
  const sources: string[] = [];
  const sourcesContent: (string | null)[] = [];
  map.sources.forEach((source, i) => {
    if (!keep(source)) return;
    sourceIndex.set(i, sources.length);
    sources.push(source);
    sourcesContent.push(map.sourcesContent?.[i] ?? null);
  });
  const nameIndex = new Map<number, number>();
  const names: string[] = [];
  // Decoding state (absolute values so far) and encoding state (last value written).
  let source = 0, line = 0, column = 0, name = 0;
  let outSource = 0, outLine = 0, outColumn = 0, outName = 0;
  const lines = map.mappings.split(';').map((generated) => {
    let generatedColumn = 0;
    let outGeneratedColumn = 0;
    let lastUnmapped = false;
    const out: string[] = [];
    for (const segment of generated === '' ? [] : generated.split(',')) {
      const f = decode(segment);
      generatedColumn += f[0]!;
      if (f.length >= 4) {
        source += f[1]!;
        line += f[2]!;
        column += f[3]!;
        if (f.length >= 5) name += f[4]!;
      }
      const kept = f.length >= 4 ? sourceIndex.get(source) : undefined;
      if (kept === undefined) {
        if (lastUnmapped) continue;
        out.push(encode(generatedColumn - outGeneratedColumn));
        outGeneratedColumn = generatedColumn;
        lastUnmapped = true;
        continue;
      }
      let text = encode(generatedColumn - outGeneratedColumn) + encode(kept - outSource) + encode(line - outLine) + encode(column - outColumn);
      if (f.length >= 5) {
        let n = nameIndex.get(name);
        if (n === undefined) {
          n = names.length;
          nameIndex.set(name, n);
          names.push(map.names[name]!);
        }
        text += encode(n - outName);
        outName = n;
      }
      out.push(text);
      outGeneratedColumn = generatedColumn;
      outSource = kept;
      outLine = line;
      outColumn = column;
      lastUnmapped = false;
    }
    return out.join(',');
  });
  return {
    version: 3,
    ...(map.file !== undefined ? { file: map.file } : {}),
    ...(map.sourceRoot !== undefined ? { sourceRoot: map.sourceRoot } : {}),
    sources,
    ...(map.sourcesContent ? { sourcesContent } : {}),
    names,
    mappings: lines.join(';'),
  };
}

/** A source file of the project, not of a dependency (a path of the map's `sources`). */
export const isOwnSource = (source: string): boolean => !source.split(/[\\/]/).includes('node_modules');

/** The comment that makes Node (with source maps enabled) read `map` for the code it ends. */
export function inlineSourceMapComment(map: SourceMapV3): string {
  return `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}
