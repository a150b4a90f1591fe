/**
 * AWS::Lambda::* as the local stack emulates them: functions run by its Lambda runtime.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html
 */
import { TemplateError, UnsupportedTemplateError, type TemplateResolver } from '../intrinsics.js';
import type { LocalFunction } from '../stack-model.js';
import { arn, generatedName } from './names.js';
import type { ResourceType } from './resource-type.js';

const NODE_RUNTIME = /^nodejs\d+\.x$/;

export const lambdaFunction = {
  type: 'AWS::Lambda::Function',
  physicalId: (id, resolver) => resolver.propertyString(id, 'FunctionName') ?? generatedName(resolver.pseudo.stackName, id, 64),
  attributes: {
    Arn: (id, resolver) => arn(resolver.pseudo, 'lambda', `function:${resolver.physicalId(id)}`),
  },
  read(id: string, resolver: TemplateResolver): LocalFunction {
    const at = (p: string) => resolver.where(`Resources.${id}.Properties.${p}`);
    const properties = resolver.template.Resources[id]!.Properties;
    if (properties?.PackageType === 'Image') throw new UnsupportedTemplateError(`${at('PackageType')}: container image functions are not emulated`);
    const runtime = resolver.propertyString(id, 'Runtime') ?? '';
    if (!NODE_RUNTIME.test(runtime)) throw new UnsupportedTemplateError(`${at('Runtime')}: runtime "${runtime}" is not emulated (the local stack runs nodejs*.x functions)`);
    const handler = resolver.propertyString(id, 'Handler');
    if (!handler || !/^[^.]+\.[\w$.]+$/.test(handler)) throw new TemplateError(`${at('Handler')}: expected "file.export", got ${JSON.stringify(handler)}`);
    const timeoutSeconds = Number(resolver.property(id, 'Timeout') ?? 3);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) throw new TemplateError(`${at('Timeout')}: must be 1-900 seconds, got ${timeoutSeconds}`);
    const memorySize = Number(resolver.property(id, 'MemorySize') ?? 128);
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) throw new TemplateError(`${at('MemorySize')}: must be 128-10240 MB, got ${memorySize}`);
    const variablesRaw = (properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const environment: Record<string, string> = {};
    for (const key of Object.keys(variablesRaw)) {
      const value = resolver.resolve(variablesRaw[key], `Resources.${id}.Properties.Environment.Variables.${key}`);
      if (value === undefined) continue;
      if (typeof value === 'object') throw new TemplateError(`${at(`Environment.Variables.${key}`)}: must be a string`);
      environment[key] = String(value);
    }
    const loggingConfig = properties?.LoggingConfig as { LogGroup?: unknown; LogFormat?: unknown; ApplicationLogLevel?: unknown } | undefined;
    const loggingGroup = loggingConfig?.LogGroup;
    const logFormat = loggingConfig?.LogFormat === undefined ? 'Text' : resolver.resolveString(loggingConfig.LogFormat, `Resources.${id}.Properties.LoggingConfig.LogFormat`);
    if (logFormat !== 'Text' && logFormat !== 'JSON') throw new TemplateError(`${at('LoggingConfig.LogFormat')}: must be Text or JSON, got ${JSON.stringify(logFormat)}`);
    const applicationLogLevel =
      loggingConfig?.ApplicationLogLevel === undefined ? undefined : resolver.resolveString(loggingConfig.ApplicationLogLevel, `Resources.${id}.Properties.LoggingConfig.ApplicationLogLevel`);
    const name = resolver.physicalId(id);
    return {
      logicalId: id,
      name,
      arn: lambdaFunction.attributes.Arn(id, resolver),
      handler,
      runtime,
      timeoutSeconds,
      memorySize,
      environment,
      logGroupName: loggingGroup === undefined ? `/aws/lambda/${name}` : resolver.resolveString(loggingGroup, `Resources.${id}.Properties.LoggingConfig.LogGroup`),
      logging: { format: logFormat, ...(applicationLogLevel !== undefined && { applicationLogLevel }) },
    };
  },
} satisfies ResourceType;

/**
 * The local stack runs one code per function (the handler's latest build): a version and an
 * alias are names for that same function, so the API's integration with an alias ARN invokes it.
 * Ref of a Version is the version's ARN, its Version attribute the number (always "1" here: one
 * is published per deploy in AWS); Ref of an Alias is the alias ARN.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html#aws-resource-lambda-version-return-values
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-alias.html#aws-resource-lambda-alias-return-values
 */
const LOCAL_VERSION = '1';
const qualifiedArn = (id: string, resolver: TemplateResolver, qualifier: string) =>
  arn(resolver.pseudo, 'lambda', `function:${resolver.resolveString(resolver.template.Resources[id]!.Properties?.FunctionName, `Resources.${id}.Properties.FunctionName`)}:${qualifier}`);

export const lambdaVersion = {
  type: 'AWS::Lambda::Version',
  physicalId: (id, resolver) => qualifiedArn(id, resolver, LOCAL_VERSION),
  attributes: {
    Version: () => LOCAL_VERSION,
    FunctionArn: (id, resolver) => qualifiedArn(id, resolver, LOCAL_VERSION),
  },
} satisfies ResourceType;

export const lambdaAlias = {
  type: 'AWS::Lambda::Alias',
  physicalId: (id, resolver) => qualifiedArn(id, resolver, resolver.propertyString(id, 'Name') ?? id),
  attributes: {
    AliasArn: (id, resolver) => qualifiedArn(id, resolver, resolver.propertyString(id, 'Name') ?? id),
  },
} satisfies ResourceType;

export const LAMBDA_TYPES: readonly ResourceType[] = [lambdaFunction, lambdaVersion, lambdaAlias];
