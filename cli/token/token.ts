/**
 * `cli token`: a token for the API's Cognito authorizer, printed alone on stdout so that
 * `curl -H "Authorization: $(npx cli token)"` works. For the local stack (default, or --local) it
 * is minted with the signing key of the running `cli dev`'s local issuer; for a deployed stack
 * (--stage / --stack-name) a user of the pool signs in with InitiateAuth (USER_PASSWORD_AUTH) and
 * its ID token (or, with --access or --scope, its access token) is printed. The password comes
 * from CLI_TOKEN_PASSWORD or a hidden prompt, never from an argument (shell history).
 * The command's wiring is cli/commands/token.ts.
 */
import { relative } from 'node:path';
import { awsErrorName } from '../aws/aws-errors.js';
import { CliError, UsageError } from '../errors.js';
import type { CognitoState } from '../local/cognito-issuer.js';
import { mintToken, USER_ADMIN_SCOPE } from '../local/cognito-tokens.js';
import { devStateDir, readDevStates } from '../local/dev-state.js';
import type { Reporter } from '../ui/reporter.js';

export interface TokenOptions {
  /** The user's email (default: the local stack's user@example.com; required for a deployed stack). */
  user?: string;
  /** Scopes of an access token (local only: a deployed pool grants InitiateAuth's tokens aws.cognito.signin.user.admin). */
  scope?: string[];
  /** An access token instead of an ID token. */
  access?: boolean;
  local?: boolean;
  stage?: string;
  stackName?: string;
  region?: string;
  profile?: string;
  /** The app client to sign in with (default: the stack's UserPoolClientId output). */
  clientId?: string;
  /** Where running `cli dev`s leave their state files (tests; default <root>/.local/cli-dev). */
  devStateDir?: string;
}

export interface TokenDeps {
  reporter: Reporter;
  root: string;
  env: NodeJS.ProcessEnv;
  /** Asks for the password without echoing it (default: on the terminal, when `terminal`). */
  readPassword?: (question: string) => Promise<string | undefined>;
  /** Whether stdin is a terminal to ask on (default: process.stdin.isTTY). */
  terminal?: boolean;
  now?: () => number;
}

export const DEFAULT_LOCAL_USER = 'user@example.com';

/** Which token the options ask for: an access token with --access or --scope, else an ID token. */
function tokenUse(options: TokenOptions): 'id' | 'access' {
  return options.access || (options.scope?.length ?? 0) > 0 ? 'access' : 'id';
}

/** A token the running `cli dev` accepts, for `cognito` (its state) and the options. */
export function localToken(cognito: CognitoState, options: Pick<TokenOptions, 'user' | 'scope' | 'access'>, nowSeconds: number): string {
  const use = tokenUse(options);
  return mintToken(
    {
      issuer: cognito.issuer,
      clientId: cognito.clientId,
      user: options.user ?? DEFAULT_LOCAL_USER,
      tokenUse: use,
      ...(use === 'access' ? { scopes: options.scope && options.scope.length > 0 ? options.scope : [USER_ADMIN_SCOPE] } : {}),
      nowSeconds,
    },
    cognito,
  );
}

/**
 * The token `cli invoke` sends to a local stack of the state's cli dev: an ID token, or an access
 * token with every scope the methods ask for when they ask for some.
 */
export function invokeToken(cognito: CognitoState, nowSeconds: number): string {
  return localToken(cognito, cognito.scopes.length > 0 ? { scope: cognito.scopes } : {}, nowSeconds);
}

/** The Cognito state of the one running `cli dev`; a clear error when there is none or it has no Cognito authorizer. */
export async function runningCognito(stateDirOption: string | undefined, root: string): Promise<CognitoState> {
  const dir = stateDirOption ?? devStateDir(root);
  const shown = relative(process.cwd(), dir) || '.';
  const running = await readDevStates(dir);
  if (running.length === 0) {
    throw new UsageError(`no running cli dev found (no live state file in ${shown}): start \`npx cli dev --parameter-overrides AuthMode=COGNITO_USER_POOLS\`, or pass --stage for a deployed stack`);
  }
  if (running.length > 1) throw new UsageError(`${running.length} cli dev are running (state files in ${shown}); stop all but one`, { details: running.map((s) => `pid ${s.pid}: ${s.origin}`) });
  const cognito = running[0]!.cognito;
  if (!cognito) {
    throw new UsageError(`the running cli dev (pid ${running[0]!.pid}) has no Cognito authorizer: start it with --parameter-overrides AuthMode=COGNITO_USER_POOLS`);
  }
  return cognito;
}

