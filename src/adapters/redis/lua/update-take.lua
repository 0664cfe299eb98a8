-- Takes the user's lock and begins the user's oldest unanswered update in one step (see update-next): returns
-- 'busy' when someone else holds the lock, else what update-next returns (and with nothing left, lets the lock go).
-- KEYS: the user's lock, user queue, due set. ARGV: lock token, lock ttl (ms), user member, record key prefix,
-- record ttl (s).
local lock, queue, due = KEYS[1], KEYS[2], KEYS[3]
local token, lockTtl, member, prefix, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
--- @include "update-lock-begin"
