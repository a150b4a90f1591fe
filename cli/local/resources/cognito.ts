/**
 * AWS::Cognito::* and AWS::ApiGateway::Authorizer as the local stack emulates them: user pools
 * (served by the local issuer, cli/local/cognito-issuer.ts), their app clients, and the
 * COGNITO_USER_POOLS authorizers of the API's methods. `Ref` and `Fn::GetAtt` as under "Return
 * values" of each type:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpool.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpoolclient.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-authorizer.html
 */
import { TemplateError, UnsupportedTemplateError, type TemplateResolver } from '../intrinsics.js';
import { arn, shortId } from './names.js';
import type { ResourceType } from './resource-type.js';

/** A user pool the local issuer signs for, and the app clients its tokens may be issued to. */
export interface LocalUserPool {
  id: string;
  clientIds: string[];
}

/** What a method's COGNITO_USER_POOLS authorizer accepts. */
export interface LocalCognitoAuth {
  /** The authorizer's ProviderARNs, as pool ids. */
  userPoolIds: string[];
  /** The method's AuthorizationScopes (empty: an ID token is wanted). */
  scopes: string[];
}

/** `us-east-1_AbC123xyZ`: the region, `_`, 9 characters. */
const poolId = (id: string, resolver: TemplateResolver) => `${resolver.pseudo.region}_${shortId(9, resolver.pseudo.stackName, id)}`;

export const userPool: ResourceType = {
  type: 'AWS::Cognito::UserPool',
  physicalId: poolId,
  attributes: {
    Arn: (id, resolver) => arn(resolver.pseudo, 'cognito-idp', `userpool/${resolver.physicalId(id)}`),
    ProviderName: (id, resolver) => `cognito-idp.${resolver.pseudo.region}.amazonaws.com/${resolver.physicalId(id)}`,
    ProviderURL: (id, resolver) => `https://cognito-idp.${resolver.pseudo.region}.amazonaws.com/${resolver.physicalId(id)}`,
    UserPoolId: (id, resolver) => resolver.physicalId(id),
  },
};

export const userPoolClient: ResourceType = {
  type: 'AWS::Cognito::UserPoolClient',
  // App client ids: 26 lower-case alphanumerics.
  physicalId: (id, resolver) => shortId(26, resolver.pseudo.stackName, id),
  attributes: {
    ClientId: (id, resolver) => resolver.physicalId(id),
    Name: (id, resolver) => resolver.propertyString(id, 'ClientName') ?? resolver.physicalId(id),
  },
};

export const userPoolResourceServer: ResourceType = {
  type: 'AWS::Cognito::UserPoolResourceServer',
  physicalId: (id, resolver) => resolver.propertyString(id, 'Identifier') ?? id,
  attributes: {},
};

export const apiAuthorizer = {
  type: 'AWS::ApiGateway::Authorizer',
  physicalId: (id, resolver) => shortId(6, resolver.pseudo.stackName, id),
  attributes: {
    AuthorizerId: (id, resolver) => resolver.physicalId(id),
  },
  /** The pool ids of a COGNITO_USER_POOLS authorizer; other authorizer types are refused. */
  read(id: string, resolver: TemplateResolver): string[] {
    const p = (name: string) => `Resources.${id}.Properties.${name}`;
    const type = resolver.propertyString(id, 'Type');
    if (type !== 'COGNITO_USER_POOLS') {
      throw new UnsupportedTemplateError(`${resolver.where(p('Type'))}: a ${type ?? '(no Type)'} authorizer is not emulated by the local stack (COGNITO_USER_POOLS is)`);
    }
    const source = resolver.propertyString(id, 'IdentitySource') ?? '';
    if (source !== 'method.request.header.Authorization') {
      throw new UnsupportedTemplateError(`${resolver.where(p('IdentitySource'))}: the local stack reads the token from method.request.header.Authorization only, got ${JSON.stringify(source)}`);
    }
    const arns = resolver.property(id, 'ProviderARNs');
    if (!Array.isArray(arns) || arns.length === 0) throw new TemplateError(`${resolver.where(p('ProviderARNs'))}: a COGNITO_USER_POOLS authorizer needs at least one user pool ARN`);
    return arns.map((a, i) => {
      const m = /:userpool\/([\w-]+_[0-9A-Za-z]+)$/.exec(String(a));
      if (!m) throw new TemplateError(`${resolver.where(`${p('ProviderARNs')}.${i}`)}: ${JSON.stringify(a)} is not a user pool ARN`);
      return m[1]!;
    });
  },
} satisfies ResourceType;

export const COGNITO_TYPES: readonly ResourceType[] = [userPool, userPoolClient, userPoolResourceServer, apiAuthorizer];

/** A method's Cognito authorization: its authorizer's pools and its AuthorizationScopes. */
export function readCognitoAuth(methodId: string, resolver: TemplateResolver): LocalCognitoAuth {
  const p = (name: string) => `Resources.${methodId}.Properties.${name}`;
  const authorizerId = resolver.propertyString(methodId, 'AuthorizerId');
  if (authorizerId === undefined) throw new TemplateError(`${resolver.where(p('AuthorizationType'))}: COGNITO_USER_POOLS authorization needs an AuthorizerId`);
  const authorizer = resolver.resourcesOfType(apiAuthorizer.type).find((id) => resolver.physicalId(id) === authorizerId);
  if (!authorizer) throw new TemplateError(`${resolver.where(p('AuthorizerId'))}: ${authorizerId} is no AWS::ApiGateway::Authorizer of this template`);
  const raw = resolver.property(methodId, 'AuthorizationScopes');
  const scopes = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String).filter((s) => s !== '');
  return { userPoolIds: apiAuthorizer.read(authorizer, resolver), scopes };
}

/**
 * Every user pool the API's authorizers name (created by the template or given by ARN), with the
 * template's app clients of each.
 */
export function readUserPools(resolver: TemplateResolver, auths: readonly LocalCognitoAuth[]): LocalUserPool[] {
  const pools = new Map<string, LocalUserPool>();
  for (const auth of auths) for (const id of auth.userPoolIds) if (!pools.has(id)) pools.set(id, { id, clientIds: [] });
  for (const client of resolver.resourcesOfType(userPoolClient.type)) {
    const pool = resolver.propertyString(client, 'UserPoolId');
    if (pool !== undefined) pools.get(pool)?.clientIds.push(resolver.physicalId(client));
  }
  return [...pools.values()];
}
