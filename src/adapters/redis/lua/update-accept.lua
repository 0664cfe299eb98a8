-- Records an update once and queues it behind the user's earlier updates.
-- KEYS: record, user queue, due set. ARGV: record JSON, ttl seconds, user member, due time (ms), dedup key.
-- Returns 1 when accepted, 0 when the update was seen before (queued, done or parked).
if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 0 end
redis.call('rpush', KEYS[2], ARGV[5])
redis.call('expire', KEYS[2], ARGV[2])
-- NX: an earlier due time (a retry already scheduled, a watchdog) is kept.
redis.call('zadd', KEYS[3], 'NX', ARGV[4], ARGV[3])
return 1
