/**
 * Stores one turn of a conversation, atomically with its bookkeeping. The conversation
 * is created if it does not exist, unless the turn continues one (`mustExist`): one that
 * was deleted or expired since the turn read it is not brought back. One owned by
 * another user is left untouched.
 * With a fourth key, the request's idempotency record is written with the turn, and
 * listed in the user's set of such records (the fifth key) so forgetting the user reaches it.
 * KEYS: meta, turns, user's conversations[, idempotency key, user's idempotency records].
 * ARGV: userId, title, now (ISO), now (ms), turn JSON, turns kept, retention (s), conversation id,
 *       mustExist ('1' or '0')[, idempotency record, its lifetime (s)].
 * Returns {'ok', turnCount}, {'not_owner'} or {'gone'}.
 */
export const APPEND_TURN = `
local owner = redis.call('HGET', KEYS[1], 'userId')
if owner and owner ~= ARGV[1] then return {'not_owner'} end
if not owner and ARGV[9] == '1' then return {'gone'} end
if not owner then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'title', ARGV[2], 'createdAt', ARGV[3], 'turnCount', 0)
end
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
local count = redis.call('HINCRBY', KEYS[1], 'turnCount', 1)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
local ttl = tonumber(ARGV[7])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[4]) - ttl * 1000)
redis.call('EXPIRE', KEYS[3], ttl)
if KEYS[4] then
  redis.call('SET', KEYS[4], ARGV[10], 'EX', tonumber(ARGV[11]))
  redis.call('SADD', KEYS[5], KEYS[4])
  redis.call('EXPIRE', KEYS[5], tonumber(ARGV[11]))
end
return {'ok', count}
`;

/**
 * Deletes a conversation if the user owns it. KEYS: meta, turns, user's conversations.
 * ARGV: userId, conversation id. Returns 1 if deleted, 0 if absent or another user's.
 */
export const DELETE_CONVERSATION = `
if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
return 1
`;
