export { createRedisClient, type Redis, type RedisSettings } from './client.ts';
export {
  isTransportFailure,
  RedisCommandError,
  redisCall,
  summarizeRedisError,
  toRedisError,
} from './errors.ts';
