import { CliError, UsageError } from '../errors.ts';
import { profilesPath } from './paths.ts';
import { type Profile, readProfiles } from './profiles.ts';

/** Where requests go, with what key, and where each came from (for error messages). */
export interface Connection {
  url: string;
  key: string | undefined;
  userId: string | undefined;
  /** e.g. `AGENT_API_URL`, `--api-url` or `profile "work" (~/.config/agent/profiles.json)`. */
  urlSource: string;
  keySource: string;
}

export interface ConnectionOptions {
  profile?: string | undefined;
  apiUrl?: string | undefined;
}

/**
 * `--api-url` wins for the URL. An explicit `--profile` gives the rest; otherwise
 * `AGENT_API_URL` / `AGENT_API_KEY` / `AGENT_USER_ID`, then the profile named by
 * `AGENT_PROFILE` or the default one.
 */
export async function resolveConnection(
  options: ConnectionOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  const path = profilesPath(env);
  const file = await readProfiles(path);
  const name = options.profile ?? env.AGENT_PROFILE ?? file.default;
  const profile: Profile | undefined = name ? file.profiles[name] : undefined;
  if (name && !profile && (options.profile || env.AGENT_PROFILE)) {
    throw new UsageError(
      `No profile "${name}" in ${path}. Run: agent login --profile ${name} --url <API URL>`,
      'profile_not_found',
    );
  }
  const fromProfile = `profile "${name}" (${path})`;
  const useEnv = options.profile === undefined;
  const pick = (envName: string, value: string | undefined) =>
    useEnv && env[envName]
      ? { value: env[envName], source: envName }
      : { value, source: fromProfile };

  const url = options.apiUrl
    ? { value: options.apiUrl, source: '--api-url' }
    : pick('AGENT_API_URL', profile?.url);
  const pickedKey = pick('AGENT_API_KEY', profile?.key);
  // A profile's key goes only to the profile's own URL: pointing AGENT_API_URL or
  // --api-url elsewhere must not send, say, a production key to a local or unknown server.
  const key =
    pickedKey.source === fromProfile &&
    url.source !== fromProfile &&
    !sameUrl(url.value, profile?.url)
      ? { value: undefined, source: fromProfile }
      : pickedKey;
  const user = pick('AGENT_USER_ID', profile?.userId);
  if (!url.value) {
    throw new UsageError(
      'No API URL: set AGENT_API_URL and AGENT_API_KEY, or run agent login --url <API URL>.',
      'not_logged_in',
    );
  }
  return {
    url: normaliseUrl(url.value, url.source),
    key: key.value,
    userId: user.value,
    urlSource: url.source,
    keySource: key.value ? key.source : 'AGENT_API_KEY or agent login',
  };
}

/** `http(s)://host[:port][/stage]` without a trailing slash. */
export function normaliseUrl(value: string, source: string): string {
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new CliError(`${source} is not an http(s) URL: "${value}".`, {
      code: 'invalid_url',
      exitCode: 2,
    });
  }
  return withoutTrailingSlashes(value);
}

/** Whether two API URLs name the same server and base path (trailing slashes aside). */
function sameUrl(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return withoutTrailingSlashes(a) === withoutTrailingSlashes(b);
}

/** A scan, not a `/\/+$/` replace: that pattern is quadratic on a long run of slashes. */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end -= 1;
  return url.slice(0, end);
}
