import { createHash } from 'node:crypto';

/**
 * Upstash accepts Lua shebang flags that older Redis releases reject (e.g.
 * `allow-key-locking`, used by @upstash/ratelimit). The local gateway drops those flags
 * and keeps a map from the SHA the client computed to the SHA Redis knows, so EVALSHA
 * and SCRIPT LOAD behave as they do on Upstash.
 */
const UNSUPPORTED_FLAGS = new Set(['allow-key-locking']);

type Command = (string | number)[];

export class LuaCompatibility {
  private readonly aliases = new Map<string, string>();

  rewrite(command: Command): { command: Command; scriptLoadSha?: string } {
    const name = String(command[0]).toUpperCase();
    if ((name === 'EVAL' || name === 'EVAL_RO') && command.length > 1) {
      const script = String(command[1]);
      const compatible = this.register(script);
      return { command: [command[0] as string, compatible, ...command.slice(2)] };
    }
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && command.length > 1) {
      const sha = String(command[1]).toLowerCase();
      return { command: [command[0] as string, this.aliases.get(sha) ?? sha, ...command.slice(2)] };
    }
    if (name === 'SCRIPT' && String(command[1]).toUpperCase() === 'LOAD' && command.length > 2) {
      const script = String(command[2]);
      const compatible = this.register(script);
      return {
        command: [command[0] as string, command[1] as string, compatible],
        scriptLoadSha: sha1(script),
      };
    }
    return { command };
  }

  private register(script: string): string {
    const compatible = stripUnsupportedFlags(script);
    if (compatible !== script) this.aliases.set(sha1(script), sha1(compatible));
    return compatible;
  }
}

function stripUnsupportedFlags(script: string): string {
  const match = /^#!lua flags=([^\n]*)/.exec(script);
  if (!match) return script;
  const flags = (match[1] ?? '')
    .split(',')
    .map((flag) => flag.trim())
    .filter((flag) => flag && !UNSUPPORTED_FLAGS.has(flag));
  const shebang = flags.length > 0 ? `#!lua flags=${flags.join(',')}` : '#!lua';
  return shebang + script.slice(match[0].length);
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
