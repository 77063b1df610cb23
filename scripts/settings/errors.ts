/** The settings file cannot be put as it is; the message says what to change. */
export class SettingsFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SettingsFileError';
  }
}
