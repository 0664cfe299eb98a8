-- Deletes a lock only if it is still ours.
-- KEYS: lock. ARGV: token.
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
