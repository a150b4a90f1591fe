/**
 * Domain errors. Each carries its HTTP status; only the outer edge (create-handler.ts) turns one
 * into a response. A 4xx message says exactly what was wrong and where and is shown to the
 * caller; anything that is not an HttpError is a 500 whose details go to the log only
 * (the middy `http-error-handler` split).
 */
export class HttpError extends Error {
  readonly headers: Record<string, string>;
  constructor(
    readonly statusCode: number,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.headers = headers;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

export class RouteNotFoundError extends HttpError {
  constructor(method: string, path: string) {
    super(404, `No route for ${method} ${path}`);
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor(method: string, path: string, allowed: readonly string[]) {
    super(405, `Method ${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, { Allow: allowed.join(', ') });
  }
}

export class ItemNotFoundError extends HttpError {
  constructor(id: string) {
    super(404, `Item ${JSON.stringify(id)} not found`);
  }
}

export class ItemAlreadyExistsError extends HttpError {
  constructor(id: string) {
    super(409, `Item ${JSON.stringify(id)} already exists`);
  }
}

/** A caller-supplied ConditionExpression evaluated to false (DynamoDB's ConditionalCheckFailedException). */
export class ConditionFailedError extends HttpError {
  constructor(where: string) {
    super(409, `The conditional request failed: ${where} evaluated to false`);
  }
}

/** DynamoDB throttled the request even after the SDK's retries; the caller may retry later. */
export class ServiceUnavailableError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(503, 'The table is busy (request throttled by DynamoDB); retry later', { 'Retry-After': String(retryAfterSeconds) });
  }
}

/** The function is deployed wrong (e.g. no TABLE_NAME). Reported as a plain 500; logged in full. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/**
 * DynamoDB returned data this API cannot represent as JSON (e.g. an attribute named `__proto__`,
 * written by another client). Reported as a plain 500; logged in full.
 */
export class UnrepresentableItemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrepresentableItemError';
  }
}
