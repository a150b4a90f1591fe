/**
 * A Postman collection (v2.1) of the request files in samples/, and Postman environments for the
 * stacks they run against. Pure: the request files and targets in, JSON documents out.
 * Format: https://schema.getpostman.com/json/collection/v2.1.0/collection.json and
 * https://learning.postman.com/docs/sending-requests/variables/managing-environments/
 */
import { basename } from 'node:path';
import type { Expectation, InvokeRequest } from '../invoke/request-file.js';

export const COLLECTION_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** How the API authenticates callers: the template's AuthMode parameter. */
export type AuthMode = 'NONE' | 'API_KEY' | 'AWS_IAM' | 'COGNITO_USER_POOLS';

export const AUTH_MODES: readonly AuthMode[] = ['NONE', 'API_KEY', 'AWS_IAM', 'COGNITO_USER_POOLS'];

interface KeyValue {
  key: string;
  value: string;
  type?: string;
}

export interface PostmanAuth {
  type: 'noauth' | 'apikey' | 'awsv4';
  noauth?: [];
  apikey?: KeyValue[];
  awsv4?: KeyValue[];
}

export interface PostmanItem {
  name: string;
  request: {
    method: string;
    header: KeyValue[];
    url: string;
    body?: { mode: 'raw'; raw: string; options?: { raw: { language: 'json' | 'text' } } };
  };
  event?: { listen: 'test'; script: { type: 'text/javascript'; exec: string[] } }[];
}

export interface PostmanCollection {
  info: { name: string; description: string; schema: string };
  auth: PostmanAuth;
  item: PostmanItem[];
}

export interface PostmanEnvironment {
  name: string;
  values: { key: string; value: string; type: 'default' | 'secret'; enabled: true }[];
  _postman_variable_scope: 'environment';
}

/** What an environment points at, and the credentials it carries (empty: the user fills them in Postman). */
export interface EnvironmentTarget {
  name: string;
  apiEndpoint: string;
  rpcUrl: string;
  region: string;
  apiKey?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  token?: string;
}

/**
 * The same subset rule as `cli invoke --check` (cli/invoke/request-file.ts subsetMismatch), as the
 * source Postman's sandbox runs. test/postman/collection.test.ts runs both on the same cases.
 */
export const SUBSET_MISMATCH_SOURCE = `function subsetMismatch(expected, actual, path) {
  if (expected === null || typeof expected !== 'object') {
    return Object.is(expected, actual) ? undefined : path + ': expected ' + JSON.stringify(expected) + ', got ' + (JSON.stringify(actual) === undefined ? 'nothing' : JSON.stringify(actual));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return path + ': expected an array, got ' + (JSON.stringify(actual) === undefined ? 'nothing' : JSON.stringify(actual));
    if (actual.length !== expected.length) return path + ': expected ' + expected.length + ' items, got ' + actual.length;
    for (var i = 0; i < expected.length; i++) {
      var m = subsetMismatch(expected[i], actual[i], path + '[' + i + ']');
      if (m) return m;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return path + ': expected an object, got ' + (JSON.stringify(actual) === undefined ? 'nothing' : JSON.stringify(actual));
  var keys = Object.keys(expected);
  if (keys.length === 0 && Object.keys(actual).length > 0) return path + ': expected {}, got ' + JSON.stringify(actual);
  for (var k = 0; k < keys.length; k++) {
    if (!Object.prototype.hasOwnProperty.call(actual, keys[k])) return path + '.' + keys[k] + ': missing';
    var n = subsetMismatch(expected[keys[k]], actual[keys[k]], path + '.' + keys[k]);
    if (n) return n;
  }
  return undefined;
}`;

