/**
 * The part of the Velocity Template Language (VTL) that API Gateway mapping templates use for a
 * MOCK integration's answers: `#set`, `#if`/`#elseif`/`#else`/`#end`, references with
 * properties and method calls (`$input.params().header.get("Origin")`, `$list.contains($x)`),
 * string, number, boolean and list literals, `==`, `!=`, `!`, `&&`, `||`, and
 * `$context.responseOverride.header.<Name>` / `$context.responseOverride.status` as `#set`
 * targets. Anything else (#foreach, macros, arithmetic, `$util`, string interpolation) is refused
 * when the template is read, with its position, so a template the local stack cannot run is
 * never half-run.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 * https://velocity.apache.org/engine/1.7/user-guide.html
 * Parsing and evaluation are linear in the template's length.
 */

export class VelocityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VelocityError';
  }
}

type Expr =
  | { kind: 'literal'; value: Value }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'ref'; root: string; quiet: boolean; steps: Step[] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'binary'; op: '==' | '!=' | '&&' | '||'; left: Expr; right: Expr };

type Step = { name: string; args?: Expr[] };

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; ref: Extract<Expr, { kind: 'ref' }>; source: string }
  | { kind: 'set'; target: Extract<Expr, { kind: 'ref' }>; value: Expr }
  | { kind: 'if'; branches: { condition: Expr; body: Node[] }[]; otherwise: Node[] };

/** A value a template handles: Java's strings, numbers, booleans, null, lists and maps. */
export type Value = string | number | boolean | null | Value[] | ReadonlyMap<string, Value>;

/** What `$input.params()` holds: the method request's parameters by place, names as sent. */
export interface RequestParameters {
  path: ReadonlyMap<string, string>;
  querystring: ReadonlyMap<string, string>;
  header: ReadonlyMap<string, string>;
}

export interface VelocityResult {
  output: string;
  /** `$context.responseOverride.header.<Name>` set by the template, in order. */
  headerOverrides: [string, string][];
  /** `$context.responseOverride.status`, when set. */
  statusOverride?: number;
}

