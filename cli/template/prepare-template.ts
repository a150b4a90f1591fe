/**
 * Makes the template deployable as an update, not only as a first create.
 *
 * An AWS::ApiGateway::Deployment is a snapshot of the API's routes taken when it is created;
 * CloudFormation does not create a new one when a Method or Resource changes, so the stage
 * would keep serving the old routes. Like SAM (which suffixes the logical id with a hash of
 * the API definition), prepareTemplate renames every Deployment to `<id><hash>`, where the hash
 * covers everything the snapshot captures: the RestApi and its Resources, Methods, Models,
 * Authorizers, RequestValidators, GatewayResponses, the Deployment's own definition, and the
 * values of the parameters those use (directly or through Conditions - `ApiKeyRequired` flips
 * every method's ApiKeyRequired through `!If`). Changed API -> new logical id -> CloudFormation
 * creates a new Deployment, points the Stage at it and deletes the old one. Unchanged API ->
 * same id -> nothing happens.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-deployment.html
 */
import { createHash } from 'node:crypto';
import { isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { CfnTemplate, TemplateValue } from './cfn-template.js';
import { parseTemplate } from './read-template.js';

export interface PreparedTemplate {
  /** The template text to deploy: the source with each Deployment renamed (comments kept). */
  text: string;
  /** The new logical id of the (first) Deployment, e.g. `ApiDeployment1a2b3c4d5e`; undefined when there is none. */
  deploymentId: string | undefined;
  /** Every rename made: source logical id -> deployed logical id, with the hash. */
  deployments: { from: string; to: string; hash: string }[];
  /** The AWS::Lambda::Version renames, likewise (see versionHash). */
  versions: { from: string; to: string; hash: string }[];
}

export interface PrepareOptions {
  /** Parameter values the stack is deployed with; a parameter not given counts with its Default. */
  parameters?: Readonly<Record<string, string>>;
  /** Names the source in parse errors. */
  file?: string;
}

/** Resource types whose definition is part of what a Deployment snapshots. */
const API_DEFINITION_TYPES = new Set([
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::DocumentationPart',
]);

const HASH_LENGTH = 10;

export function prepareTemplate(text: string, options: PrepareOptions = {}): PreparedTemplate {
  const template = parseTemplate(text, { file: options.file });
  const renames = new Map<string, string>();
  const deployments: PreparedTemplate['deployments'] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Deployment') continue;
    const hash = deploymentHash(template, id, options.parameters ?? {});
    const to = `${id}${hash}`;
    renames.set(id, to);
    deployments.push({ from: id, to, hash });
  }
  const versions: PreparedTemplate['versions'] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Version') continue;
    const hash = versionHash(template, id, options.parameters ?? {});
    renames.set(id, `${id}${hash}`);
    versions.push({ from: id, to: `${id}${hash}`, hash });
  }
  if (renames.size === 0) return { text, deploymentId: undefined, deployments, versions };
  return { text: renameLogicalIds(text, renames), deploymentId: deployments[0]?.to, deployments, versions };
}

/**
 * An AWS::Lambda::Version is published once, when it is created: a new version of the function
 * needs a new logical id. The hash covers what a version captures (the function's code and
 * configuration: its definition and the values of the parameters it uses, ArtifactKey among
 * them) and the Version's own definition.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
 */
export function versionHash(template: CfnTemplate, versionId: string, parameters: Readonly<Record<string, string>>): string {
  const version = template.Resources[versionId];
  if (!version) throw new Error(`no resource ${versionId}`);
  const functionId = refName(version.Properties?.FunctionName);
  const included: Record<string, TemplateValue> = { [versionId]: stripUndefined(version) };
  const fn = functionId === undefined ? undefined : template.Resources[functionId];
  if (functionId !== undefined && fn) included[functionId] = stripUndefined(fn);
  return hashOf(template, included, parameters);
}

function hashOf(template: CfnTemplate, included: Record<string, TemplateValue>, parameters: Readonly<Record<string, string>>): string {
  const params: Record<string, string> = {};
  for (const name of [...parametersUsed(template, Object.values(included))].sort()) {
    const given = parameters[name];
    const fallback = template.Parameters?.[name]?.Default;
    params[name] = given ?? (fallback === undefined ? '' : String(fallback));
  }
  return createHash('sha256').update(canonicalJson({ resources: included, parameters: params })).digest('hex').slice(0, HASH_LENGTH);
}

/** The hash of everything the Deployment `deploymentId` snapshots (see the module comment). */
export function deploymentHash(template: CfnTemplate, deploymentId: string, parameters: Readonly<Record<string, string>>): string {
  const deployment = template.Resources[deploymentId];
  if (!deployment) throw new Error(`no resource ${deploymentId}`);
  const apiId = refName(deployment.Properties?.RestApiId);
  const included: Record<string, TemplateValue> = { [deploymentId]: stripUndefined(deployment) };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const belongs = apiId !== undefined && (id === apiId || (API_DEFINITION_TYPES.has(resource.Type) && refName(resource.Properties?.RestApiId) === apiId));
    if (belongs) included[id] = stripUndefined(resource);
  }
  return hashOf(template, included, parameters);
}

