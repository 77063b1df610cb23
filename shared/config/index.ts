export type { Config } from './config.ts';
export { ConfigError } from './errors.ts';
export {
  CONFIG_SECRET_ARN_ENV,
  type ConfigContext,
  configMiddleware,
  loadConfigFromEnv,
  resetConfigCache,
} from './load.ts';
export { parseConfig } from './parse.ts';
export { secretSettingNames, settingsSchema } from './schema.ts';
