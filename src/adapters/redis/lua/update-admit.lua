-- Counts an update against its user's flood limit, records it and queues it (update-accept), and, given a lock,
-- takes the user's lock and begins the oldest unanswered update (update-take): one round trip for the three.
-- KEYS: flood counter, record, user queue, due set[, the user's lock]. ARGV: flood ttl (s), flood max, record
-- JSON, record ttl (s), user member, due time (ms), dedup key[, lock token, lock ttl (ms), record key prefix].
-- Returns the count when over the flood limit (nothing recorded), 'duplicate', 'accepted' (no lock given),
-- 'busy' (someone else holds the lock), else what update-take returns after its lock.
local count = redis.call('incr', KEYS[1])
-- As the guard's own count does: the window's key lives a second past its window.
redis.call('expire', KEYS[1], ARGV[1])
if count > tonumber(ARGV[2]) then return count end
local record, queue, due = KEYS[2], KEYS[3], KEYS[4]
local json, ttl, member, dueAt, dedupKey = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
--- @include "update-record"
if not recorded then return 'duplicate' end
if not KEYS[5] then return 'accepted' end
local lock, token, lockTtl, prefix = KEYS[5], ARGV[8], ARGV[9], ARGV[10]
--- @include "update-lock-begin"