/** Parameters referenced by `values`, following Fn::If / Condition into the Conditions section. */
function parametersUsed(template: CfnTemplate, values: TemplateValue[]): Set<string> {
  const parameterNames = new Set(Object.keys(template.Parameters ?? {}));
  const found = new Set<string>();
  const seenConditions = new Set<string>();
  const visitCondition = (name: unknown) => {
    if (typeof name !== 'string' || seenConditions.has(name)) return;
    seenConditions.add(name);
    walk(template.Conditions?.[name] ?? null);
  };
  const walk = (value: TemplateValue): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string' && parameterNames.has(inner)) found.add(inner);
      if (key === 'Condition') visitCondition(inner);
      if (key === 'Fn::If' && Array.isArray(inner)) visitCondition(inner[0]);
      if (key === 'Fn::Sub') {
        const body = Array.isArray(inner) ? inner[0] : inner;
        if (typeof body === 'string') for (const name of subReferences(body)) if (parameterNames.has(name)) found.add(name);
      }
      walk(inner);
    }
  };
  values.forEach(walk);
  return found;
}

/** Names referenced as `${Name}` or `${Name.Attr}` in an Fn::Sub string (`${!Literal}` excluded). */
export function subReferences(body: string): string[] {
  return [...body.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => (m[1] ?? '').split('.')[0] ?? '');
}

/**
 * Renames logical ids in the template text: the Resources key and every reference (Ref,
 * Fn::GetAtt, ${...} in Fn::Sub, DependsOn) in long or short form. Edits are made in place in
 * the source text, so comments, quoting and layout stay exactly as written.
 */
export function renameLogicalIds(text: string, renames: ReadonlyMap<string, string>): string {
  const doc = parseDocument(text);
  const edits: { start: number; end: number; replace: (source: string) => string }[] = [];
  const idPattern = (id: string) => new RegExp(`(?<![A-Za-z0-9])${id}(?![A-Za-z0-9])`);
  const edit = (node: unknown, kind: 'id' | 'getatt' | 'sub') => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    if (edits.some((e) => e.start === node.range?.[0])) return;
    const value = node.value;
    const [start, end] = node.range;
    if (kind === 'id' && renames.has(value)) {
      const to = renames.get(value) as string;
      edits.push({ start, end, replace: (src) => src.replace(idPattern(value), to) });
    } else if (kind === 'getatt') {
      const head = value.split('.')[0] ?? '';
      const to = renames.get(head);
      if (to !== undefined) edits.push({ start, end, replace: (src) => src.replace(idPattern(head), to) });
    } else if (kind === 'sub' && subReferences(value).some((name) => renames.has(name))) {
      edits.push({
        start,
        end,
        replace: (src) =>
          src.replace(/\$\{([^!}][^}.]*)(\.[^}]*)?\}/g, (all, name: string, attr: string | undefined) =>
            renames.has(name) ? `\${${renames.get(name)}${attr ?? ''}}` : all,
          ),
      });
    }
  };
  const editIn = (node: unknown, fn: string) => {
    if (fn === 'Ref') edit(node, 'id');
    else if (fn === 'DependsOn') {
      if (isSeq(node)) node.items.forEach((item) => edit(item, 'id'));
      else edit(node, 'id');
    } else if (fn === 'Fn::GetAtt') {
      if (isSeq(node)) edit(node.items[0], 'id');
      else edit(node, 'getatt');
    } else if (fn === 'Fn::Sub') {
      edit(isSeq(node) ? node.items[0] : node, 'sub');
    }
  };
  const resources = doc.get('Resources', true);
  if (isMap(resources)) for (const pair of resources.items) edit(pair.key, 'id');
  const tagToFn: Record<string, string> = { '!Ref': 'Ref', '!GetAtt': 'Fn::GetAtt', '!Sub': 'Fn::Sub' };
  visit(doc, {
    Node(_key, node) {
      const fn = node.tag ? tagToFn[node.tag] : undefined;
      if (fn) editIn(node, fn);
    },
    Pair(_key, pair) {
      if (isPair(pair) && isScalar(pair.key) && typeof pair.key.value === 'string') editIn(pair.value, pair.key.value);
    },
  });
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.replace(out.slice(e.start, e.end)) + out.slice(e.end);
  return out;
}

function refName(value: TemplateValue | undefined): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.Ref === 'string') return value.Ref;
  return undefined;
}

function stripUndefined(value: object): TemplateValue {
  return JSON.parse(JSON.stringify(value)) as TemplateValue;
}

/** JSON with object keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
