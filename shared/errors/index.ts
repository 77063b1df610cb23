export { PlatformError } from './base.ts';
export {
  DeadlineExceededError,
  ModelUnavailableError,
  NotConfiguredError,
  RedisUnavailableError,
  SettingsUnavailableError,
} from './upstream.ts';
