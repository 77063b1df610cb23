export { PlatformError } from './base.ts';
export {
  ModelUnavailableError,
  RedisUnavailableError,
  SettingsUnavailableError,
} from './upstream.ts';
