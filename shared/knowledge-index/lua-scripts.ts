/*
 * The index's writes, each one Lua script so it is atomic: readers see a document's
 * chunks, records, content hash and the version bump together or not at all. Every key a
 * script touches is passed in KEYS.
 */

const BUMP_VERSION = `
local function bump(versionKey, logKey, entry, keep)
  local v = redis.call('INCR', versionKey)
  redis.call('ZADD', logKey, v, v .. ':' .. entry)
  redis.call('ZREMRANGEBYRANK', logKey, 0, -(keep + 1))
  return v
end
`;

/**
 * Puts one document, replacing its earlier version.
 * KEYS: meta, version, log, documents, hashes, document, stage.
 * ARGV: embedder, dimensions, id, record, contentHash, stagedParts, logKeep, layout,
 *       inline parts...
 * Returns {'ok', version}, {'mismatch', embedder, dimensions} or {'stage_missing'}.
 */
export const PUT_DOCUMENT = `${BUMP_VERSION}
local embedder = redis.call('HGET', KEYS[1], 'embedder')
local dimensions = redis.call('HGET', KEYS[1], 'dimensions')
if embedder and (embedder ~= ARGV[1] or dimensions ~= ARGV[2]) then
  redis.call('DEL', KEYS[7])
  return {'mismatch', embedder, dimensions or ''}
end
local staged = tonumber(ARGV[6])
local target = KEYS[6]
if staged > 0 then
  if redis.call('HLEN', KEYS[7]) ~= staged then return {'stage_missing'} end
  target = KEYS[7]
end
if not embedder then redis.call('HSET', KEYS[1], 'embedder', ARGV[1], 'dimensions', ARGV[2]) end
local oldHash = redis.call('HGET', KEYS[6], 'contentHash')
if oldHash and redis.call('HGET', KEYS[5], oldHash) == ARGV[3] then
  redis.call('HDEL', KEYS[5], oldHash)
end
if staged == 0 then redis.call('DEL', KEYS[6]) end
local fields = {'record', ARGV[4], 'contentHash', ARGV[5], 'layout', ARGV[8]}
for i = 9, #ARGV do
  fields[#fields + 1] = 'p' .. (staged + i - 9)
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', target, unpack(fields))
if staged > 0 then
  redis.call('PERSIST', target)
  redis.call('RENAME', target, KEYS[6])
end
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
redis.call('HSET', KEYS[5], ARGV[5], ARGV[3])
return {'ok', bump(KEYS[2], KEYS[3], 'put:' .. ARGV[3], tonumber(ARGV[7]))}
`;

/**
 * Deletes one document. KEYS: version, log, documents, hashes, document.
 * ARGV: id, logKeep. Returns the new version, or 0 when there was no such document.
 */
export const DELETE_DOCUMENT = `${BUMP_VERSION}
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return 0 end
local hash = redis.call('HGET', KEYS[5], 'contentHash')
if hash and redis.call('HGET', KEYS[4], hash) == ARGV[1] then redis.call('HDEL', KEYS[4], hash) end
redis.call('DEL', KEYS[5])
redis.call('HDEL', KEYS[3], ARGV[1])
return bump(KEYS[1], KEYS[2], 'delete:' .. ARGV[1], tonumber(ARGV[2]))
`;

/**
 * Replaces a whole namespace: drops every current document and puts staged ones in their
 * place, under a new embedder or none (a clear). Refuses if the namespace changed since
 * the caller read it, so no concurrent write is lost.
 * KEYS: meta, version, log, documents, hashes, M current documents, then N (stage, document).
 * ARGV: expectedVersion, logKeep, embedder ('' to drop), dimensions, M, N,
 *       then per new document: id, record, contentHash, stagedParts, layout.
 * Returns {'ok', version}, {'conflict'} or {'stage_missing'}.
 */
export const REPLACE_NAMESPACE = `${BUMP_VERSION}
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return {'conflict'} end
local current = tonumber(ARGV[5])
local incoming = tonumber(ARGV[6])
for j = 1, incoming do
  local stage = KEYS[5 + current + 2 * j - 1]
  if redis.call('HLEN', stage) ~= tonumber(ARGV[6 + 5 * j - 1]) then return {'stage_missing'} end
end
for i = 1, current do redis.call('DEL', KEYS[5 + i]) end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5])
for j = 1, incoming do
  local stage = KEYS[5 + current + 2 * j - 1]
  local document = KEYS[5 + current + 2 * j]
  local id, record, hash = ARGV[6 + 5 * j - 4], ARGV[6 + 5 * j - 3], ARGV[6 + 5 * j - 2]
  redis.call('HSET', stage, 'record', record, 'contentHash', hash, 'layout', ARGV[6 + 5 * j])
  redis.call('PERSIST', stage)
  redis.call('RENAME', stage, document)
  redis.call('HSET', KEYS[4], id, record)
  redis.call('HSET', KEYS[5], hash, id)
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'embedder', ARGV[3], 'dimensions', ARGV[4]) end
return {'ok', bump(KEYS[2], KEYS[3], 'reset:*', tonumber(ARGV[2]))}
`;
