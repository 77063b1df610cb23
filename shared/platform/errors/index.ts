export { PlatformError } from './base.ts';
export {
  DeadlineExceededError,
  ModelUnavailableError,
  NotConfiguredError,
  RedisUnavailableError,
  SettingsInvalidError,
  SettingsUnavailableError,
} from './upstream.ts';
