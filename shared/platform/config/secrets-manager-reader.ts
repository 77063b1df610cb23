import { type AwsTarget, awsTarget, callAwsJson, parseJson } from '../aws/aws-json-call.ts';

/** Where and as whom to call Secrets Manager (honours `AWS_ENDPOINT_URL_SECRETS_MANAGER`). */
export function secretsManagerTarget(env: NodeJS.ProcessEnv): AwsTarget {
  return awsTarget(env, 'secretsmanager', 'SECRETS_MANAGER');
}

/**
 * The secret's `SecretString`, JSON-parsed when it is JSON, the string itself otherwise,
 * `undefined` for a binary secret: one signed `secretsmanager.GetSecretValue` call, no
 * AWS SDK (see `callAwsJson`). Throws `AwsCallError` for any AWS error or network failure;
 * AWS's messages never hold the secret's value.
 */
export async function getSecretValue(secretId: string, target: AwsTarget): Promise<unknown> {
  const answer = await callAwsJson(
    target,
    'secretsmanager.GetSecretValue',
    { SecretId: secretId },
    { jsonVersion: '1.1' },
  );
  const secret = answer.SecretString;
  return typeof secret === 'string' ? (parseJson(secret) ?? secret) : undefined;
}
