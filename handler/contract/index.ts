/**
 * The API contract: the request and response bodies as JSON Schema draft 4 (the dialect API
 * Gateway models use: https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html),
 * one file per body shape in this folder. They are the single source: the handler takes its
 * field lists, enums and limits from them (below), the template's AWS::ApiGateway::Model
 * resources and Terraform's aws_api_gateway_model carry them unchanged (test/infra/contract.test.ts
 * fails on any drift), and `cli openapi` builds its document from those models.
 * What a schema cannot say (UTF-8 byte counts, exact decimal digits, DynamoDB's item size and
 * nesting rules, the JSON value budgets of json.ts) the handler checks on top (README, "API contract").
 */
import error from './error.json' with { type: 'json' };
import itemPage from './item-page.json' with { type: 'json' };
import itemPatch from './item-patch.json' with { type: 'json' };
import itemReplacement from './item-replacement.json' with { type: 'json' };
import item from './item.json' with { type: 'json' };
import rpcRequest from './rpc-request.json' with { type: 'json' };
import rpcResult from './rpc-result.json' with { type: 'json' };

/** A JSON Schema draft 4 document, as data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Every body shape, by model name (the AWS::ApiGateway::Model `Name`; its logical id is `<name>Model`). */
export const CONTRACT_MODELS: Readonly<Record<string, JsonSchema>> = {
  RpcRequest: rpcRequest,
  RpcResult: rpcResult,
  Item: item,
  ItemReplacement: itemReplacement,
  ItemPatch: itemPatch,
  ItemPage: itemPage,
  Error: error,
};

/** The file of each model in handler/contract/, for messages and the Terraform twin. */
export const CONTRACT_FILES: Readonly<Record<string, string>> = {
  RpcRequest: 'rpc-request.json',
  RpcResult: 'rpc-result.json',
  Item: 'item.json',
  ItemReplacement: 'item-replacement.json',
  ItemPatch: 'item-patch.json',
  ItemPage: 'item-page.json',
  Error: 'error.json',
};

interface PayloadBranch {
  properties: { operation: { enum: string[] }; payload?: { additionalProperties?: boolean; maxProperties?: number; properties?: Record<string, { enum?: string[] }> } };
}

const branches = rpcRequest.oneOf as PayloadBranch[];

function branchOf(operation: string): PayloadBranch {
  const found = branches.find((b) => b.properties.operation.enum.includes(operation));
  if (!found) throw new Error(`handler/contract/rpc-request.json has no oneOf branch for operation ${operation}`);
  return found;
}

/** The RPC body's top-level fields (`operation`, `tableName`, `payload`). */
export const RPC_BODY_FIELDS: readonly string[] = Object.keys(rpcRequest.properties);

/** The RPC operations, in the contract's order. */
export const RPC_OPERATIONS: readonly string[] = rpcRequest.properties.operation.enum;

/** The payload keys an operation accepts, or 'any' when its branch leaves the payload open (echo). */
export function rpcPayloadKeys(operation: string): readonly string[] | 'any' {
  const payload = branchOf(operation).properties.payload;
  if (!payload) return 'any';
  if (payload.maxProperties === 0) return [];
  return payload.additionalProperties === false ? Object.keys(payload.properties ?? {}) : 'any';
}

/** The values a payload key of an operation may take (`ReturnValues`). */
export function rpcPayloadEnum(operation: string, key: string): readonly string[] {
  const values = branchOf(operation).properties.payload?.properties?.[key]?.enum;
  if (!values) throw new Error(`handler/contract/rpc-request.json: payload.${key} of operation ${operation} has no enum`);
  return values;
}

const listLimit = (branchOf('list').properties.payload!.properties as Record<string, { maximum: number }>).Limit!;

/** The limits the schemas state, for the handler's own checks of the same things. */
export const CONTRACT_LIMITS = {
  /** Key values: the schema bounds the characters, the handler the UTF-8 bytes (ServiceQuotas.html#limits-partition-sort-keys). */
  maxKeyBytes: item.properties.id.maxLength,
  /** Expressions: 4 KB (ServiceQuotas.html#limits-expression-parameters). */
  maxExpressionBytes: (branchOf('update').properties.payload!.properties as Record<string, { maxLength: number }>).UpdateExpression!.maxLength,
  /** Scan's Limit is an Integer (API_Scan.html#DDB-Scan-request-Limit). */
  maxScanLimit: listLimit.maximum,
  /** A PATCH body: this many attributes besides `id`. */
  maxPatchAttributes: itemPatch.maxProperties - 1,
} as const;
