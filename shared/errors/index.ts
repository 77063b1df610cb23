export { PlatformError } from './base.ts';
export {
  ModelUnavailableError,
  NotConfiguredError,
  RedisUnavailableError,
  SettingsUnavailableError,
} from './upstream.ts';
