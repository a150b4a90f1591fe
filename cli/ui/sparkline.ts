/** Unicode block sparklines for terminal tables. Pure. */

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per value, scaled from `floor` (default 0; the smallest value with
 * `floor: 'min'`, which shows how a latency moves rather than that it is never zero) to the
 * largest value; a missing value is a space. A flat series stays at the lowest block.
 */
export function sparkline(values: readonly (number | null | undefined)[], options: { floor?: number | 'min' } = {}): string {
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    if (v === undefined || v === null) continue;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const floor = options.floor === 'min' ? min : (options.floor ?? 0);
  const range = max - floor;
  return values
    .map((v) => {
      if (v === undefined || v === null) return ' ';
      if (!(range > 0) || v <= floor) return BLOCKS[0];
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.ceil(((v - floor) / range) * BLOCKS.length) - 1)];
    })
    .join('');
}
