/**
 * Who called, from the proxy event, for the request log: the IAM principal's ARN
 * (`requestContext.identity.userArn`, set by API Gateway for AWS_IAM methods), the API key's id
 * (`identity.apiKeyId`; never the key itself) and a Cognito user's `sub` (the claims of a
 * COGNITO_USER_POOLS authorizer). Never a token, signature or key value.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface Caller {
  /** arn:aws:iam::123456789012:user/name, or arn:aws:sts::...:assumed-role/role/session. */
  iamArn?: string;
  apiKeyId?: string;
  cognitoSub?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The caller's identity as far as the event carries one; undefined for an anonymous call. */
export function callerIdentity(event: APIGatewayProxyEvent): Caller | undefined {
  const context = event.requestContext as Partial<APIGatewayProxyEvent['requestContext']> | undefined;
  if (typeof context !== 'object' || context === null) return undefined;
  const identity = (typeof context.identity === 'object' && context.identity !== null ? context.identity : {}) as Partial<APIGatewayProxyEvent['requestContext']['identity']>;
  const authorizer = context.authorizer as { claims?: unknown } | null | undefined;
  const claims = typeof authorizer === 'object' && authorizer !== null && typeof authorizer.claims === 'object' && authorizer.claims !== null ? (authorizer.claims as Record<string, unknown>) : {};
  const caller: Caller = {};
  const iamArn = text(identity.userArn);
  const apiKeyId = text(identity.apiKeyId);
  const cognitoSub = text(claims.sub);
  if (iamArn) caller.iamArn = iamArn;
  if (apiKeyId) caller.apiKeyId = apiKeyId;
  if (cognitoSub) caller.cognitoSub = cognitoSub;
  return Object.keys(caller).length > 0 ? caller : undefined;
}
