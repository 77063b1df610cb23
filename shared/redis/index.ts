export { createRedisClient, type Redis, type RedisSettings } from './client.ts';
export { isTransportFailure, redisCall } from './errors.ts';
