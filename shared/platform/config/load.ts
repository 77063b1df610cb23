import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { SettingsInvalidError, SettingsUnavailableError } from '../errors/upstream.ts';
import { logger } from '../logging/logger.ts';
import { registerSecretValues } from '../logging/redaction.ts';
import type { Config } from './config.ts';
import { ConfigError } from './errors.ts';
import { parseConfig } from './parse.ts';
import { type SettingsSecret, secretArnVariable, settingsSecrets } from './secret-groups.ts';
import { mergeSecretSettings } from './secret-settings.ts';
import { getSecretValue, secretsManagerTarget } from './secrets-manager-reader.ts';

/** The ARN of the `settings` secret; its presence means the settings come from AWS. */
export const CONFIG_SECRET_ARN_ENV = secretArnVariable('settings');

/** After a failed refresh, how long the last good settings serve before the next try. */
export const REFRESH_RETRY_MS = 30_000;

/** How long fetched secrets are used before a request reads them again (rotation). */
export const SETTINGS_MAX_AGE_MS = 5 * 60 * 1000;

export type ConfigContext = Context & { config: Config };

/**
 * Secret reads by ARN, in flight or done, kept until they expire. A failed read leaves
 * the map when it fails, so the next request reads that secret again and only that one.
 */
const secretReads = new Map<string, Promise<unknown>>();

function readSecret(arn: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  let read = secretReads.get(arn);
  if (!read) {
    read = Promise.resolve()
      .then(() => getSecretValue(arn, secretsManagerTarget(env)))
      .catch((error: unknown) => {
        if (secretReads.get(arn) === read) secretReads.delete(arn);
        throw error;
      });
    secretReads.set(arn, read);
  }
  return read;
}

/**
 * The last configuration built, with the fetched secret values it came from (serialized;
 * `undefined` when it came from the environment), so a refresh that brings the same values
 * reuses it instead of building a new one.
 */
let cached: { fingerprint: string | undefined; config: Config } | undefined;

/**
 * Configuration from the environment alone (local runs, CLI, tests). Parsed once and
 * reused until {@link resetConfigCache} is called.
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && cached.fingerprint === undefined) return cached.config;
  const config = parseConfig(env);
  cached = { fingerprint: undefined, config };
  applyToLogging(config);
  return config;
}

/**
 * The logger exists before the settings are read; give it their level and secrets. Values
 * replaced by a rotation stay registered: old credentials are still never logged.
 */
function applyToLogging(config: Config): void {
  logger.setLogLevel(config.logLevel);
  registerSecretValues([
    config.openai.apiKey,
    config.redis?.token,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.auth.adminApiKeySha256,
  ]);
}

/** Forgets the cached configuration, so the next request reads its sources again. */
export function resetConfigCache(): void {
  cached = undefined;
  secretReads.clear();
}

function configFromSecrets(
  secrets: Partial<Record<SettingsSecret, unknown>>,
  env: NodeJS.ProcessEnv,
): Config {
  const fingerprint = JSON.stringify(settingsSecrets.map((secret) => secrets[secret] ?? null));
  if (cached?.fingerprint === fingerprint) return cached.config;
  const config = parseConfig({ ...env, ...mergeSecretSettings(secrets) });
  cached = { fingerprint, config };
  applyToLogging(config);
  return config;
}

/** The ARNs this function was given, by secret: `settings` and the groups it may read. */
function secretArnsIn(env: NodeJS.ProcessEnv): [SettingsSecret, string][] {
  return settingsSecrets.flatMap((secret) => {
    const arn = env[secretArnVariable(secret)];
    return arn ? [[secret, arn] as [SettingsSecret, string]] : [];
  });
}

