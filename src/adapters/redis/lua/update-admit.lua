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
if not redis.call('set', KEYS[2], ARGV[3], 'NX', 'EX', ARGV[4]) then return 'duplicate' end
redis.call('rpush', KEYS[3], ARGV[7])
redis.call('expire', KEYS[3], ARGV[4])
-- NX: an earlier due time (a retry already scheduled, a watchdog) is kept.
redis.call('zadd', KEYS[4], 'NX', ARGV[6], ARGV[5])
if not KEYS[5] then return 'accepted' end
local queue, due, lock = KEYS[3], KEYS[4], KEYS[5]
local member, prefix, ttl, token = ARGV[5], ARGV[10], ARGV[4], ARGV[8]
if not redis.call('set', lock, token, 'PX', ARGV[9], 'NX') then return 'busy' end
--- @include "update-begin-oldest"
