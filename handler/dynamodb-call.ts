/**
 * What the handler records of one DynamoDB call, for its metrics (emf.ts) and its X-Ray
 * subsegment (xray-subsegments.ts). Item contents never enter it.
 */
export interface DynamoDbCall {
  /** The DynamoDB API action: GetItem, PutItem, UpdateItem, DeleteItem, Scan. */
  operation: string;
  table: string;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  /** HTTP status of DynamoDB's last answer (200, 400 for a failed condition, ...); undefined for a network failure. */
  httpStatus?: number;
  /** DynamoDB's x-amzn-RequestId. */
  awsRequestId?: string;
  /** SDK attempts minus one. */
  retries: number;
  /** ConsumedCapacity.CapacityUnits (ReturnConsumedCapacity TOTAL); 0 when DynamoDB reported none. */
  capacityUnits: number;
  /** The exception's name, when the call failed. */
  errorName?: string;
}

/** Receives every DynamoDB call of a request, after it ends. */
export type DynamoDbObserver = (call: DynamoDbCall) => void;
