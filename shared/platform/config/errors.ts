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