/** The Postman test script checking a sample's `expect`, or none when it has none. */
export function expectScript(expectation: Expectation | undefined): string[] | undefined {
  if (!expectation) return undefined;
  const lines: string[] = [];
  if (expectation.status !== undefined) {
    lines.push(`pm.test('status is ${expectation.status}', function () {`, `  pm.response.to.have.status(${expectation.status});`, '});');
  }
  if ('body' in expectation) {
    lines.push(
      ...SUBSET_MISMATCH_SOURCE.split('\n'),
      "pm.test('body matches the sample', function () {",
      `  var mismatch = subsetMismatch(${JSON.stringify(expectation.body)}, pm.response.json(), 'body');`,
      '  pm.expect(mismatch, mismatch).to.equal(undefined);',
      '});',
    );
  }
  return lines;
}

/** Collection-level auth: each request inherits it; the values are environment variables. */
export function collectionAuth(mode: AuthMode): PostmanAuth {
  switch (mode) {
    case 'NONE':
      return { type: 'noauth', noauth: [] };
    case 'API_KEY':
      return { type: 'apikey', apikey: [{ key: 'key', value: 'x-api-key' }, { key: 'value', value: '{{apiKey}}' }, { key: 'in', value: 'header' }] };
    // The Cognito authorizer reads the token itself from the Authorization header (no "Bearer "):
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-invoke-api-integrated-with-cognito-user-pool.html
    case 'COGNITO_USER_POOLS':
      return { type: 'apikey', apikey: [{ key: 'key', value: 'Authorization' }, { key: 'value', value: '{{token}}' }, { key: 'in', value: 'header' }] };
    case 'AWS_IAM':
      return {
        type: 'awsv4',
        awsv4: [
          { key: 'accessKey', value: '{{awsAccessKeyId}}' },
          { key: 'secretKey', value: '{{awsSecretAccessKey}}' },
          { key: 'sessionToken', value: '{{awsSessionToken}}' },
          { key: 'region', value: '{{awsRegion}}' },
          { key: 'service', value: 'execute-api' },
        ],
      };
  }
}

function item(request: InvokeRequest): PostmanItem {
  const header = Object.entries(request.headers).map(([key, value]) => ({ key, value }));
  const json = request.headers['content-type']?.startsWith('application/json') === true;
  const script = expectScript(request.expect);
  return {
    name: basename(request.file, '.json'),
    request: {
      method: request.method,
      header,
      url: request.kind === 'rpc' ? '{{DynamoDBManagerUrl}}' : `{{ApiEndpoint}}${request.path}`,
      ...(request.body !== undefined ? { body: { mode: 'raw' as const, raw: request.body, options: { raw: { language: json ? ('json' as const) : ('text' as const) } } } } : {}),
    },
    ...(script ? { event: [{ listen: 'test' as const, script: { type: 'text/javascript' as const, exec: script } }] } : {}),
  };
}

/** Items in the order given (samples/ run in name order: they create, read, then delete). */
export function buildCollection(requests: readonly InvokeRequest[], options: { name: string; authMode: AuthMode }): PostmanCollection {
  return {
    info: {
      name: options.name,
      description: `The request files of samples/, in order, each checking its "expect". Authentication: ${options.authMode} (the stack's AuthMode). Generated by \`npx cli postman\`.`,
      schema: COLLECTION_SCHEMA,
    },
    auth: collectionAuth(options.authMode),
    item: requests.map(item),
  };
}

export function buildEnvironment(target: EnvironmentTarget, mode: AuthMode): PostmanEnvironment {
  const values: PostmanEnvironment['values'] = [
    { key: 'ApiEndpoint', value: target.apiEndpoint, type: 'default', enabled: true },
    { key: 'DynamoDBManagerUrl', value: target.rpcUrl, type: 'default', enabled: true },
  ];
  const secret = (key: string, value = '') => values.push({ key, value, type: 'secret', enabled: true });
  if (mode === 'API_KEY') secret('apiKey', target.apiKey);
  if (mode === 'COGNITO_USER_POOLS') secret('token', target.token);
  if (mode === 'AWS_IAM') {
    values.push({ key: 'awsRegion', value: target.region, type: 'default', enabled: true });
    secret('awsAccessKeyId', target.accessKeyId);
    secret('awsSecretAccessKey', target.secretAccessKey);
    secret('awsSessionToken');
  }
  return { name: target.name, values, _postman_variable_scope: 'environment' };
}
