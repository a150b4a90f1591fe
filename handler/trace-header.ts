/**
 * The X-Ray trace header of the current request: `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 *
 * In Lambda it is the environment variable `_X_AMZN_TRACE_ID`, which "changes with each invocation"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime);
 * API Gateway also forwards it to the integration as the `X-Amzn-Trace-Id` header when the stage
 * traces (https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html).
 */
export interface TraceHeader {
  /** `1-<8 hex epoch seconds>-<24 hex>` */
  root: string;
  /** The segment the function's subsegments belong to (Lambda's function segment). */
  parent?: string;
  sampled: boolean;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;
/** A header is a few fields; anything much longer is not one (and is not scanned). */
const MAX_HEADER_LENGTH = 512;

/** Parses a trace header; undefined when it has no valid Root. Linear in the header's length. */
export function parseTraceHeader(value: string | undefined): TraceHeader | undefined {
  if (typeof value !== 'string' || value.length > MAX_HEADER_LENGTH) return undefined;
  let root: string | undefined;
  let parent: string | undefined;
  let sampled = false;
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    const field = part.slice(at + 1).trim();
    if (key === 'Root' && ROOT.test(field)) root = field;
    else if (key === 'Parent' && SEGMENT_ID.test(field)) parent = field;
    else if (key === 'Sampled') sampled = field === '1';
  }
  return root ? { root, ...(parent && { parent }), sampled } : undefined;
}

/** Lambda's variable first (it names the function's segment), else the header API Gateway sent. */
export function currentTraceHeader(env: NodeJS.ProcessEnv, headers: Record<string, string | undefined> | null | undefined): TraceHeader | undefined {
  const fromEnv = parseTraceHeader(env._X_AMZN_TRACE_ID);
  if (fromEnv) return fromEnv;
  if (!headers) return undefined;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'x-amzn-trace-id') return parseTraceHeader(headers[name]);
  }
  return undefined;
}
