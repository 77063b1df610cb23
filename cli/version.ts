declare const AGENT_CLI_VERSION: string | undefined;

/** The package version, put in by the build; `dev` when run from source. */
export const VERSION: string = typeof AGENT_CLI_VERSION === 'string' ? AGENT_CLI_VERSION : 'dev';
