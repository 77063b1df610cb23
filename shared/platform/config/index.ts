export type { Config } from './config.ts';
export { ConfigError } from './errors.ts';
export {
  CONFIG_SECRET_ARN_ENV,
  type ConfigContext,
  configMiddleware,
  loadConfigFromEnv,
  REFRESH_RETRY_MS,
  resetConfigCache,
  SETTINGS_MAX_AGE_MS,
} from './load.ts';
export { parseConfig } from './parse.ts';
export { secretSettingNames, settingsSchema } from './schema.ts';
export {
  type SecretGroup,
  type SettingsSecret,
  secretArnVariable,
  secretGroupNames,
  secretGroups,
  secretName,
  settingsSecrets,
  splitBySecret,
} from './secret-groups.ts';
