import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where profiles live: `AGENT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/agent`, else
 * `~/.config/agent`.
 */
function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AGENT_CONFIG_DIR) return env.AGENT_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'agent');
  return join(homedir(), '.config', 'agent');
}

export function profilesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDirectory(env), 'profiles.json');
}
