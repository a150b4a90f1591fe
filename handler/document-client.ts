/**
 * The lib-dynamodb document client this handler needs, and the check that an injected one fits.
 *
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-lib-dynamodb/
 * - `wrapNumbers: true`: every number comes back as a `NumberValue` holding DynamoDB's decimal
 *   text, never a rounded JS number or a bigint (item-value.ts prints it exactly).
 * - `removeUndefinedValues: false`, `convertClassInstanceToMap: false`, `convertEmptyValues: false`:
 *   item-value.ts hands over only strings, booleans, null, `NumberValue`s, arrays and
 *   prototype-free maps; anything else is a bug that must fail loudly, not be dropped or coerced.
 *
 * Quirk: a document client shares its configuration object with the DynamoDBClient it wraps, and
 * `DynamoDBDocumentClient.from` overwrites `translateConfig` there. Wrapping the same
 * DynamoDBClient again with other options silently changes this client too, so each handler
 * should wrap a DynamoDBClient of its own; {@link hasExactNumbers} is checked on every request.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';

/** What the handler uses of a document client. */
export type DocumentClient = Pick<DynamoDBDocumentClient, 'send' | 'config'>;

/** A fresh object each time: lib-dynamodb writes defaults into the options it is given. */
function translateConfig(): TranslateConfig {
  return {
    marshallOptions: { removeUndefinedValues: false, convertClassInstanceToMap: false, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: true },
  };
}

/** Wraps `client` (which should serve this handler alone, see above) as the handler needs. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, translateConfig());
}

/** True when results come back with numbers as `NumberValue` (see {@link createDocumentClient}). */
export function hasExactNumbers(db: DocumentClient): boolean {
  return db.config.translateConfig?.unmarshallOptions?.wrapNumbers === true;
}
