/**
 * The Lambda calls hotswap and the code reconciliation make, in their own vocabulary; tests drive
 * the same code with a scripted fake of this interface where moto cannot produce an answer (a
 * code update that fails, or one that is still in progress).
 */
import {
  GetFunctionConfigurationCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type FunctionConfiguration as SdkConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';

/** https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html */
export interface FunctionState {
  functionName: string;
  /** `$LATEST`, or the version number published. */
  version: string;
  /** base64 of the zip's SHA-256, as Lambda reports it. */
  codeSha256: string;
  /** Successful | Failed | InProgress */
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
}

export type FunctionCode = { zipFile: Uint8Array } | { s3Bucket: string; s3Key: string };

export interface FunctionApi {
  /** UpdateFunctionCode; `publish` also publishes a version once the update is done. */
  updateCode(functionName: string, code: FunctionCode, options: { publish: boolean }): Promise<FunctionState>;
  /** GetFunctionConfiguration of `$LATEST` or of one version. */
  getState(functionName: string, qualifier?: string): Promise<FunctionState>;
  /** Points an alias at a version (UpdateAlias). */
  moveAlias(functionName: string, alias: string, version: string): Promise<void>;
}

export function createSdkFunctionApi(client: LambdaClient): FunctionApi {
  return {
    async updateCode(functionName, code, options) {
      const out = await client.send(
        new UpdateFunctionCodeCommand({
          FunctionName: functionName,
          ...('zipFile' in code ? { ZipFile: code.zipFile } : { S3Bucket: code.s3Bucket, S3Key: code.s3Key }),
          Publish: options.publish,
        }),
      );
      return toState(out, functionName);
    },
    async getState(functionName, qualifier) {
      return toState(await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier })), functionName);
    },
    async moveAlias(functionName, alias, version) {
      await client.send(new UpdateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: version }));
    },
  };
}

function toState(out: SdkConfiguration, functionName: string): FunctionState {
  return {
    functionName: out.FunctionName ?? functionName,
    version: out.Version ?? '$LATEST',
    codeSha256: out.CodeSha256 ?? '',
    lastUpdateStatus: out.LastUpdateStatus,
    lastUpdateStatusReason: out.LastUpdateStatusReason,
  };
}
