/**
 * The REST routes over the same table:
 *   GET /items            list, paginated: ?limit=1..MAX_PAGE_SIZE (default DEFAULT_PAGE_SIZE), ?next=<token>
 *   POST /items           create (201 + Location; 409 if the id exists)
 *   GET /items/{id}       200 item | 404
 *   PUT /items/{id}       create (201) or replace (200)
 *   PATCH /items/{id}     set the given attributes (200 updated item | 404)
 *   DELETE /items/{id}    204 | 404
 * Items are JSON objects with a non-empty string `id`.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CONTRACT_LIMITS } from './contract/index.js';
import { BadRequestError, ItemAlreadyExistsError, ItemNotFoundError } from './errors.js';
import { checkQueryParameters, jsonResponse, noContentResponse, queryParameter, readJsonBody } from './http.js';
import { deleteItem, getItem, putItem, scanItems, updateItem, type Table } from './item-store.js';
import { checkKeyValue, itemId, KEY_ATTRIBUTE, keyAttributes } from './item-key.js';
import { childPath, fromItem, ITEM_BODY_BUDGET, toItem } from './item-value.js';
import { emptyObject, isJsonObject, jsonTypeName, type JsonObject } from './json.js';
import { decodePageToken, encodePageToken } from './page-token.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/**
 * `SET #a0 = :v0, ...` must stay within DynamoDB's 4 KB expression limit, which dynalite does not
 * enforce: 250 assignments of at most 16 bytes each fit.
 */
export const MAX_PATCH_ATTRIBUTES = CONTRACT_LIMITS.maxPatchAttributes;

/** `#k` in every condition below: `id` is not reserved, but a placeholder is always safe. */
const KEY_NAME = { '#k': KEY_ATTRIBUTE };

function readObjectBody(event: APIGatewayProxyEvent): JsonObject {
  const body = readJsonBody(event, ITEM_BODY_BUDGET);
  if (!isJsonObject(body)) throw new BadRequestError(`request body must be a JSON object (the item), got ${jsonTypeName(body)}`);
  return body;
}

/** Where the item lives, as the caller addressed the API (stage prefix and custom domain base path included). */
function itemLocation(event: APIGatewayProxyEvent, id: string, pathIsItem: boolean): string {
  const base = (event.requestContext?.path || event.path || '/items').replace(/\/+$/, '');
  return pathIsItem ? base : `${base}/${encodeURIComponent(id)}`;
}

export async function listItems(event: APIGatewayProxyEvent, table: Table): Promise<APIGatewayProxyResult> {
  checkQueryParameters(event, ['limit', 'next']);
  const limitText = queryParameter(event, 'limit');
  let limit = DEFAULT_PAGE_SIZE;
  if (limitText !== undefined) {
    limit = /^[1-9]\d{0,6}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit <= MAX_PAGE_SIZE)) {
      throw new BadRequestError(`query parameter limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${JSON.stringify(limitText)}`);
    }
  }
  const next = queryParameter(event, 'next');
  const output = await scanItems(table, {
    Limit: limit,
    ExclusiveStartKey: next === undefined ? undefined : keyAttributes(decodePageToken(next, 'query parameter next')),
  });
  return jsonResponse(200, {
    items: (output.Items ?? []).map(fromItem),
    // DynamoDB may hand back a LastEvaluatedKey when the page ended exactly at the end of the
    // table; the following page is then empty and has no `next`.
    next: output.LastEvaluatedKey && encodePageToken(output.LastEvaluatedKey),
  });
}

export async function createItem(event: APIGatewayProxyEvent, table: Table): Promise<APIGatewayProxyResult> {
  checkQueryParameters(event, []);
  const body = readObjectBody(event);
  const id = itemId(body, 'request body');
  const item = toItem(body, 'request body');
  await putItem(
    table,
    { Item: item, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: KEY_NAME },
    () => new ItemAlreadyExistsError(id),
  );
  return jsonResponse(201, fromItem(item), { Location: itemLocation(event, id, false) });
}

export async function readItem(event: APIGatewayProxyEvent, table: Table, id: string): Promise<APIGatewayProxyResult> {
  checkQueryParameters(event, []);
  const output = await getItem(table, { Key: keyAttributes(id) });
  if (!output.Item) throw new ItemNotFoundError(id);
  return jsonResponse(200, fromItem(output.Item));
}

export async function replaceItem(event: APIGatewayProxyEvent, table: Table, id: string): Promise<APIGatewayProxyResult> {
  checkQueryParameters(event, []);
  const body = readObjectBody(event);
  checkBodyId(body, id);
  const whole = emptyObject();
  whole[KEY_ATTRIBUTE] = id;
  for (const name of Object.keys(body)) whole[name] = body[name]!;
  const item = toItem(whole, 'request body');
  const output = await putItem(table, { Item: item, ReturnValues: 'ALL_OLD' });
  const created = output.Attributes === undefined;
  return jsonResponse(created ? 201 : 200, fromItem(item), created ? { Location: itemLocation(event, id, true) } : {});
}

export async function patchItem(event: APIGatewayProxyEvent, table: Table, id: string): Promise<APIGatewayProxyResult> {
  checkQueryParameters(event, []);
  const body = readObjectBody(event);
  checkBodyId(body, id);
  delete body[KEY_ATTRIBUTE];
  const names = Object.keys(body);
  if (names.length === 0) throw new BadRequestError('request body must set at least one attribute besides "id"');
  if (names.length > MAX_PATCH_ATTRIBUTES) {
    throw new BadRequestError(`request body sets ${names.length} attributes; a PATCH sets at most ${MAX_PATCH_ATTRIBUTES} (DynamoDB's 4 KB update expression limit); use PUT to replace the item`);
  }
  // Checks names, numbers, nesting and that the patch alone fits in an item; DynamoDB checks the merged size.
  const values = toItem(body, 'request body');
  const attributeNames: Record<string, string> = { ...KEY_NAME };
  const attributeValues: Record<string, (typeof values)[string]> = {};
  const sets = names.map((name, i) => {
    attributeNames[`#a${i}`] = name;
    attributeValues[`:v${i}`] = values[name]!;
    return `#a${i} = :v${i}`;
  });
  const output = await updateItem(
    table,
    {
      Key: keyAttributes(id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(#k)',
      ExpressionAttributeNames: attributeNames,
      ExpressionAttributeValues: attributeValues,
      ReturnValues: 'ALL_NEW',
    },
    () => new ItemNotFoundError(id),
  );
  return jsonResponse(200, fromItem(output.Attributes ?? {}));
}

export async function removeItem(event: APIGatewayProxyEvent, table: Table, id: string): Promise<APIGatewayProxyResult> {
  checkQueryParameters(event, []);
  await deleteItem(
    table,
    { Key: keyAttributes(id), ConditionExpression: 'attribute_exists(#k)', ExpressionAttributeNames: KEY_NAME },
    () => new ItemNotFoundError(id),
  );
  return noContentResponse();
}

/** The path names the item; an `id` in the body may repeat it but never change it. */
function checkBodyId(body: JsonObject, id: string): void {
  if (Object.hasOwn(body, KEY_ATTRIBUTE)) {
    const bodyId = checkKeyValue(body[KEY_ATTRIBUTE], childPath('request body', KEY_ATTRIBUTE));
    if (bodyId !== id) {
      throw new BadRequestError(`request body.id ${JSON.stringify(bodyId)} does not match the id in the path ${JSON.stringify(id)}; an item's id cannot be changed`);
    }
  }
}
