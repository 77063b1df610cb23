export { PlatformError } from './base.ts';
export {
  DeadlineExceededError,
  ModelMisconfiguredError,
  ModelRejectedError,
  ModelUnavailableError,
  NotConfiguredError,
  QueueUnavailableError,
  RedisUnavailableError,
  SettingsInvalidError,
  SettingsUnavailableError,
} from './upstream.ts';
