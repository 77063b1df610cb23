import {
  AwsCallError,
  type AwsTarget,
  awsTarget,
  callAwsJson,
  parseJson,
} from '../aws/aws-json-call.ts';
import { SecretReadError } from './errors.ts';

/** Where and as whom to call Secrets Manager (honours `AWS_ENDPOINT_URL_SECRETS_MANAGER`). */
export function secretsManagerTarget(env: NodeJS.ProcessEnv): AwsTarget {
  try {
    return awsTarget(env, 'secretsmanager', 'SECRETS_MANAGER');
  } catch (error) {
    throw asSecretReadError(error);
  }
}

/**
 * The secret's `SecretString`, JSON-parsed when it is JSON, the string itself otherwise,
 * `undefined` for a binary secret: one signed `secretsmanager.GetSecretValue` call, no
 * AWS SDK (see `callAwsJson`). Throws {@link SecretReadError} for any AWS error or network
 * failure.
 */
export async function getSecretValue(secretId: string, target: AwsTarget): Promise<unknown> {
  let answer: Record<string, unknown>;
  try {
    answer = await callAwsJson(
      target,
      'secretsmanager.GetSecretValue',
      { SecretId: secretId },
      {
        jsonVersion: '1.1',
      },
    );
  } catch (error) {
    throw asSecretReadError(error);
  }
  const secret = answer.SecretString;
  return typeof secret === 'string' ? (parseJson(secret) ?? secret) : undefined;
}

function asSecretReadError(error: unknown): unknown {
  if (!(error instanceof AwsCallError)) return error;
  const message = error.message.slice(error.code.length + 2);
  return new SecretReadError(error.code, message, error.status, { cause: error.cause });
}
