/**
 * The one parameter check of `cli dev` and `cli deploy`, against CloudFormation's rules for the
 * Parameters section: AllowedValues, MinValue/MaxValue (Number), MinLength/MaxLength and
 * AllowedPattern (String; "the pattern must match the entire parameter value").
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { UsageError } from '../../cli/errors.js';
import { readTemplate } from '../../cli/template/read-template.js';
import { checkParameterValue, parseParameterOverrides, resolveParameters, type CfnParameter } from '../../cli/template/parameters.js';

const root = join(import.meta.dirname, '..', '..');

describe('cli/template/parameters', () => {
  describe('parseParameterOverrides', () => {
    it('splits K=V pairs at the first =', () => {
      expect(parseParameterOverrides(['A=1', 'B=x=y', 'C='])).to.deep.equal({ A: '1', B: 'x=y', C: '' });
    });
    it('rejects a pair without a key', () => {
      expect(() => parseParameterOverrides(['=1'])).to.throw(UsageError, '--parameter-overrides "=1" must look like Key=Value');
      expect(() => parseParameterOverrides(['A'])).to.throw(UsageError, '--parameter-overrides "A" must look like Key=Value');
    });

    it('splits Key=Value pairs, keeping "=" in values', () => {
      expect(parseParameterOverrides(['A=1', 'B=x=y', 'C=3 D=4'])).to.deep.equal({ A: '1', B: 'x=y', C: '3', D: '4' });
      expect(() => parseParameterOverrides(['novalue'])).to.throw(UsageError, '--parameter-overrides "novalue" must look like Key=Value');
    });

    it('keeps words that start no pair in the previous value, with their spacing', () => {
      expect(parseParameterOverrides(['Desc=a  b  c Next=1'])).to.deep.equal({ Desc: 'a  b  c', Next: '1' });
    });

    it('reads a long run of spaces without a pair in one pass', () => {
      // The old split (/\s+(?=[A-Za-z0-9]+=)/) backtracked over every space: quadratic.
      const value = 'A=' + ' '.repeat(200_000) + 'x'.repeat(200_000);
      expect(parseParameterOverrides([value]).A).to.have.length(400_000);
    });
  });

  describe('checkParameterValue', () => {
    const cases: { spec: CfnParameter; value: string; error?: string }[] = [
      { spec: { Type: 'Number', MinValue: 1, MaxValue: 28 }, value: '28' },
      { spec: { Type: 'Number', MinValue: 1, MaxValue: 28 }, value: '60', error: 'parameter P (test) must be at most 28, got 60' },
      { spec: { Type: 'Number', MinValue: 1 }, value: '0', error: 'parameter P (test) must be at least 1, got 0' },
      { spec: { Type: 'Number' }, value: '0x10', error: 'parameter P (test) must be a number, got "0x10"' },
      { spec: { Type: 'Number' }, value: ' 5', error: 'parameter P (test) must be a number, got " 5"' },
      { spec: { Type: 'Number' }, value: '-1.5e3' },
      { spec: { Type: 'String', AllowedValues: ['false', 'true'] }, value: 'yes', error: 'parameter P (test) must be one of false, true; got "yes"' },
      { spec: { Type: 'Number', AllowedValues: [1, 3, 5] }, value: '3' },
      // The whole value must match, even when the pattern has no anchors.
      { spec: { Type: 'String', AllowedPattern: '[a-z]+' }, value: 'abc1', error: 'parameter P (test) must match [a-z]+; got "abc1"' },
      { spec: { Type: 'String', AllowedPattern: 'a|b' }, value: 'ab', error: 'parameter P (test) must match a|b; got "ab"' },
      { spec: { Type: 'String', MinLength: 3, MaxLength: 5 }, value: 'ab', error: 'parameter P (test) must be at least 3 characters, got 2' },
      { spec: { Type: 'String', MinLength: 3, MaxLength: 5 }, value: 'abcdef', error: 'parameter P (test) must be at most 5 characters, got 6' },
      { spec: { Type: 'CommaDelimitedList', AllowedValues: ['a', 'b'] }, value: 'a,b' },
      { spec: { Type: 'CommaDelimitedList', AllowedValues: ['a', 'b'] }, value: 'a,c', error: 'parameter P (test) must be one of a, b; got "a,c"' },
      { spec: { Type: 'List<Number>', MaxValue: 2 }, value: '1,3', error: 'parameter P (test) must be at most 2, got 3' },
      // "When applied to a parameter of type CommaDelimitedList, the pattern must match each value in the list."
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
      { spec: { Type: 'CommaDelimitedList', AllowedPattern: '[a-z]+' }, value: 'ab, cd' },
      { spec: { Type: 'CommaDelimitedList', AllowedPattern: '[a-z]+' }, value: 'ab,c1', error: 'parameter P (test) has the value "c1", which does not match [a-z]+' },
    ];
    for (const c of cases) {
      it(`${c.error ? 'refuses' : 'accepts'} ${JSON.stringify(c.value)} for ${JSON.stringify(c.spec)}`, () => {
        if (c.error) expect(() => checkParameterValue('P', c.spec, c.value, 'test')).to.throw(UsageError, c.error);
        else expect(checkParameterValue('P', c.spec, c.value, 'test')).to.not.equal(undefined);
      });
    }

    it('says what the template allows when it has a ConstraintDescription', () => {
      try {
        checkParameterValue('StageName', { AllowedPattern: '[a-z]+', ConstraintDescription: 'lower-case letters' }, 'A', '--parameter-overrides');
        expect.fail('accepted');
      } catch (err) {
        expect((err as UsageError).exitCode).to.equal(2);
        expect((err as UsageError).details).to.deep.equal(['StageName: lower-case letters']);
      }
    });

    it('refuses an AllowedPattern JavaScript cannot run, naming it', () => {
      expect(() => checkParameterValue('P', { AllowedPattern: '(?<' }, 'x', 'test')).to.throw(UsageError, /Parameters\.P\.AllowedPattern \(\?< is not a regular expression/);
    });
  });

  describe('resolveParameters', () => {
    it('refuses what the project template refuses, naming the source of the value that wins', async () => {
      const declared = (await readTemplate(root)).template.Parameters!;
      const layer = (values: Record<string, string>) => [{ name: 'cli.config.json parameters', values: { FunctionTimeout: '99' } }, { name: '--parameter-overrides', values }];
      expect(() => resolveParameters(declared, layer({ FunctionTimeout: '60' }))).to.throw(UsageError, 'parameter FunctionTimeout (--parameter-overrides) must be at most 28, got 60');
      expect(() => resolveParameters(declared, layer({ FunctionTimeout: '10', ApiKeyRequired: 'yes' }))).to.throw(UsageError, 'parameter ApiKeyRequired (--parameter-overrides) must be one of false, true; got "yes"');
      expect(() => resolveParameters(declared, [{ name: 'cli.config.json parameters', values: { FunctionTimeout: '99' } }])).to.throw(UsageError, 'parameter FunctionTimeout (cli.config.json parameters) must be at most 28, got 99');
    });

    it('fills in defaults, leaves parameters without one undefined, and refuses unknown names', async () => {
      const declared = (await readTemplate(root)).template.Parameters!;
      const { given, values } = resolveParameters(declared, [{ name: '--parameter-overrides', values: { StageName: 'dev' } }]);
      expect(given).to.deep.equal({ StageName: 'dev' });
      expect(values.get('StageName')).to.equal('dev');
      expect(values.get('FunctionTimeout')).to.equal('10');
      expect(values.get('ArtifactKey')).to.equal(undefined);
      expect(() => resolveParameters(declared, [{ name: '--parameter-overrides', values: { Stagename: 'dev' } }])).to.throw(UsageError, '--parameter-overrides: the template has no parameter "Stagename"');
    });

    it('checks a Default as CloudFormation does', () => {
      expect(() => resolveParameters({ P: { Type: 'Number', Default: 50, MaxValue: 28 } }, [])).to.throw(UsageError, 'parameter P (default) must be at most 28, got 50');
    });
  });
});
