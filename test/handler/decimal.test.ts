import { expect } from 'chai';
import { decimalProblem, formatDecimal, parseDecimal } from '../../handler/decimal.js';

describe('handler/decimal', () => {
  describe('parseDecimal + formatDecimal', () => {
    const cases: [string, string][] = [
      ['0', '0'],
      ['-0', '0'],
      ['0.000', '0'],
      ['12.75', '12.75'],
      ['1.50', '1.5'],
      ['-1.50e-3', '-0.0015'],
      ['1e20', '100000000000000000000'],
      ['1E+2', '100'],
      ['00012300', '12300'],
      ['12345678901234567890123.000001', '12345678901234567890123.000001'],
      ['.5', '0.5'],
    ];
    for (const [text, canonical] of cases) {
      it(`formats ${text} as ${canonical}`, () => {
        expect(formatDecimal(parseDecimal(text)!)).to.equal(canonical);
      });
    }

    it('keeps the significant digits of 1, a million zeros, 1 and drops zeros that are not significant', () => {
      const zeros = '0'.repeat(1_000_000);
      expect(parseDecimal(`1${zeros}1`)).to.deep.equal({ negative: false, digits: `1${zeros}1`, scale: 0 });
      expect(parseDecimal(`-1${zeros}`)).to.deep.equal({ negative: true, digits: '1', scale: 1_000_000 });
      expect(parseDecimal(`0.${zeros}12${zeros}`)).to.deep.equal({ negative: false, digits: '12', scale: -1_000_002 });
      expect(parseDecimal(`12.3${zeros}e-2`)).to.deep.equal({ negative: false, digits: '123', scale: -3 });
    });

    it('returns undefined for text that is not a decimal', () => {
      for (const text of ['', '.', 'abc', '1e', '--1', '1.2.3', 'Infinity', 'NaN']) expect(parseDecimal(text), text).to.equal(undefined);
    });
  });

  describe('decimalProblem', () => {
    const accepted = ['0', '12345678901234567890123456789012345678', '9.9999999999999999999999999999999999999E+125', '-9.9999999999999999999999999999999999999E+125', '1E-130', '-1E-130', '1000000000000000000000000000000000000000000000'];
    for (const text of accepted) {
      it(`accepts ${text}`, () => {
        expect(decimalProblem(parseDecimal(text)!)).to.equal(undefined);
      });
    }
    const rejected: [string, RegExp][] = [
      ['123456789012345678901234567890123456789', /39 significant digits; DynamoDB stores at most 38/],
      ['1E+126', /larger in magnitude/],
      ['-1E+126', /larger in magnitude/],
      ['1e400', /larger in magnitude/],
      ['1e99999999999999999999999', /larger in magnitude/],
      ['1E-131', /smaller in magnitude/],
      ['0.9E-130', /smaller in magnitude/],
    ];
    for (const [text, message] of rejected) {
      it(`rejects ${text}`, () => {
        expect(decimalProblem(parseDecimal(text)!)).to.match(message);
      });
    }
  });
});
