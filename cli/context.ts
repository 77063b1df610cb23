import type { Command } from 'commander';
import { type Connection, resolveConnection } from './config/connection.ts';
import { ApiClient, type ClientOptions } from './http/client.ts';
import { Output } from './output/output.ts';

/** Options every command takes (declared on the program). */
export interface GlobalOptions {
  json?: boolean;
  profile?: string;
  apiUrl?: string;
  maxWait?: number;
  timeout?: number;
}

export interface CommandContext {
  out: Output;
  globals: GlobalOptions;
  connection(): Promise<Connection>;
  client(options?: ClientOptions): Promise<ApiClient>;
}

/** What a command's action needs, from the command it runs as. */
export function contextOf(command: Command): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const out = new Output(Boolean(globals.json));
  const connection = () => resolveConnection({ profile: globals.profile, apiUrl: globals.apiUrl });
  return {
    out,
    globals,
    connection,
    async client(options) {
      return new ApiClient(await connection(), {
        ...(globals.maxWait === undefined ? {} : { maxRateLimitWaitSeconds: globals.maxWait }),
        ...(globals.timeout === undefined ? {} : { timeoutSeconds: globals.timeout }),
        onRateLimitWait: (seconds) =>
          out.notice(`Rate limited: waiting ${seconds} s, then retrying.`),
        ...options,
      });
    },
  };
}
