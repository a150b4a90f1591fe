/**
 * Resolves the intrinsic functions of a CloudFormation template the way CloudFormation does at
 * deploy time, for the local stack: parameters (defaults and overrides, checked by
 * cli/template/parameters.ts as `cli deploy` checks them), pseudo parameters, Conditions, Ref,
 * Fn::Sub, Fn::GetAtt, Fn::Join, Fn::If, Fn::Equals/Not/And/Or, Fn::Select, Fn::Split,
 * Fn::FindInMap and Fn::Base64.
 *
 * Resolution is lazy: only the values the emulator needs are resolved, so a template may use
 * functions the local stack cannot honour (Fn::ImportValue, ...) in places it never reads. When
 * it does need one, it throws UnsupportedTemplateError naming the function and where it is.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { UsageError } from '../errors.js';
import { isSsmType, resolveParameters, type ParameterValue } from '../template/parameters.js';
import type { CfnTemplate } from '../template/cfn-template.js';

/** The template asks for something the local stack cannot emulate. */
export class UnsupportedTemplateError extends UsageError {
  constructor(message: string, options: { details?: readonly string[] } = {}) {
    super(message, options);
    this.name = 'UnsupportedTemplateError';
  }
}

/** The template (or a parameter value) is wrong in a way CloudFormation would reject too. */
export class TemplateError extends UsageError {
  constructor(message: string, options: { details?: readonly string[] } = {}) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

export interface PseudoParameters {
  region: string;
  accountId: string;
  partition: string;
  urlSuffix: string;
  stackName: string;
  stackId: string;
}

/**
 * What `Ref` and `Fn::GetAtt` of a resource return, by its type (cli/local/resources/). The
 * resolver passes itself: a physical id may be made from the resource's own properties.
 */
export interface ResourceResolver {
  ref(logicalId: string, resolver: TemplateResolver): string;
  getAtt(logicalId: string, attribute: string, path: string, resolver: TemplateResolver): unknown;
}

export const SUPPORTED_FUNCTIONS = [
  'Ref',
  'Fn::Sub',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::If',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::Select',
  'Fn::Split',
  'Fn::FindInMap',
  'Fn::Base64',
] as const;

/** `Ref: AWS::NoValue` removes the property (or list element) that holds it. */
const NO_VALUE = Symbol('AWS::NoValue');

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html */
const PSEUDO_PARAMETERS: Readonly<Record<string, (pseudo: PseudoParameters) => unknown>> = {
  'AWS::Region': (p) => p.region,
  'AWS::AccountId': (p) => p.accountId,
  'AWS::Partition': (p) => p.partition,
  'AWS::URLSuffix': (p) => p.urlSuffix,
  'AWS::StackName': (p) => p.stackName,
  'AWS::StackId': (p) => p.stackId,
  'AWS::NoValue': () => NO_VALUE,
  'AWS::NotificationARNs': () => [],
};

export interface ResolverOptions {
  template: CfnTemplate;
  /** Shown in error messages (the template's path). */
  file: string;
  pseudo: PseudoParameters;
  resources: ResourceResolver;
  overrides?: Record<string, string>;
  /** Line and column of a template path, to point error messages at the source. */
  locate?(path: readonly (string | number)[]): { line: number; column: number } | undefined;
}

/** `Resources.Fn.Properties.Layers[0]` -> ['Resources', 'Fn', 'Properties', 'Layers', 0] */
export function splitPath(path: string): (string | number)[] {
  return (path.match(/\[\d+\]|[^.[\]]+/g) ?? []).map((p) => (p.startsWith('[') ? Number(p.slice(1, -1)) : p));
}

export class TemplateResolver {
  readonly template: CfnTemplate;
  readonly file: string;
  readonly pseudo: PseudoParameters;
  private readonly locate: ResolverOptions['locate'];
  private readonly resources: ResourceResolver;
  private readonly parameters = new Map<string, ParameterValue | undefined>();
  private readonly conditions = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();
  private readonly physicalIds = new Map<string, string>();
  private readonly naming = new Set<string>();

