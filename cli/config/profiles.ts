import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from '../errors.ts';

/** One API the CLI can talk to, as `agent login` saved it. */
export interface Profile {
  url: string;
  key: string;
  /** The user chat, conversations and memory act for when `--user` is not given. */
  userId?: string;
}

export interface ProfilesFile {
  /** The profile used when neither `--profile` nor `AGENT_PROFILE` names one. */
  default?: string;
  profiles: Record<string, Profile>;
}

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function readProfiles(path: string): Promise<ProfilesFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<ProfilesFile>;
    return { ...parsed, profiles: parsed.profiles ?? {} };
  } catch (error) {
    throw new CliError(`${path} is not valid JSON; fix it or delete it and run agent login.`, {
      code: 'profiles_invalid',
      cause: error,
    });
  }
}

/**
 * Writes the file readable by its owner only (0600, in a 0700 folder): it holds API keys.
 * Written beside and renamed, so a crash never leaves half a file.
 */
export async function writeProfiles(path: string, file: ProfilesFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
