export { PlatformError } from './base.ts';
export {
  DeadlineExceededError,
  ModelUnavailableError,
  NotConfiguredError,
  QueueUnavailableError,
  RedisUnavailableError,
  SettingsInvalidError,
  SettingsUnavailableError,
} from './upstream.ts';
