-- Stores a new submission if the idempotency key is still held by our claim: the mapping, the submission, both
-- indexes and (when KEYS[5] is given) the outbox pending mark, all at once.
-- KEYS: idempotency, submission, index, user index[, outbox pending]. ARGV: claim, id, json, createdAt.
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2])
redis.call('set', KEYS[2], ARGV[3])
redis.call('zadd', KEYS[3], ARGV[4], ARGV[2])
redis.call('zadd', KEYS[4], ARGV[4], ARGV[2])
if KEYS[5] then redis.call('sadd', KEYS[5], ARGV[2]) end
return 1