/**
 * Middy middleware that puts the validated {@link Config} on `context.config`.
 *
 * In AWS the settings come from the `settings` secret (`CONFIG_SECRET_ARN`) and the secret
 * groups the function may read (`CONFIG_SECRET_ARN_<GROUP>`), fetched at cold start by
 * a SigV4-signed HTTPS call ({@link getSecretValue}, no AWS SDK) and read again by the
 * first request after `maxAgeMs`, so a rotation reaches warm containers. The
 * {@link Config} is rebuilt only when a value changed. Until the first success a failure
 * is a 503 and the next request tries again; after it, a failed or invalid refresh keeps
 * the last good settings, logs a warning, and is tried again after
 * {@link REFRESH_RETRY_MS} (stale while error). Locally the environment is used.
 */
export function configMiddleware<
  TEvent = unknown,
  TResult = unknown,
  TContext extends ConfigContext = ConfigContext,
>(
  env: NodeJS.ProcessEnv = process.env,
  { maxAgeMs = SETTINGS_MAX_AGE_MS }: { maxAgeMs?: number } = {},
): MiddlewareObj<TEvent, TResult, Error, TContext> {
  const arns = secretArnsIn(env);
  const fromSecrets = Boolean(env[CONFIG_SECRET_ARN_ENV]);
  let fetchedAt = Date.now();
  // After a failed refresh, the last good settings serve without another read until then:
  // otherwise every request of an outage would wait on Secrets Manager's timeout again.
  let refreshPausedUntil = 0;
  // The prefetch starts at import, overlapping the rest of the init; a failure must wait
  // for the first request to report it (as a 503) instead of crashing the container's
  // init as an unhandled rejection.
  if (fromSecrets) {
    for (const [, arn] of arns) readSecret(arn, env).catch(() => undefined);
  }

  const configMiddlewareBefore = async (
    request: Parameters<NonNullable<MiddlewareObj['before']>>[0],
  ) => {
    const context = request.context as ConfigContext;
    if (!fromSecrets) {
      context.config = withInvalidSettingsAs503(() => loadConfigFromEnv(env));
      return;
    }
    const lastGood = cached?.fingerprint === undefined ? undefined : cached.config;
    if (lastGood && Date.now() < refreshPausedUntil) {
      context.config = lastGood;
      return;
    }
    if (Date.now() - fetchedAt >= maxAgeMs) {
      for (const [, arn] of arns) secretReads.delete(arn);
      fetchedAt = Date.now();
    }
    let values: Partial<Record<SettingsSecret, unknown>>;
    try {
      // Every read starts before the first is awaited: one round trip, not one per secret.
      const reads = arns.map(([, arn]) => readSecret(arn, env));
      const fetched = await Promise.allSettled(reads);
      const failed = fetched.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      values = Object.fromEntries(
        arns.map(([secret], index) => [
          secret,
          (fetched[index] as PromiseFulfilledResult<unknown>).value,
        ]),
      );
    } catch (error) {
      if (lastGood) refreshPausedUntil = Date.now() + REFRESH_RETRY_MS;
      context.config = lastGoodOr(new SettingsUnavailableError({ cause: error }));
      return;
    }
    try {
      context.config = withInvalidSettingsAs503(() => configFromSecrets(values, env));
    } catch (error) {
      if (!(error instanceof SettingsInvalidError)) throw error;
      if (lastGood) refreshPausedUntil = Date.now() + REFRESH_RETRY_MS;
      context.config = lastGoodOr(error);
    }
  };

  return { before: configMiddlewareBefore };
}

/**
 * After a refresh failed or brought invalid settings: the last settings that worked, with
 * a warning for the operator, or `error` if none ever did. A Secrets Manager hiccup or a
 * bad put should not take a running API down; the next request after the failure tries
 * again.
 */
function lastGoodOr(error: Error): Config {
  if (cached?.fingerprint === undefined) throw error;
  logger.warn('Settings refresh failed; serving the last good settings', { error });
  return cached.config;
}

/**
 * A bad setting is the operator's to fix: callers get a 503 that says so, the log gets the
 * {@link ConfigError} naming the setting (never its value).
 */
function withInvalidSettingsAs503(load: () => Config): Config {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) throw new SettingsInvalidError({ cause: error });
    throw error;
  }
}
