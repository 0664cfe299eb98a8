-- Extends a lock only if it is still ours.
-- KEYS: lock. ARGV: token, ttl (ms).
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end
