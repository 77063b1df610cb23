export { PlatformError } from './base.ts';
export { ModelUnavailableError, RedisUnavailableError } from './upstream.ts';
