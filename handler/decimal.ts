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

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses decimal text (JSON number syntax, or DynamoDB's N strings); undefined if it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, int = '', frac = '', exp = '0'] = match;
  if (int === '' && frac === '') return undefined;
  let digits = (int + frac).replace(/^0+/, '');
  // A huge exponent becomes +-Infinity here, which the range check then reports.
  let scale = Number(exp) - frac.length;
  const trimmed = digits.replace(/0+$/, '');
  scale += digits.length - trimmed.length;
  digits = trimmed;
  if (digits === '') return { negative: false, digits: '', scale: 0 };
  return { negative: sign === '-', digits, scale };
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