  constructor(options: ResolverOptions) {
    this.template = options.template;
    this.file = options.file;
    this.pseudo = options.pseudo;
    this.locate = options.locate;
    this.resources = options.resources;
    const declared = options.template.Parameters ?? {};
    const overrides = options.overrides ?? {};
    for (const [name, spec] of Object.entries(declared)) {
      // Only a parameter with a value needs one from SSM; one without stays unresolved (lazy).
      if (isSsmType(spec.Type) && (Object.hasOwn(overrides, name) || spec.Default !== undefined)) {
        throw new UnsupportedTemplateError(
          `parameter ${name} has type ${spec.Type}: the local stack cannot read SSM parameters; pass --parameter-overrides ${name}=VALUE with a String parameter instead`,
        );
      }
    }
    const { values } = resolveParameters(declared, [{ name: '--parameter-overrides', values: overrides }]);
    for (const [name, value] of values) this.parameters.set(name, value);
  }

  /** The parameter values in effect (those with a value), for the banner and tests. */
  parameterValues(): Record<string, ParameterValue> {
    const out: Record<string, ParameterValue> = {};
    for (const [k, v] of this.parameters) if (v !== undefined) out[k] = v;
    return out;
  }

  /** A resource is part of the stack unless its Condition is false. */
  resourceExists(logicalId: string): boolean {
    const resource = this.template.Resources[logicalId];
    if (!resource) return false;
    return resource.Condition === undefined || this.condition(resource.Condition, `Resources.${logicalId}.Condition`);
  }

