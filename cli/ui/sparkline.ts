/** Unicode block sparklines for terminal tables. Pure. */

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per value, scaled from 0 to the largest value; a missing value is a space, a
 * zero the lowest block. All zeros stay flat rather than jumping to the top.
 */
export function sparkline(values: readonly (number | null | undefined)[]): string {
  let max = 0;
  for (const v of values) if (v !== undefined && v !== null && v > max) max = v;
  return values
    .map((v) => {
      if (v === undefined || v === null) return ' ';
      if (max <= 0 || v <= 0) return BLOCKS[0];
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.ceil((v / max) * BLOCKS.length) - 1)];
    })
    .join('');
}
