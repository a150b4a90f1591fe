/**
 * How `cli dev` prints a line of the function's log. Lambda's text lines pass unchanged; a JSON
 * line (LogFormat JSON, or the handler's own lines, handler/log-output.ts) is printed in the text
 * format's order, `<time>\t<requestId>\t<LEVEL>\t<message>`, its other fields after it as JSON;
 * an embedded-metric-format document as one `metrics` line of its dimensions and values. Pure.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
type Record = { [key: string]: unknown };

function isRecord(value: unknown): value is Record {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(line: string): Record | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

interface Directive {
  Dimensions?: unknown;
  Metrics?: unknown;
}

const UNIT_SUFFIX: { [unit: string]: string } = { Milliseconds: 'ms', Seconds: 's', Bytes: 'B', Percent: '%' };

function metricsLine(doc: Record, directives: Directive[]): string {
  const dimensions = new Set<string>();
  const values: string[] = [];
  for (const directive of directives) {
    for (const set of Array.isArray(directive.Dimensions) ? directive.Dimensions : []) {
      for (const name of Array.isArray(set) ? set : []) if (typeof name === 'string' && typeof doc[name] === 'string') dimensions.add(`${name}=${doc[name] as string}`);
    }
    for (const metric of Array.isArray(directive.Metrics) ? directive.Metrics : []) {
      if (!isRecord(metric) || typeof metric.Name !== 'string') continue;
      const value = doc[metric.Name];
      const shown = Array.isArray(value) ? value.join(',') : String(value);
      values.push(`${metric.Name}=${shown}${UNIT_SUFFIX[String(metric.Unit)] ?? ''}`);
    }
  }
  return `metrics ${[...dimensions].join(' ')}: ${values.join(' ')}`;
}

export function formatFunctionLog(line: string): string {
  const record = parseObject(line);
  if (!record) return line;
  const aws = record._aws;
  if (isRecord(aws) && Array.isArray(aws.CloudWatchMetrics)) return metricsLine(record, aws.CloudWatchMetrics.filter(isRecord) as Directive[]);
  const { timestamp, level, requestId, message, ...rest } = record;
  if (typeof level !== 'string') return line;
  const text = typeof message === 'string' ? message : message === undefined ? '' : JSON.stringify(message);
  const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${typeof timestamp === 'string' ? timestamp : ''}\t${typeof requestId === 'string' ? requestId : 'undefined'}\t${level.toUpperCase()}\t${text}${fields}`;
}
