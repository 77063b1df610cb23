/*
 * The index's writes, each one Lua script so it is atomic: readers see a document's
 * chunks, records, content hash and the version bump together or not at all. Every key a
 * script touches is passed in KEYS.
 *
 * The same scripts keep the counters quotas and memory checks read: the tenant's
 * documents and chunks across its namespaces (`usage`) and each namespace's chunks
 * (`meta`'s `chunks`). Checking a quota in the script that writes is what makes it hold
 * under concurrent ingests: two writes cannot both see room for one.
 */

const BUMP_VERSION = `
local function bump(versionKey, logKey, entry, keep)
  local v = redis.call('INCR', versionKey)
  redis.call('ZADD', logKey, v, v .. ':' .. entry)
  redis.call('ZREMRANGEBYRANK', logKey, 0, -(keep + 1))
  return v
end
`;

const COUNTERS = `
local function adjust(key, field, delta)
  if delta ~= 0 and redis.call('HINCRBY', key, field, delta) < 0 then
    redis.call('HSET', key, field, 0)
  end
end
local function over(key, field, delta, limit)
  return delta > 0 and limit > 0 and tonumber(redis.call('HGET', key, field) or '0') + delta > limit
end
local function chunksOf(record)
  if not record then return 0 end
  return tonumber(cjson.decode(record).chunkCount) or 0
end
`;

/**
 * Puts one document, replacing its earlier version; a replacement counts only the
 * difference against the quotas.
 * KEYS: meta, version, log, documents, hashes, document, stage, usage.
 * ARGV: embedder, dimensions, id, record, contentHash, stagedParts, logKeep, layout,
 *       maxDocuments, maxChunks (0: no limit), inline parts...
 * Returns {'ok', version}, {'mismatch', embedder, dimensions}, {'stage_missing'} or
 * {'quota', name, limit}.
 */
export const PUT_DOCUMENT = `${BUMP_VERSION}${COUNTERS}
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
local previous = redis.call('HGET', KEYS[4], ARGV[3])
local addDocuments = previous and 0 or 1
local addChunks = chunksOf(ARGV[4]) - chunksOf(previous)
for _, quota in ipairs({{'documents', addDocuments, ARGV[9]}, {'chunks', addChunks, ARGV[10]}}) do
  if over(KEYS[8], quota[1], quota[2], tonumber(quota[3])) then
    redis.call('DEL', KEYS[7])
    return {'quota', quota[1], quota[3]}
  end
end
if not embedder then redis.call('HSET', KEYS[1], 'embedder', ARGV[1], 'dimensions', ARGV[2]) end
local oldHash = redis.call('HGET', KEYS[6], 'contentHash')
if oldHash and redis.call('HGET', KEYS[5], oldHash) == ARGV[3] then
  redis.call('HDEL', KEYS[5], oldHash)
end
if staged == 0 then redis.call('DEL', KEYS[6]) end
local fields = {'record', ARGV[4], 'contentHash', ARGV[5], 'layout', ARGV[8]}
for i = 11, #ARGV do
  fields[#fields + 1] = 'p' .. (staged + i - 11)
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', target, unpack(fields))
if staged > 0 then
  redis.call('PERSIST', target)
  redis.call('RENAME', target, KEYS[6])
end
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
redis.call('HSET', KEYS[5], ARGV[5], ARGV[3])
adjust(KEYS[8], 'documents', addDocuments)
adjust(KEYS[8], 'chunks', addChunks)
adjust(KEYS[1], 'chunks', addChunks)
return {'ok', bump(KEYS[2], KEYS[3], 'put:' .. ARGV[3], tonumber(ARGV[7]))}
`;

/**
 * Deletes one document. KEYS: version, log, documents, hashes, document, meta, usage.
 * ARGV: id, logKeep. Returns the new version, or 0 when there was no such document.
 */
export const DELETE_DOCUMENT = `${BUMP_VERSION}${COUNTERS}
local record = redis.call('HGET', KEYS[3], ARGV[1])
if not record then return 0 end
local hash = redis.call('HGET', KEYS[5], 'contentHash')
if hash and redis.call('HGET', KEYS[4], hash) == ARGV[1] then redis.call('HDEL', KEYS[4], hash) end
redis.call('DEL', KEYS[5])
redis.call('HDEL', KEYS[3], ARGV[1])
adjust(KEYS[7], 'documents', -1)
adjust(KEYS[7], 'chunks', -chunksOf(record))
adjust(KEYS[6], 'chunks', -chunksOf(record))
return bump(KEYS[1], KEYS[2], 'delete:' .. ARGV[1], tonumber(ARGV[2]))
`;

/**
 * Replaces a whole namespace: drops every current document and puts staged ones in their
 * place, under a new embedder or none (a clear). Refuses if the namespace changed since
 * the caller read it, so no concurrent write is lost. It never adds documents (a clear
 * or a re-embed of the same ones), so it checks no quota, only moves the counters.
 * KEYS: meta, version, log, documents, hashes, usage, M current documents, then N
 *       (stage, document).
 * ARGV: expectedVersion, logKeep, embedder ('' to drop), dimensions, M, N,
 *       then per new document: id, record, contentHash, stagedParts, layout.
 * Returns {'ok', version}, {'conflict'} or {'stage_missing'}.
 */
export const REPLACE_NAMESPACE = `${BUMP_VERSION}${COUNTERS}
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return {'conflict'} end
local current = tonumber(ARGV[5])
local incoming = tonumber(ARGV[6])
for j = 1, incoming do
  local stage = KEYS[6 + current + 2 * j - 1]
  if redis.call('HLEN', stage) ~= tonumber(ARGV[6 + 5 * j - 1]) then return {'stage_missing'} end
end
local oldDocuments = redis.call('HLEN', KEYS[4])
local oldChunks = tonumber(redis.call('HGET', KEYS[1], 'chunks') or '0')
for i = 1, current do redis.call('DEL', KEYS[6 + i]) end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5])
local newChunks = 0
for j = 1, incoming do
  local stage = KEYS[6 + current + 2 * j - 1]
  local document = KEYS[6 + current + 2 * j]
  local id, record, hash = ARGV[6 + 5 * j - 4], ARGV[6 + 5 * j - 3], ARGV[6 + 5 * j - 2]
  redis.call('HSET', stage, 'record', record, 'contentHash', hash, 'layout', ARGV[6 + 5 * j])
  redis.call('PERSIST', stage)
  redis.call('RENAME', stage, document)
  redis.call('HSET', KEYS[4], id, record)
  redis.call('HSET', KEYS[5], hash, id)
  newChunks = newChunks + chunksOf(record)
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'embedder', ARGV[3], 'dimensions', ARGV[4]) end
if newChunks > 0 then redis.call('HSET', KEYS[1], 'chunks', newChunks) end
adjust(KEYS[6], 'documents', incoming - oldDocuments)
adjust(KEYS[6], 'chunks', newChunks - oldChunks)
return {'ok', bump(KEYS[2], KEYS[3], 'reset:*', tonumber(ARGV[2]))}
`;
