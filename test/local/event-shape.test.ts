/**
 * The proxy event as a regression net, against two oracles no one here wrote: the type of the
 * event in `@types/aws-lambda` (type-checked with `strict`, so a missing field, an extra field or a
 * wrong type fails), and the fields of the event `sam local generate-event apigateway aws-proxy`
 * produces (aws/aws-sam-cli, samcli/lib/generated_sample_events/events/apigateway/AwsProxy.json),
 * which follows AWS's "Input format of a Lambda function for proxy integration"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format).
 * The events are the ones the real local stack hands the fixture's function.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/project', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The type errors of `const event: APIGatewayProxyEvent = <event>` under `strict`, one line each. */
function typeErrors(events: unknown[]): string[] {
  const file = join(ROOT, 'test', 'local', '__captured-events__.ts');
  const source = [
    "import type { APIGatewayEventIdentity, APIGatewayEventRequestContext, APIGatewayProxyEvent } from 'aws-lambda';",
    // The one known disagreement between the type and AWS: @types/aws-lambda declares
    // identity.apiKey and apiKeyId always present (string | null), while AWS leaves both out when
    // no key was used (LocalStack's AWS-validated test_apigateway_lambda.snapshot.json,
    // "invocation-payload-with-params-encoding-multi"), and the type lacks requestContext.deploymentId,
    // which every recorded event carries (same snapshot); the recordings win, the rest is checked as
    // typed. (authorizer is typed as a required key whose value may be undefined: in JSON, absent.)
    'type Identity = Omit<APIGatewayEventIdentity, "apiKey" | "apiKeyId"> & Partial<Pick<APIGatewayEventIdentity, "apiKey" | "apiKeyId">>;',
    'type Recorded = Omit<APIGatewayProxyEvent, "requestContext"> & { requestContext: Omit<APIGatewayEventRequestContext, "identity" | "authorizer"> & { identity: Identity; deploymentId: string; authorizer?: APIGatewayEventRequestContext["authorizer"] } };',
    ...events.map((event, i) => `export const event${i}: Recorded = ${JSON.stringify(event, null, 2)};`),
  ].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, ' ');
  });
}

/** Every key path of `value` down to `depth` levels of objects, e.g. `requestContext.identity.sourceIp`. */
function keyPaths(value: unknown, depth: number, prefix = ''): string[] {
  if (depth === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => [prefix + key, ...keyPaths(child, depth - 1, `${prefix}${key}.`)]);
}

/**
 * The fields of SAM's generated aws-proxy event (written out here, not copied): top level, then
 * requestContext and its identity. headers, query strings, path parameters and stage variables are
 * maps of the request's own names, so only their presence is compared.
 */
const SAM_FIELDS = [
  'body', 'resource', 'path', 'httpMethod', 'isBase64Encoded', 'queryStringParameters', 'multiValueQueryStringParameters',
  'pathParameters', 'stageVariables', 'headers', 'multiValueHeaders', 'requestContext',
  'requestContext.accountId', 'requestContext.resourceId', 'requestContext.stage', 'requestContext.requestId',
  'requestContext.requestTime', 'requestContext.requestTimeEpoch', 'requestContext.identity', 'requestContext.path',
  'requestContext.resourcePath', 'requestContext.httpMethod', 'requestContext.apiId', 'requestContext.protocol',
  'requestContext.identity.cognitoIdentityPoolId', 'requestContext.identity.accountId', 'requestContext.identity.cognitoIdentityId',
  'requestContext.identity.caller', 'requestContext.identity.accessKey', 'requestContext.identity.sourceIp',
  'requestContext.identity.cognitoAuthenticationType', 'requestContext.identity.cognitoAuthenticationProvider',
  'requestContext.identity.userArn', 'requestContext.identity.userAgent', 'requestContext.identity.user',
];

describe('cli/local/apigateway-event (the event against @types/aws-lambda and SAM\'s generated event)', () => {
  let stack: LocalStack;
  const events: Record<string, unknown>[] = [];

  before(async () => {
    stack = await startLocalStack({ root: FIXTURE, port: 0, reporter: createMemoryReporter(), concurrency: 1 });
    const requests: [string, RequestInit][] = [
      ['/echo?foo=bar&foo=baz&plus=a+b', { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': 'v' }, body: '{"a":1}' }],
      ['/echo', { method: 'GET' }],
      ['/items/a%20b', { method: 'DELETE', headers: { authorization: 'Bearer x' } }],
    ];
    for (const [path, init] of requests) {
      const res = await fetch(`${stack.endpoint}${path}`, init);
      expect(res.status, path).to.equal(200);
      events.push(((await res.json()) as { event: Record<string, unknown> }).event);
    }
  });
  after(() => stack?.stop());

  it('type-checks as APIGatewayProxyEvent under strict (no missing, extra or mistyped field)', function () {
    this.timeout(60_000);
    expect(typeErrors(events)).to.deep.equal([]);
  });

  it('fails the type check for a field of the wrong type, a field @types/aws-lambda does not know, and a missing one (the check can fail)', function () {
    this.timeout(60_000);
    const { body: _body, ...missingBody } = events[0]!;
    expect(typeErrors([{ ...events[0], httpMethod: 42 }]).join('\n')).to.match(/'number' is not assignable to type 'string'/);
    expect(typeErrors([{ ...events[0], notAField: true }]).join('\n')).to.match(/notAField/);
    expect(typeErrors([missingBody]).join('\n')).to.match(/'body' is missing/);
  });

  it("has every field of SAM's generated aws-proxy event, with the same JSON types where SAM's are not null", () => {
    for (const event of events) {
      const paths = new Set(keyPaths(event, 3));
      expect(SAM_FIELDS.filter((field) => !paths.has(field))).to.deep.equal([]);
      const ctx = event.requestContext as Record<string, unknown>;
      expect(ctx.requestTimeEpoch).to.be.a('number');
      expect(ctx.requestTime).to.match(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
      expect(ctx.protocol).to.equal('HTTP/1.1');
      expect(event.isBase64Encoded).to.be.a('boolean');
    }
  });
});
