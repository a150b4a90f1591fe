/** Who the credentials belong to, for the banner and the managed bucket name. */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export interface Identity {
  whoAmI(): Promise<CallerIdentity>;
}

export function createStsIdentity(client: STSClient): Identity {
  let cached: Promise<CallerIdentity> | undefined;
  return {
    whoAmI() {
      cached ??= client.send(new GetCallerIdentityCommand({})).then(
        (out) => ({ account: out.Account ?? '', arn: out.Arn ?? '' }),
        (err: unknown) => {
          cached = undefined;
          throw err;
        },
      );
      return cached;
    },
  };
}
