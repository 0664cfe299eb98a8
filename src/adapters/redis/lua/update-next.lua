-- Marks the update just answered done, then begins the user's oldest unanswered update: counts one more attempt
-- at it and returns {record JSON, attempts}. With nothing left, drops the user from the due set and returns nil.
-- KEYS: user queue, due set, and optionally the user's lock. ARGV: user member, record key prefix, finished dedup
-- key or '', done ttl (s), record ttl (s), and the lock's token with its key. With nothing left, the lock is let go
-- if it is still that token's. A record is "<prefix><dedup key>" (JSON, or "done"); its attempts
-- "<prefix><dedup key>:n".
local queue, due, lock = KEYS[1], KEYS[2], KEYS[3]
local member, prefix, finished, doneTtl, ttl, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if finished ~= '' then
  redis.call('set', prefix .. finished, 'done', 'EX', doneTtl)
  redis.call('del', prefix .. finished .. ':n')
  redis.call('lrem', queue, 1, finished)
end
--- @include "update-begin-oldest"
