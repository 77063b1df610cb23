export { type BulkReader, createBulkReader, decodeBase64Into } from './bulk-read.ts';
export { createRedisClient, type Redis, type RedisSettings } from './client.ts';
export {
  RedisCommandError,
  redisCall,
  toRedisError,
} from './errors.ts';
export { hashReply } from './hash-reply.ts';
export { hmgetReply } from './hmget-reply.ts';
