/**
 * Lambda entry point (`index.handler` in infra/cfn/template.yaml).
 *
 * The document client is built once per container, so warm invocations reuse its connections.
 * Endpoint and region come from the SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB /
 * AWS_ENDPOINT_URL, AWS_REGION), which is how the same bundle talks to the local store.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHandler } from './create-handler.js';
import { parseAllowedOrigins } from './cors.js';
import { createDocumentClient } from './document-client.js';

const db = createDocumentClient(new DynamoDBClient({}));

/** A missing TABLE_NAME is reported per request (logged 500), not as a crash at import. */
export const handler = createHandler({ db, tableName: process.env.TABLE_NAME, allowedOrigins: parseAllowedOrigins(process.env.CORS_ALLOWED_ORIGINS) });
