/** A setting is missing or malformed. The message names settings, never their values. */
export class ConfigError extends Error {
  readonly settings: string[];

  constructor(problems: { setting: string; problem: string }[]) {
    super(
      `Invalid configuration: ${problems.map(({ setting, problem }) => `${setting} ${problem}`).join('; ')}`,
    );
    this.name = 'ConfigError';
    this.settings = problems.map(({ setting }) => setting);
  }
}

/**
 * Secrets Manager refused or failed a `GetSecretValue` call. `code` is the AWS error type
 * (`AccessDeniedException`, `ResourceNotFoundException`, `ThrottlingException`, ...) or
 * `NetworkError`; the message is AWS's, which never holds the secret's value.
 */
export class SecretReadError extends Error {
  readonly code: string;
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number, options?: ErrorOptions) {
    super(`${code}: ${message}`, options);
    this.name = 'SecretReadError';
    this.code = code;
    this.status = status;
  }
}
