/**
 * The one IAM caller the local stack knows: the credentials `cli dev` prints and accepts for
 * methods with `AuthorizationType: AWS_IAM`, and that `cli invoke` signs with for a local
 * target. A constant, apart from the emulator, so `cli invoke` can use it without loading it.
 *
 * The key pair is the example AWS's own documentation uses (it works nowhere in AWS):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html ("AKIAIOSFODNN7EXAMPLE").
 * The principal is an IAM user, whose `requestContext.identity.caller` and `.user` are its user id
 * (AIDA...) and `.userArn` its ARN, as API Gateway fills them for IAM-authorized requests:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
 */
export const LOCAL_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const LOCAL_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const LOCAL_USER_NAME = 'local-developer';
/** The IAM user id of LOCAL_USER_NAME (IAM ids of users start with AIDA). */
export const LOCAL_USER_ID = 'AIDAIOSFODNN7EXAMPLE';

export interface LocalCaller {
  accessKeyId: string;
  secretAccessKey: string;
}

export const LOCAL_CALLER: LocalCaller = { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY };

/** `arn:aws:iam::<account>:user/local-developer` (IAM is global: no region). */
export function localUserArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:user/${LOCAL_USER_NAME}`;
}