async function password(deps: TokenDeps, user: string): Promise<string> {
  const fromEnv = deps.env.CLI_TOKEN_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const read = deps.readPassword ?? ((deps.terminal ?? process.stdin.isTTY === true) ? readHidden : undefined);
  if (!read) throw new UsageError(`no password for ${user}: set CLI_TOKEN_PASSWORD (or run on a terminal to be asked)`);
  const answer = await read(`Password for ${user}: `);
  if (answer === undefined || answer === '') throw new UsageError(`no password given for ${user}`);
  return answer;
}

/** Reads a line from the terminal without echoing it. */
async function readHidden(question: string): Promise<string | undefined> {
  const { createInterface } = await import('node:readline/promises');
  const { InterruptedError } = await import('../errors.js');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo nothing of what is typed (the question itself is written before muting).
  process.stderr.write(question);
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  try {
    return await rl.question('');
  } catch (err) {
    if (/Ctrl\+C/.test((err as Error).message)) throw new InterruptedError('Interrupted (Ctrl-C); no token was fetched.');
    return undefined;
  } finally {
    process.stderr.write('\n');
    rl.close();
  }
}

/** Why Cognito refused the sign-in, in words that say what to do. */
function signInError(err: unknown, user: string, clientId: string): unknown {
  const name = awsErrorName(err);
  const message = (err as Error).message;
  switch (name) {
    case 'NotAuthorizedException':
      return new CliError(`Cognito refused the sign-in of ${user}: ${message}`, { details: ['Check the password (CLI_TOKEN_PASSWORD), and that the app client allows USER_PASSWORD_AUTH.'], cause: err });
    case 'UserNotFoundException':
      return new CliError(`${user} is not a user of the pool: create one with aws cognito-idp admin-create-user`, { cause: err });
    case 'ResourceNotFoundException':
      return new CliError(`Cognito has no app client ${clientId}: ${message}`, { cause: err });
    case 'PasswordResetRequiredException':
    case 'UserNotConfirmedException':
      return new CliError(`${user} cannot sign in yet (${name}): ${message}`, { cause: err });
    default:
      return err;
  }
}

async function deployedToken(options: TokenOptions, deps: TokenDeps): Promise<string> {
  if (!options.user) throw new UsageError('--user EMAIL is required for a deployed stack (a user of its pool)');
  if ((options.scope?.length ?? 0) > 0) {
    throw new UsageError('--scope works with the local stack only: a sign-in through InitiateAuth grants the scope aws.cognito.signin.user.admin; custom scopes come from the pool\'s OAuth endpoints (a user pool domain)');
  }
  const user = options.user;
  const { withStack } = await import('../commands/stack-options.js');
  return withStack(options, deps, async ({ target, aws, hintFlags }) => {
    let clientId = options.clientId;
    if (!clientId) {
      const stack = await aws.stacks.describeStack(target.stackName);
      if (!stack) throw new CliError(`Stack ${target.stackName} does not exist in ${aws.region}`, { details: [`Deploy it first: npx cli deploy${hintFlags}`] });
      clientId = stack.outputs.find((o) => o.key === 'UserPoolClientId')?.value;
      if (!clientId) {
        throw new CliError(`Stack ${target.stackName} has no UserPoolClientId output: it was not deployed with AuthMode=COGNITO_USER_POOLS`, {
          details: [`npx cli deploy${hintFlags} --parameter-overrides AuthMode=COGNITO_USER_POOLS, or pass --client-id`],
        });
      }
    }
    const secret = await password(deps, user);
    const signedIn = await aws.userPools.signIn(clientId, user, secret).catch((err: unknown) => {
      throw signInError(err, user, clientId);
    });
    if (signedIn.kind === 'challenge') {
      const hint =
        signedIn.challenge === 'NEW_PASSWORD_REQUIRED'
          ? `a user created by an administrator must set a password first: aws cognito-idp admin-set-user-password --user-pool-id <UserPoolId> --username ${user} --password <new> --permanent`
          : 'the CLI signs in with a password only; complete the challenge with the AWS CLI or the hosted UI';
      throw new CliError(`Cognito asks ${user} for ${signedIn.challenge} before issuing tokens`, { details: [hint] });
    }
    return tokenUse(options) === 'access' ? signedIn.accessToken : signedIn.idToken;
  });
}

export async function token(options: TokenOptions, deps: TokenDeps): Promise<string> {
  const deployed = options.stage !== undefined || options.stackName !== undefined;
  if (deployed && options.local) throw new UsageError('--local excludes --stage and --stack-name');
  if (!deployed && options.clientId !== undefined) throw new UsageError('--client-id is for a deployed stack (with --stage or --stack-name)');
  const value = deployed
    ? await deployedToken(options, deps)
    : localToken(await runningCognito(options.devStateDir, deps.root), options, Math.floor((deps.now?.() ?? Date.now()) / 1000));
  deps.reporter.result(value);
  return value;
}
