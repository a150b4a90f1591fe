/**
 * DynamoDB numbers as exact decimals.
 *
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 * "Numbers can have up to 38 digits of precision ... Positive range: 1E-130 to
 * 9.9999999999999999999999999999999999999E+125" (negative range symmetric). Leading and trailing
 * zeroes are trimmed. DynamoDB rejects anything else with a ValidationException; dynalite checks
 * the same rules, but we check first so that the message names the attribute.
 */

export const MAX_SIGNIFICANT_DIGITS = 38;
/** Largest decimal exponent of the leading digit: 9.99...E+125. */
export const MAX_EXPONENT = 125;
/** Smallest decimal exponent of the leading digit: 1E-130. */
export const MIN_EXPONENT = -130;

/** value = (negative ? -1 : 1) * digits * 10^scale; digits has no leading or trailing zeros ('' is zero). */
export interface Decimal {
  negative: boolean;
  digits: string;
  scale: number;
}

/** Index just past the run of ASCII digits starting at `pos`. */
function skipDigits(text: string, pos: number): number {
  while (pos < text.length) {
    const code = text.charCodeAt(pos);
    if (code < 0x30 || code > 0x39) break;
    pos++;
  }
  return pos;
}

/**
 * Parses decimal text (JSON number syntax, or DynamoDB's N strings); undefined if it is not one.
 * One pass over the text and no regular expression: every check of a request must be linear in
 * its size, and a backtracking pattern such as /0+$/ is quadratic on `1000...0001`.
 */
export function parseDecimal(text: string): Decimal | undefined {
  let pos = 0;
  const signCode = text.charCodeAt(0);
  const negative = signCode === 0x2d; // -
  if (negative || signCode === 0x2b) pos++; // +
  const intStart = pos;
  const intEnd = skipDigits(text, intStart);
  let fracStart = intEnd;
  let fracEnd = intEnd;
  if (text.charCodeAt(intEnd) === 0x2e) {
    fracStart = intEnd + 1;
    fracEnd = skipDigits(text, fracStart);
  }
  if (intEnd === intStart && fracEnd === fracStart) return undefined;
  pos = fracEnd;
  let exponent = 0;
  if (pos < text.length) {
    const e = text.charCodeAt(pos);
    if (e !== 0x65 && e !== 0x45) return undefined; // e E
    const expStart = pos + 1;
    const sign = text.charCodeAt(expStart);
    const expDigits = sign === 0x2d || sign === 0x2b ? expStart + 1 : expStart;
    pos = skipDigits(text, expDigits);
    if (pos === expDigits || pos !== text.length) return undefined;
    // A huge exponent becomes +-Infinity here, which the range check then reports.
    exponent = Number(text.slice(expStart, pos));
  }
  // The digits are int + frac; leading and trailing zeros are not significant.
  const intLength = intEnd - intStart;
  const fracLength = fracEnd - fracStart;
  const at = (k: number) => (k < intLength ? text.charCodeAt(intStart + k) : text.charCodeAt(fracStart + k - intLength));
  const total = intLength + fracLength;
  let first = 0;
  while (first < total && at(first) === 0x30) first++;
  if (first === total) return { negative: false, digits: '', scale: 0 };
  let last = total - 1;
  while (at(last) === 0x30) last--;
  const slice = (from: number, to: number) => {
    const intPart = from < intLength ? text.slice(intStart + from, intStart + Math.min(to, intLength)) : '';
    const fracPart = to > intLength ? text.slice(fracStart + Math.max(from - intLength, 0), fracStart + to - intLength) : '';
    return intPart + fracPart;
  };
  return { negative, digits: slice(first, last + 1), scale: exponent - fracLength + (total - 1 - last) };
}

/** Why DynamoDB would reject this number, or undefined when it is storable. */
export function decimalProblem(d: Decimal): string | undefined {
  if (d.digits === '') return undefined;
  if (d.digits.length > MAX_SIGNIFICANT_DIGITS) {
    return `has ${d.digits.length} significant digits; DynamoDB stores at most ${MAX_SIGNIFICANT_DIGITS}`;
  }
  const exponent = d.digits.length - 1 + d.scale;
  if (exponent > MAX_EXPONENT) return 'is larger in magnitude than DynamoDB supports (at most 9.9999999999999999999999999999999999999E+125)';
  if (exponent < MIN_EXPONENT) return 'is smaller in magnitude than DynamoDB supports (at least 1E-130, or 0)';
  return undefined;
}

/** Plain positional notation (no exponent), exact: what we send to DynamoDB and print back. */
export function formatDecimal(d: Decimal): string {
  if (d.digits === '') return '0';
  const sign = d.negative ? '-' : '';
  if (d.scale >= 0) return sign + d.digits + '0'.repeat(d.scale);
  const point = d.digits.length + d.scale;
  if (point > 0) return `${sign}${d.digits.slice(0, point)}.${d.digits.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${d.digits}`;
}
