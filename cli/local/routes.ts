/**
 * API Gateway (REST) route matching: a request path against the API's resource tree. The most
 * specific resource wins (a literal segment beats `{param}`, which beats `{proxy+}`), and a method
 * matches exactly or through `ANY`. Path parameters stay percent-encoded, as REST APIs pass them
 * (HTTP APIs decode them; REST APIs do not: `/items/a%20b` gives `{"id": "a%20b"}`). Pure.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 */
import type { LocalRoute } from './stack-model.js';

export interface RouteMatch {
  route: LocalRoute;
  /** Path parameters as received (percent-encoded), or null when the resource has none. */
  pathParameters: Record<string, string> | null;
}

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface Resource {
  path: string;
  segments: Segment[];
  methods: Map<string, LocalRoute>;
}

function parseResourcePath(path: string): Segment[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s): Segment => {
      const greedy = /^\{(.+)\+\}$/.exec(s);
      if (greedy) return { kind: 'greedy', name: greedy[1]! };
      const param = /^\{(.+)\}$/.exec(s);
      if (param) return { kind: 'param', name: param[1]! };
      return { kind: 'literal', value: s };
    });
}

const RANK = { literal: 0, param: 1, greedy: 2 } as const;

/** Negative when `a` is more specific than `b`. */
function compareSpecificity(a: Resource, b: Resource): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return (y ? 1 : 0) - (x ? 1 : 0);
    const d = RANK[x.kind] - RANK[y.kind];
    if (d !== 0) return d;
  }
  return 0;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The non-empty segments of a path, each with where it starts (`//a//b/` -> a at 2, b at 5). */
function splitPath(path: string): { parts: string[]; starts: number[] } {
  const parts: string[] = [];
  const starts: number[] = [];
  const re = /[^/]+/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    parts.push(m[0]);
    starts.push(m.index);
  }
  return { parts, starts };
}

function matchSegments(segments: readonly Segment[], path: string, { parts, starts }: ReturnType<typeof splitPath>): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === 'greedy') {
      // A greedy parameter matches one or more remaining segments; AWS keeps an inner `//` in it
      // and drops a trailing `/` (LocalStack's AWS-validated test_apigateway_lambda.snapshot.json,
      // "invocation-payload-with-double-slash", "invocation-payload-with-trailing-slash").
      if (i >= parts.length) return undefined;
      params[seg.name] = path.slice(starts[i]).replace(/\/+$/, '');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.kind === 'literal') {
      if (seg.value !== part && seg.value !== safeDecode(part)) return undefined;
    } else {
      params[seg.name] = part;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

/** A method of a resource, as the terminal lists it: `{ method: 'GET', path: '/items/{id}' }`. */
export interface RouteDescription {
  /** Upper case, or `ANY`. */
  method: string;
  /** The resource path, e.g. `/items/{id}`. */
  path: string;
}

export interface RouteTable {
  /** `path` is the part after the stage (`/items/42`), still percent-encoded. */
  match(method: string, path: string): RouteMatch | undefined;
  /** Every method of every resource, by resource path then method. */
  describe(): RouteDescription[];
}

/** `GET    /dev/items/{id}`: the method padded to a column, the resource path under `base` (`/dev`, or an API URL). */
export function formatRoute(route: RouteDescription, base: string): string {
  return `${route.method.padEnd(6)} ${base}${route.path === '/' ? '' : route.path}`;
}

export function createRouteTable(routes: readonly LocalRoute[]): RouteTable {
  const byPath = new Map<string, Resource>();
  for (const route of routes) {
    let resource = byPath.get(route.resourcePath);
    if (!resource) {
      resource = { path: route.resourcePath, segments: parseResourcePath(route.resourcePath), methods: new Map() };
      byPath.set(route.resourcePath, resource);
    }
    resource.methods.set(route.httpMethod, route);
  }
  const resources = [...byPath.values()].sort(compareSpecificity);
  return {
    match(method, path) {
      const split = splitPath(path);
      for (const resource of resources) {
        const params = matchSegments(resource.segments, path, split);
        if (!params) continue;
        const route = resource.methods.get(method.toUpperCase()) ?? resource.methods.get('ANY');
        if (!route) continue;
        return { route, pathParameters: Object.keys(params).length === 0 ? null : params };
      }
      return undefined;
    },
    describe() {
      return [...byPath.values()]
        .sort((a, b) => a.path.localeCompare(b.path))
        .flatMap((r) => [...r.methods.keys()].sort().map((method) => ({ method, path: r.path })));
    },
  };
}
