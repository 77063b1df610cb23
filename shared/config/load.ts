import type { MiddlewareObj } from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import { clearCache, getCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { SettingsInvalidError, SettingsUnavailableError } from '../errors/upstream.ts';
import { logger } from '../logging/logger.ts';
import { registerSecretValues } from '../logging/redaction.ts';
import type { Config } from './config.ts';
import { ConfigError } from './errors.ts';
import { parseConfig, type SettingsSource } from './parse.ts';

/** The only variable a deployed function needs: the ARN of the settings secret. */
export const CONFIG_SECRET_ARN_ENV = 'CONFIG_SECRET_ARN';

export type ConfigContext = Context & { config: Config };

const SECRET_CACHE_KEY = 'platform-settings';

let cached: { secret: unknown; config: Config } | undefined;

/**
 * Configuration from the environment alone (local runs, CLI, tests). Parsed once and
 * reused until {@link resetConfigCache} is called.
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && cached.secret === undefined) return cached.config;
  const config = parseConfig(env);
  cached = { secret: undefined, config };
  applyToLogging(config);
  return config;
}

/** The logger exists before the settings are read; give it their level and secrets. */
function applyToLogging(config: Config): void {
  logger.setLogLevel(config.logLevel);
  registerSecretValues([
    config.openai.apiKey,
    config.redis?.token,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.auth.adminApiKey,
  ]);
}

/** Forgets the cached configuration, so the next request reads its sources again. */
export function resetConfigCache(): void {
  cached = undefined;
  clearCache([SECRET_CACHE_KEY]);
}

function configFromSecret(secret: unknown, env: NodeJS.ProcessEnv): Config {
  if (cached && cached.secret === secret) return cached.config;
  if (secret === null || typeof secret !== 'object' || Array.isArray(secret)) {
    throw new ConfigError([
      { setting: CONFIG_SECRET_ARN_ENV, problem: 'must point to a secret holding a JSON object' },
    ]);
  }
  const config = parseConfig({ ...env, ...(secret as SettingsSource) });
  cached = { secret, config };
  applyToLogging(config);
  return config;
}

/**
 * Middy middleware that puts the validated {@link Config} on `context.config`.
 *
 * In AWS the settings come from one Secrets Manager JSON secret whose ARN is in
 * `CONFIG_SECRET_ARN`; middy's secrets-manager middleware fetches it at cold start
 * (prefetch) and caches it for the life of the container; if that fails the request gets
 * a 503 and the next one tries again. Locally the environment is used.
 */
export function configMiddleware<
  TEvent = unknown,
  TResult = unknown,
  TContext extends ConfigContext = ConfigContext,
>(env: NodeJS.ProcessEnv = process.env): MiddlewareObj<TEvent, TResult, Error, TContext> {
  const secretArn = env[CONFIG_SECRET_ARN_ENV];
  const secrets = secretArn
    ? secretsManager({
        fetchData: { platformSettings: secretArn },
        setToContext: true,
        cacheKey: SECRET_CACHE_KEY,
        cacheExpiry: -1,
      })
    : undefined;
  // The prefetch starts at import; a failure must wait for the first request to report it
  // (as a 503) instead of crashing the container's init as an unhandled rejection.
  const prefetch = secrets ? getCache(SECRET_CACHE_KEY).value?.platformSettings : undefined;
  if (prefetch instanceof Promise) prefetch.catch(() => undefined);

  const configMiddlewareBefore = async (
    request: Parameters<NonNullable<MiddlewareObj['before']>>[0],
  ) => {
    if (!secrets) {
      (request.context as ConfigContext).config = withInvalidSettingsAs503(() =>
        loadConfigFromEnv(env),
      );
      return;
    }
    try {
      await secrets.before?.(request as never);
    } catch (error) {
      throw new SettingsUnavailableError({ cause: error });
    }
    const context = request.context as ConfigContext & { platformSettings?: unknown };
    context.config = withInvalidSettingsAs503(() =>
      configFromSecret(context.platformSettings, env),
    );
    delete context.platformSettings;
  };

  return { before: configMiddlewareBefore };
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
