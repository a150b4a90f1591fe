/**
 * The one Cognito call the CLI makes: InitiateAuth with USER_PASSWORD_AUTH, as a public app
 * client (no secret) signs a user in, for `cli token` against a deployed stack.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 */
import { InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

export type SignIn =
  | { kind: 'tokens'; idToken: string; accessToken: string; expiresIn: number }
  /** Cognito wants another step (NEW_PASSWORD_REQUIRED for a user an administrator created, MFA...). */
  | { kind: 'challenge'; challenge: string };

export interface UserPoolApi {
  signIn(clientId: string, username: string, password: string): Promise<SignIn>;
}

export function createUserPoolApi(client: CognitoIdentityProviderClient): UserPoolApi {
  return {
    async signIn(clientId, username, password) {
      const out = await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password } }));
      const result = out.AuthenticationResult;
      if (result?.IdToken && result.AccessToken) return { kind: 'tokens', idToken: result.IdToken, accessToken: result.AccessToken, expiresIn: result.ExpiresIn ?? 0 };
      return { kind: 'challenge', challenge: out.ChallengeName ?? '(none)' };
    },
  };
}
