/**
 * CloudWatch embedded metric format documents in the function's output, for `cli dev`'s metric
 * summary. A document is a JSON object whose `_aws.CloudWatchMetrics` directives name metrics
 * (values: root members, a number or an array of numbers) and dimension sets (values: root
 * string members): https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 * It may arrive bare (written to stdout), after the runtime's text prefix
 * (`<time>\t<request id>\t<LEVEL>\t`), or as the message of a JSON-format log record. Pure.
 */

export interface EmfMetric {
  namespace: string;
  name: string;
  unit?: string;
  dimensions: Record<string, string>;
  values: number[];
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The metrics of an EMF line; undefined when the line is not an EMF document. */
export function emfMetrics(line: string): EmfMetric[] | undefined {
  if (!line.includes('CloudWatchMetrics')) return undefined;
  const brace = line.indexOf('{');
  if (brace < 0) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(line.slice(brace));
  } catch {
    return undefined;
  }
  if (isObject(doc) && !isObject(doc._aws)) {
    const message = doc.message;
    if (isObject(message)) doc = message;
    else if (typeof message === 'string' && message.trimStart().startsWith('{')) {
      try {
        doc = JSON.parse(message);
      } catch {
        return undefined;
      }
    }
  }
  if (!isObject(doc) || !isObject(doc._aws) || !Array.isArray(doc._aws.CloudWatchMetrics)) return undefined;
  const root = doc;
  const metrics: EmfMetric[] = [];
  for (const directive of doc._aws.CloudWatchMetrics) {
    if (!isObject(directive) || typeof directive.Namespace !== 'string' || !Array.isArray(directive.Metrics)) continue;
    // The most specific dimension set (per route, say) is the one worth a summary line.
    const sets = (Array.isArray(directive.Dimensions) ? directive.Dimensions : []).filter((s): s is unknown[] => Array.isArray(s));
    const names = sets.reduce<unknown[]>((best, s) => (s.length > best.length ? s : best), []);
    const dimensions: Record<string, string> = {};
    for (const n of names) if (typeof n === 'string' && typeof root[n] === 'string') dimensions[n] = root[n] as string;
    for (const m of directive.Metrics) {
      if (!isObject(m) || typeof m.Name !== 'string') continue;
      const raw = root[m.Name];
      const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (values.length === 0) continue;
      metrics.push({ namespace: directive.Namespace, name: m.Name, ...(typeof m.Unit === 'string' ? { unit: m.Unit } : {}), dimensions, values });
    }
  }
  return metrics;
}
