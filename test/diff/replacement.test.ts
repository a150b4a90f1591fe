/**
 * The replacement table against the CloudFormation registry schemas as cfn-lint 1.58 ships them
 * (.venv): every `createOnlyProperties` entry ("Update requires: Replacement") of each type the
 * table lists must be in the table, and the table adds only what a reference page documents.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPLACING_PROPERTIES, replacesResource } from '../../cli/diff/replacement.js';
import { parseTemplate } from '../../cli/template/read-template.js';
import { readFile } from 'node:fs/promises';

const root = join(import.meta.dirname, '..', '..');
const SCHEMAS = `
import json, os, sys, cfnlint
base = os.path.join(os.path.dirname(cfnlint.__file__), 'data', 'schemas')
ids = json.load(open(os.path.join(base, 'providers', 'us-east-1.json')))
out = {}
for t in json.loads(sys.argv[1]):
    schema = json.load(open(os.path.join(base, 'resources', ids[t] + '.json')))
    out[t] = [p.split('/')[2] for p in schema.get('createOnlyProperties', [])]
print(json.dumps(out))
`;
/** Documented on the reference pages beyond the schema (see cli/diff/replacement.ts). */
const DOCUMENTED_EXTRA: Record<string, string[]> = { 'AWS::DynamoDB::Table': ['KeySchema'] };

describe('cli/diff/replacement', () => {
  describe('REPLACING_PROPERTIES', () => {
    it("matches the registry schemas' createOnlyProperties for every type listed", async () => {
      const types = Object.keys(REPLACING_PROPERTIES);
      const { stdout } = await promisify(execFile)(join(root, '.venv', 'bin', 'python'), ['-c', SCHEMAS, JSON.stringify(types)]);
      const schemas = JSON.parse(stdout) as Record<string, string[]>;
      for (const type of types) {
        expect([...REPLACING_PROPERTIES[type]!].sort(), type).to.deep.equal([...new Set([...schemas[type]!, ...(DOCUMENTED_EXTRA[type] ?? [])])].sort());
      }
    });

    it('covers every resource type of infra/cfn/template.yaml', async () => {
      const template = parseTemplate(await readFile(join(root, 'infra', 'cfn', 'template.yaml'), 'utf8'));
      const missing = [...new Set(Object.values(template.Resources).map((r) => r.Type))].filter((t) => REPLACING_PROPERTIES[t] === undefined);
      expect(missing).to.deep.equal([]);
    });
  });

  describe('replacesResource', () => {
    it('answers yes, no, or unknown for a type outside the table', () => {
      expect(replacesResource('AWS::DynamoDB::Table', 'TableName')).to.equal('yes');
      expect(replacesResource('AWS::DynamoDB::Table', 'BillingMode')).to.equal('no');
      expect(replacesResource('AWS::EC2::Instance', 'ImageId')).to.equal('unknown');
    });
  });
});
