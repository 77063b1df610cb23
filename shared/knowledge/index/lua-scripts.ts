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
 * The namespace's stored snapshot goes too (it holds the old documents); the `reset`
 * entry in the log keeps a snapshot written from an older state from being flipped in.
 * KEYS: meta, version, log, documents, hashes, usage, M current documents, then N
 *       (stage, document), then the snapshot pointer and S segments of its generation.
 * ARGV: expectedVersion, logKeep, embedder ('' to drop), dimensions, M, N,
 *       then per new document: id, record, contentHash, stagedParts, layout,
 *       then the snapshot generation those segments belong to ('' for none), S.
 * Returns {'ok', version}, {'conflict'}, {'stage_missing'} or {'snapshot_moved'} (a new
 * snapshot was flipped in since the caller read the pointer).
 */
export const REPLACE_NAMESPACE = `${BUMP_VERSION}${COUNTERS}
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return {'conflict'} end
local current = tonumber(ARGV[5])
local incoming = tonumber(ARGV[6])
local pointer = 6 + current + 2 * incoming + 1
local tail = 6 + 5 * incoming
if (redis.call('HGET', KEYS[pointer], 'generation') or '') ~= ARGV[tail + 1] then
  return {'snapshot_moved'}
end
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
for i = 1, tonumber(ARGV[tail + 2]) do redis.call('DEL', KEYS[pointer + i]) end
redis.call('DEL', KEYS[pointer])
return {'ok', bump(KEYS[2], KEYS[3], 'reset:*', tonumber(ARGV[2]))}
`;

/**
 * Makes a fully written snapshot generation the namespace's snapshot, or nothing: it
 * refuses if another snapshot was flipped in since the writer read the pointer, if the
 * log no longer reaches back to the snapshot's version or shows a clear or replace since
 * (its documents are gone), or if any segment is missing (an interrupted write). On
 * success the new segments stop expiring, the old generation's are deleted and the
 * writer's claim is released.
 * KEYS: pointer, version, log, claim, N new segments, M old segments.
 * ARGV: expected generation ('' for none), new generation, version, manifest, N, M.
 * Returns 'ok', 'moved', 'stale' or 'missing'.
 */
export const FLIP_SNAPSHOT = `
if (redis.call('HGET', KEYS[1], 'generation') or '') ~= ARGV[1] then return 'moved' end
local version = tonumber(ARGV[3])
if tonumber(redis.call('HGET', KEYS[1], 'version') or '0') >= version then return 'stale' end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if current > version then
  local entries = redis.call('ZRANGE', KEYS[3], '(' .. ARGV[3], '+inf', 'BYSCORE')
  if #entries ~= current - version then return 'stale' end
  for _, entry in ipairs(entries) do
    if string.match(entry, '^%d+:reset:') then return 'stale' end
  end
end
local n, m = tonumber(ARGV[5]), tonumber(ARGV[6])
for i = 1, n do
  if redis.call('EXISTS', KEYS[4 + i]) == 0 then return 'missing' end
end
for i = 1, n do redis.call('PERSIST', KEYS[4 + i]) end
for i = 1, m do redis.call('DEL', KEYS[4 + n + i]) end
redis.call('HSET', KEYS[1], 'generation', ARGV[2], 'version', ARGV[3], 'manifest', ARGV[4])
redis.call('DEL', KEYS[4])
return 'ok'
`;

/**
 * What a cold load needs before reading a snapshot's segments: the pointer's manifest and
 * version, the namespace's version and chunk counter, and the change log since the
 * snapshot, read together so the log bridges exactly from the snapshot to now.
 * KEYS: pointer, version, log, meta. Returns {false} without a snapshot, else
 * {generation, snapshotVersion, manifest, version, chunks, entries}.
 */
export const SNAPSHOT_HEAD = `
local fields = redis.call('HMGET', KEYS[1], 'generation', 'version', 'manifest')
if not fields[1] then return {false} end
local entries = redis.call('ZRANGE', KEYS[3], '(' .. fields[2], '+inf', 'BYSCORE')
local version = redis.call('GET', KEYS[2]) or '0'
local chunks = redis.call('HGET', KEYS[4], 'chunks') or '0'
return {fields[1], fields[2], fields[3], version, chunks, entries}
`;