export interface VelocityTemplate {
  /** True when the template is text only (no directive, no reference): its output is its text. */
  readonly isStatic: boolean;
  render(params: RequestParameters, context?: ReadonlyMap<string, Value>): VelocityResult;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

/** The Java methods a template may call on a value (see `call`). */
const METHODS: ReadonlySet<string> = new Set(['get', 'contains', 'containsKey', 'size', 'length', 'isEmpty', 'equals', 'matches', 'startsWith', 'toLowerCase']);

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  private fail(why: string, at = this.pos): never {
    const line = this.src.slice(0, at).split('\n').length;
    const column = at - this.src.lastIndexOf('\n', at - 1);
    throw new VelocityError(`mapping template line ${line}, column ${column}: ${why}`);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (this.src.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected "${token}"`);
  }

  private ident(): string {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  /** Nodes until one of `stops` (a directive name) or the end; returns the stop met. */
  nodes(stops: readonly string[]): { body: Node[]; stop: string | undefined } {
    const body: Node[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') body.push({ kind: 'text', text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]!;
      if (ch === '#' && this.src[this.pos + 1] === '#') {
        // A line comment.
        const end = this.src.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.src.length : end + 1;
        continue;
      }
      if (ch === '#' && /[A-Za-z{]/.test(this.src[this.pos + 1] ?? '')) {
        const start = this.pos;
        this.pos++;
        const braced = this.src[this.pos] === '{';
        if (braced) this.pos++;
        const name = this.ident();
        if (braced && this.src[this.pos++] !== '}') this.fail('expected "}"', start);
        if (stops.includes(name)) {
          flush();
          return { body, stop: name };
        }
        flush();
        body.push(this.directive(name, start));
        continue;
      }
      if (ch === '$' && /[A-Za-z!{]/.test(this.src[this.pos + 1] ?? '')) {
        const start = this.pos;
        flush();
        const ref = this.reference();
        body.push({ kind: 'output', ref, source: this.src.slice(start, this.pos) });
        continue;
      }
      text += ch;
      this.pos++;
    }
    flush();
    return { body, stop: undefined };
  }

  private directive(name: string, start: number): Node {
    switch (name) {
      case 'set': {
        this.expect('(');
        this.skipSpace();
        if (this.src[this.pos] !== '$') this.fail('#set needs a reference to set');
        const target = this.reference();
        if (target.steps.some((s) => s.args)) this.fail('#set cannot set the result of a method call', start);
        const path = [target.root, ...target.steps.map((s) => s.name)];
        const override = path[0] === 'context' && path[1] === 'responseOverride';
        const allowed = path.length === 1 || (override && ((path[2] === 'header' && path.length === 4) || (path[2] === 'status' && path.length === 3)));
        if (!allowed || path[0] === 'input') this.fail(`#set of $${path.join('.')} is not emulated (a variable, $context.responseOverride.header.<Name> or $context.responseOverride.status)`, start);
        this.expect('=');
        const value = this.expression();
        this.expect(')');
        return { kind: 'set', target, value };
      }
      case 'if': {
        const branches: { condition: Expr; body: Node[] }[] = [];
        let otherwise: Node[] = [];
        let condition = this.condition();
        for (;;) {
          const { body, stop } = this.nodes(['elseif', 'else', 'end']);
          if (stop === undefined) this.fail('#if without #end', start);
          branches.push({ condition, body });
          if (stop === 'end') break;
          if (stop === 'elseif') {
            condition = this.condition();
            continue;
          }
          const rest = this.nodes(['end']);
          if (rest.stop === undefined) this.fail('#else without #end', start);
          otherwise = rest.body;
          break;
        }
        return { kind: 'if', branches, otherwise };
      }
      case 'elseif':
      case 'else':
      case 'end':
        return this.fail(`#${name} without #if`, start);
      default:
        return this.fail(`#${name} is not emulated by the local stack (it runs #set and #if/#elseif/#else/#end)`, start);
    }
  }

  private condition(): Expr {
    this.expect('(');
    const e = this.expression();
    this.expect(')');
    return e;
  }

  private expression(): Expr {
    let left = this.conjunction();
    while (this.eat('||')) left = { kind: 'binary', op: '||', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Expr {
    let left = this.comparison();
    while (this.eat('&&')) left = { kind: 'binary', op: '&&', left, right: this.comparison() };
    return left;
  }

  private comparison(): Expr {
    const left = this.unary();
    if (this.eat('==')) return { kind: 'binary', op: '==', left, right: this.unary() };
    if (this.eat('!=')) return { kind: 'binary', op: '!=', left, right: this.unary() };
    return left;
  }

  private unary(): Expr {
    this.skipSpace();
    if (this.src[this.pos] === '!' && this.src[this.pos + 1] !== '=') {
      this.pos++;
      return { kind: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === '$') return this.reference();
    if (ch === '"' || ch === "'") return { kind: 'literal', value: this.string(ch) };
    if (ch === '[') {
      this.pos++;
      const items: Expr[] = [];
      if (!this.eat(']')) {
        do items.push(this.expression());
        while (this.eat(','));
        this.expect(']');
      }
      return { kind: 'list', items };
    }
    if (ch === '(') {
      this.pos++;
      const e = this.expression();
      this.expect(')');
      return e;
    }
    const m = /-?\d+|true\b|false\b|null\b/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.src);
    if (found) {
      this.pos += found[0].length;
      const t = found[0];
      return { kind: 'literal', value: t === 'true' ? true : t === 'false' ? false : t === 'null' ? null : Number(t) };
    }
    return this.fail('expected a value (a reference, a string, a number, true, false or a list)');
  }

  private string(quote: string): string {
    const start = this.pos;
    this.pos++;
    const end = this.src.indexOf(quote, this.pos);
    if (end < 0) this.fail('unterminated string', start);
    const text = this.src.slice(this.pos, end);
    // Velocity interpolates references inside double quotes; the local stack does not.
    if (quote === '"' && /[$#]/.test(text)) this.fail('a reference or directive inside a "string" is not emulated; use single quotes or the reference itself', start);
    this.pos = end + 1;
    return text;
  }

  reference(): Extract<Expr, { kind: 'ref' }> {
    this.pos++; // $
    const quiet = this.src[this.pos] === '!';
    if (quiet) this.pos++;
    const braced = this.src[this.pos] === '{';
    if (braced) this.pos++;
    const root = this.ident();
    const steps: Step[] = [];
    while (this.src[this.pos] === '.' && /[A-Za-z_]/.test(this.src[this.pos + 1] ?? '')) {
      const at = this.pos;
      this.pos++;
      const name = this.ident();
      if (this.src[this.pos] === '(') {
        if (!METHODS.has(name) && !(root === 'input' && name === 'params' && steps.length === 0)) {
          this.fail(`.${name}() is not emulated (${[...METHODS].join(', ')} are)`, at);
        }
        this.pos++;
        const args: Expr[] = [];
        if (!this.eat(')')) {
          do args.push(this.expression());
          while (this.eat(','));
          this.expect(')');
        }
        steps.push({ name, args });
      } else {
        steps.push({ name });
      }
    }
    if (braced && this.src[this.pos++] !== '}') this.fail('expected "}"');
    return { kind: 'ref', root, quiet, steps };
  }
}

function truthy(v: Value | undefined): boolean {
  return v !== null && v !== undefined && v !== false;
}

function display(v: Value): string {
  if (v === null) return '';
  if (Array.isArray(v)) return `[${v.map(display).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${k}=${display(x)}`).join(', ')}}`;
  return String(v);
}

function equal(a: Value | undefined, b: Value | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return display(a) === display(b);
}

/** Java's String.matches: the whole string against the regular expression. */
function matches(s: string, pattern: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(s);
  } catch {
    throw new VelocityError(`.matches("${pattern}"): not a regular expression`);
  }
}

interface Scope {
  vars: Map<string, Value>;
  params: RequestParameters;
  context: ReadonlyMap<string, Value>;
  result: VelocityResult;
}

function call(target: Value | undefined, step: Step, args: Value[], where: string): Value {
  const arg = (i: number) => args[i] ?? null;
  switch (step.name) {
    case 'get':
      if (target instanceof Map) return target.get(display(arg(0))) ?? null;
      if (Array.isArray(target)) return target[Number(arg(0))] ?? null;
      break;
    case 'contains':
      if (Array.isArray(target)) return target.some((x) => equal(x, arg(0)));
      if (typeof target === 'string') return arg(0) !== null && target.includes(display(arg(0)));
      if (target instanceof Map) return false;
      break;
    case 'containsKey':
      if (target instanceof Map) return target.has(display(arg(0)));
      break;
    case 'size':
    case 'length':
      if (Array.isArray(target)) return target.length;
      if (typeof target === 'string') return target.length;
      if (target instanceof Map) return target.size;
      break;
    case 'isEmpty':
      if (Array.isArray(target) || typeof target === 'string') return target.length === 0;
      if (target instanceof Map) return target.size === 0;
      break;
    case 'equals':
      return equal(target, arg(0));
    case 'matches':
      if (typeof target === 'string') return matches(target, display(arg(0)));
      break;
    case 'startsWith':
      if (typeof target === 'string') return target.startsWith(display(arg(0)));
      break;
    case 'toLowerCase':
      if (typeof target === 'string') return target.toLowerCase();
      break;
  }
  // Velocity leaves a call it cannot make unrendered (null): the same here, without guessing.
  if (target === null || target === undefined) return null;
  throw new VelocityError(`${where}: .${step.name}() on ${Array.isArray(target) ? 'a list' : target instanceof Map ? 'a map' : typeof target} is not emulated`);
}

function paramsValue(params: RequestParameters, name?: Value): Value {
  if (name === undefined) {
    return new Map<string, Value>([
      ['path', params.path],
      ['querystring', params.querystring],
      ['header', params.header],
    ]);
  }
  // "searched in that order": path, query string, header.
  const key = display(name);
  return params.path.get(key) ?? params.querystring.get(key) ?? params.header.get(key) ?? '';
}

function evaluate(e: Expr, scope: Scope): Value {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'list':
      return e.items.map((i) => evaluate(i, scope));
    case 'not':
      return !truthy(evaluate(e.operand, scope));
    case 'binary': {
      if (e.op === '&&') return truthy(evaluate(e.left, scope)) && truthy(evaluate(e.right, scope));
      if (e.op === '||') return truthy(evaluate(e.left, scope)) || truthy(evaluate(e.right, scope));
      const same = equal(evaluate(e.left, scope), evaluate(e.right, scope));
      return e.op === '==' ? same : !same;
    }
    case 'ref':
      return reference(e, scope);
  }
}

function reference(e: Extract<Expr, { kind: 'ref' }>, scope: Scope): Value {
  const where = `$${[e.root, ...e.steps.map((s) => s.name)].join('.')}`;
  let value: Value | undefined;
  let steps = e.steps;
  if (e.root === 'input') {
    const [first, ...rest] = steps;
    if (first?.name !== 'params' || !first.args || first.args.length > 1) throw new VelocityError(`${where}: only $input.params() and $input.params('name') are emulated`);
    value = paramsValue(scope.params, first.args[0] === undefined ? undefined : evaluate(first.args[0], scope));
    steps = rest;
  } else if (e.root === 'context') {
    value = scope.context;
  } else {
    value = scope.vars.get(e.root);
  }
  for (const step of steps) {
    if (step.args) value = call(value ?? null, step, step.args.map((a) => evaluate(a, scope)), where);
    else value = value instanceof Map ? value.get(step.name) : undefined;
    if (value === undefined) return null;
  }
  return value ?? null;
}

function run(nodes: readonly Node[], scope: Scope): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        scope.result.output += node.text;
        break;
      case 'output': {
        const v = reference(node.ref, scope);
        // Velocity renders a null reference as its own text, or nothing for the quiet $!ref.
        scope.result.output += v === null ? (node.ref.quiet ? '' : node.source) : display(v);
        break;
      }
      case 'set': {
        const v = evaluate(node.value, scope);
        const path = node.target.steps.map((s) => s.name);
        if (node.target.root !== 'context') scope.vars.set(node.target.root, v);
        else if (path[1] === 'status') {
          const status = Number(display(v));
          if (Number.isInteger(status)) scope.result.statusOverride = status;
        } else if (v !== null) scope.result.headerOverrides.push([path[2]!, display(v)]);
        break;
      }
      case 'if': {
        const taken = node.branches.find((b) => truthy(evaluate(b.condition, scope)));
        run(taken ? taken.body : node.otherwise, scope);
        break;
      }
    }
  }
}

/** Parses `source` now (a VelocityError names what is not emulated, and where) and renders it on demand. */
export function parseVelocity(source: string): VelocityTemplate {
  const parser = new Parser(source);
  const { body } = parser.nodes([]);
  const isStatic = body.every((n) => n.kind === 'text');
  return {
    isStatic,
    render(params, context = new Map()) {
      const result: VelocityResult = { output: '', headerOverrides: [] };
      run(body, { vars: new Map(), params, context, result });
      return result;
    },
  };
}
