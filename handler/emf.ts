/**
 * One CloudWatch embedded metric format (EMF) document per request, written by hand: the
 * specification is one JSON object per log line, so a library buys nothing here but weight
 * (Powertools Metrics adds about 60 KB and 9 ms of cold start to this bundle: README "Monitoring").
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * Dimensions are chosen from a closed set (the routes of the API, the RPC operations, the five
 * DynamoDB actions), never from what a caller sent: every distinct dimension value is a custom
 * metric that is billed, so a request for `/random-path` counts under Route "unmatched".
 */
import type { DynamoDbCall } from './dynamodb-call.js';

export interface MetricDefinition {
  Name: string;
  Unit: 'Count' | 'Milliseconds';
}

export interface MetricDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: MetricDefinition[];
}

export interface EmfDocument {
  _aws: { Timestamp: number; CloudWatchMetrics: MetricDirective[] };
  [member: string]: unknown;
}

export interface RequestMetrics {
  /** `METHOD /resource` of a matched route, or {@link UNMATCHED_ROUTE}. */
  route: string;
  /** The RPC operation of `POST /DynamoDBManager`, once known and valid. */
  operation?: string;
  status: number;
  latencyMs: number;
  dynamodb: readonly DynamoDbCall[];
  /** Epoch ms the request ended. */
  timestamp: number;
}

export const UNMATCHED_ROUTE = 'unmatched';

/** The request metrics: per route, and per route and operation on the RPC route. */
const REQUEST_METRICS: MetricDefinition[] = [
  { Name: 'Requests', Unit: 'Count' },
  { Name: 'Errors4xx', Unit: 'Count' },
  { Name: 'Errors5xx', Unit: 'Count' },
  { Name: 'Latency', Unit: 'Milliseconds' },
];

/** The table's, per DynamoDB action. */
const DYNAMODB_METRICS: MetricDefinition[] = [
  { Name: 'DynamoDBLatency', Unit: 'Milliseconds' },
  { Name: 'DynamoDBConsumedCapacity', Unit: 'Count' },
];

/**
 * The document for one request. A metric member holds one value, or an array of values (one per
 * DynamoDB call), as the specification allows ("an array of numerical values").
 */
export function emfDocument(namespace: string, m: RequestMetrics): EmfDocument {
  const directives: MetricDirective[] = [
    { Namespace: namespace, Dimensions: m.operation ? [['Route'], ['Route', 'Operation']] : [['Route']], Metrics: REQUEST_METRICS },
  ];
  const doc: EmfDocument = {
    _aws: { Timestamp: m.timestamp, CloudWatchMetrics: directives },
    Route: m.route,
    ...(m.operation && { Operation: m.operation }),
    Requests: 1,
    Errors4xx: m.status >= 400 && m.status < 500 ? 1 : 0,
    Errors5xx: m.status >= 500 ? 1 : 0,
    Latency: m.latencyMs,
  };
  // A request makes at most one DynamoDB call today; a dimension member holds one value, so the
  // DynamoDB metrics name the action of the first call and hold every call's values.
  const first = m.dynamodb[0];
  if (first) {
    directives.push({ Namespace: namespace, Dimensions: [['DynamoDBOperation']], Metrics: DYNAMODB_METRICS });
    doc.DynamoDBOperation = first.operation;
    const latency = m.dynamodb.map((c) => Math.round((c.endedAt - c.startedAt) * 100) / 100);
    const capacity = m.dynamodb.map((c) => c.capacityUnits);
    doc.DynamoDBLatency = latency.length === 1 ? latency[0] : latency;
    doc.DynamoDBConsumedCapacity = capacity.length === 1 ? capacity[0] : capacity;
  }
  return doc;
}