  /** Resource logical ids of `type` that exist (their Condition, if any, is true). */
  resourcesOfType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([id, r]) => r.Type === type && this.resourceExists(id))
      .map(([id]) => id);
  }

  condition(name: string, path: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new TemplateError(`${this.where(path)}: condition ${name} is not defined in Conditions`);
    if (this.evaluating.has(name)) throw new TemplateError(`${this.where(path)}: condition ${name} refers to itself`);
    this.evaluating.add(name);
    try {
      const value = this.conditionValue(definition, `Conditions.${name}`);
      this.conditions.set(name, value);
      return value;
    } finally {
      this.evaluating.delete(name);
    }
  }

  /** What `Ref` of a resource returns, made once (a name may refer to other resources, not to itself). */
  physicalId(logicalId: string): string {
    const known = this.physicalIds.get(logicalId);
    if (known !== undefined) return known;
    if (this.naming.has(logicalId)) throw new TemplateError(`${this.where(`Resources.${logicalId}`)}: its name refers to itself`);
    this.naming.add(logicalId);
    try {
      const value = this.resources.ref(logicalId, this);
      this.physicalIds.set(logicalId, value);
      return value;
    } finally {
      this.naming.delete(logicalId);
    }
  }

  /** `Resources.<id>.Properties.<name>`, resolved; undefined when the template leaves it out. */
  property(logicalId: string, name: string): unknown {
    const value = this.template.Resources[logicalId]!.Properties?.[name];
    return value === undefined ? undefined : this.resolve(value, `Resources.${logicalId}.Properties.${name}`);
  }

  /** A property that must be a string, or undefined when the template leaves it out. */
  propertyString(logicalId: string, name: string): string | undefined {
    const value = this.template.Resources[logicalId]!.Properties?.[name];
    return value === undefined ? undefined : this.resolveString(value, `Resources.${logicalId}.Properties.${name}`);
  }

  /** Resolves every intrinsic in `value`; `path` (e.g. `Resources.Function.Properties.Timeout`) locates it for errors. */
  resolve(value: unknown, path: string): unknown {
    const out = this.resolveValue(value, path);
    return out === NO_VALUE ? undefined : out;
  }

  /** Resolves and requires a string (numbers and booleans are converted, as CloudFormation does). */
  resolveString(value: unknown, path: string): string {
    const out = this.resolve(value, path);
    if (typeof out === 'string') return out;
    if (typeof out === 'number' || typeof out === 'boolean') return String(out);
    throw new TemplateError(`${this.where(path)}: expected a string, got ${describe(out)}`);
  }

  /** `infra/cfn/template.yaml:42:7: Resources.Fn.Properties.Timeout` */
  where(path: string): string {
    // Try the path as written, then without its trailing intrinsic keys (the parser may omit them).
    let parts = splitPath(path);
    while (parts.length > 0) {
      const at = this.locate?.(parts);
      if (at) return `${this.file}:${at.line}:${at.column}: ${path}`;
      const last = parts[parts.length - 1];
      if (typeof last === 'string' && (last === 'Ref' || last.startsWith('Fn::'))) parts = parts.slice(0, -1);
      else break;
    }
    return `${this.file}: ${path}`;
  }

  private conditionValue(value: unknown, path: string): boolean {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === 'Condition') {
        const name = (value as { Condition: unknown }).Condition;
        if (typeof name !== 'string') throw new TemplateError(`${this.where(path)}: Condition must name a condition`);
        return this.condition(name, path);
      }
    }
    const out = this.resolveValue(value, path);
    if (typeof out === 'boolean') return out;
    if (out === 'true' || out === 'false') return out === 'true';
    throw new TemplateError(`${this.where(path)}: a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition; got ${describe(out)}`);
  }

  private resolveValue(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, i) => {
        const r = this.resolveValue(item, `${path}[${i}]`);
        if (r !== NO_VALUE) out.push(r);
      });
      return out;
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
      return this.intrinsic(keys[0]!, (value as Record<string, unknown>)[keys[0]!], `${path}.${keys[0]}`);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const r = this.resolveValue((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (r !== NO_VALUE) out[key] = r;
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown, path: string): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(arg, path);
      case 'Fn::Sub':
        return this.sub(arg, path);
      case 'Fn::GetAtt':
        return this.getAtt(arg, path);
      case 'Fn::Join': {
        const [delimiter, list] = this.args(arg, 2, fn, path);
        const items = this.resolveValue(list, `${path}[1]`);
        if (typeof delimiter !== 'string' || !Array.isArray(items)) throw new TemplateError(`${this.where(path)}: expects [delimiter, [values...]]`);
        return items.map((v, i) => this.scalar(v, `${path}[1][${i}]`)).join(delimiter);
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = this.args(arg, 3, fn, path);
        if (typeof name !== 'string') throw new TemplateError(`${this.where(path)}: the first element must name a condition`);
        return this.condition(name, path) ? this.resolveValue(whenTrue, `${path}[1]`) : this.resolveValue(whenFalse, `${path}[2]`);
      }
      case 'Fn::Equals': {
        const [a, b] = this.args(arg, 2, fn, path);
        return comparable(this.resolveValue(a, `${path}[0]`)) === comparable(this.resolveValue(b, `${path}[1]`));
      }
      case 'Fn::Not': {
        const [a] = this.args(arg, 1, fn, path);
        return !this.conditionValue(a, `${path}[0]`);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) throw new TemplateError(`${this.where(path)}: expects 2 to 10 conditions`);
        const values = arg.map((c, i) => this.conditionValue(c, `${path}[${i}]`));
        return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      case 'Fn::Select': {
        const [index, list] = this.args(arg, 2, fn, path);
        const i = Number(this.resolveValue(index, `${path}[0]`));
        const items = this.resolveValue(list, `${path}[1]`);
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          throw new TemplateError(`${this.where(path)}: index ${i} is out of range for ${describe(items)}`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.args(arg, 2, fn, path);
        const s = this.resolveValue(source, `${path}[1]`);
        if (typeof delimiter !== 'string' || typeof s !== 'string') throw new TemplateError(`${this.where(path)}: expects [delimiter, string]`);
        return s.split(delimiter);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = this.args(arg, 3, fn, path).map((v, i) => this.scalar(this.resolveValue(v, `${path}[${i}]`), `${path}[${i}]`));
        const found = this.template.Mappings?.[map!]?.[top!]?.[second!];
        if (found === undefined) throw new TemplateError(`${this.where(path)}: Mappings.${map}.${top}.${second} does not exist`);
        return found;
      }
      case 'Fn::Base64':
        return Buffer.from(this.scalar(this.resolveValue(arg, path), path)).toString('base64');
      default:
        throw new UnsupportedTemplateError(`${this.where(path)}: ${fn} is not supported by the local stack`, {
          details: [`supported: ${SUPPORTED_FUNCTIONS.join(', ')}`],
        });
    }
  }

  private args(arg: unknown, count: number, fn: string, path: string): unknown[] {
    if (!Array.isArray(arg) || arg.length !== count) {
      throw new TemplateError(`${this.where(path)}: ${fn} expects a list of ${count} element${count === 1 ? '' : 's'}`);
    }
    return arg;
  }

  private scalar(value: unknown, path: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new TemplateError(`${this.where(path)}: expected a string, got ${describe(value)}`);
  }

  private ref(name: unknown, path: string): unknown {
    if (typeof name !== 'string') throw new TemplateError(`${this.where(path)}: Ref takes a name`);
    if (Object.hasOwn(PSEUDO_PARAMETERS, name)) return PSEUDO_PARAMETERS[name]!(this.pseudo);
    if (name.startsWith('AWS::')) throw new UnsupportedTemplateError(`${this.where(path)}: pseudo parameter ${name} is not supported by the local stack`);
    if (this.parameters.has(name)) {
      const value = this.parameters.get(name);
      if (value === undefined) {
        throw new UsageError(`${this.where(path)}: parameter ${name} has no Default and the local stack needs it here`, {
          details: [`pass it: --parameter-overrides ${name}=VALUE`],
        });
      }
      return value;
    }
    if (this.template.Resources[name]) {
      if (!this.resourceExists(name)) {
        throw new TemplateError(`${this.where(path)}: Ref ${name}, whose Condition ${this.template.Resources[name]!.Condition} is false`);
      }
      return this.physicalId(name);
    }
    throw new TemplateError(`${this.where(path)}: Ref ${name} names no parameter, pseudo parameter or resource`);
  }

  private getAtt(arg: unknown, path: string): unknown {
    let parts: unknown[];
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      parts = dot < 0 ? [arg] : [arg.slice(0, dot), arg.slice(dot + 1)];
    } else if (Array.isArray(arg)) {
      parts = arg;
    } else {
      throw new TemplateError(`${this.where(path)}: Fn::GetAtt expects [resource, attribute]`);
    }
    if (parts.length !== 2) throw new TemplateError(`${this.where(path)}: Fn::GetAtt expects [resource, attribute]`);
    const id = parts[0];
    const attribute = this.resolveValue(parts[1], `${path}[1]`);
    if (typeof id !== 'string' || typeof attribute !== 'string') throw new TemplateError(`${this.where(path)}: Fn::GetAtt expects [resource, attribute]`);
    if (!this.template.Resources[id]) throw new TemplateError(`${this.where(path)}: Fn::GetAtt ${id}.${attribute}: no resource ${id}`);
    if (!this.resourceExists(id)) throw new TemplateError(`${this.where(path)}: Fn::GetAtt ${id}.${attribute}, whose Condition is false`);
    return this.resources.getAtt(id, attribute, path, this);
  }

  private sub(arg: unknown, path: string): string {
    let text: unknown;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || arg[1] === null || typeof arg[1] !== 'object') throw new TemplateError(`${this.where(path)}: Fn::Sub expects a string or [string, {variables}]`);
      [text, variables] = arg as [unknown, Record<string, unknown>];
    } else {
      text = arg;
    }
    if (typeof text !== 'string') throw new TemplateError(`${this.where(path)}: Fn::Sub expects a string`);
    return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      // `${!Literal}` writes `${Literal}`.
      if (inner.startsWith('!')) return '${' + inner.slice(1) + '}';
      const name = inner.trim();
      if (name in variables) return this.scalar(this.resolveValue(variables[name], `${path}[1].${name}`), `${path}[1].${name}`);
      const dot = name.indexOf('.');
      const value = dot > 0 && !name.startsWith('AWS::') ? this.getAtt([name.slice(0, dot), name.slice(dot + 1)], path) : this.ref(name, path);
      if (value === NO_VALUE) throw new TemplateError(`${this.where(path)}: \${${name}} is AWS::NoValue`);
      return this.scalar(value, path);
    });
  }
}

function comparable(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list (${JSON.stringify(value).slice(0, 60)})`;
  if (typeof value === 'object') return `an object (${JSON.stringify(value).slice(0, 60)})`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
