-- Settles a claimed recipient.
-- KEYS: state, campaign. ARGV: recipient, outcome, now, inDoubt (0/1).
--- @include "finish-if-complete"
local s = redis.call('HGET', KEYS[1], ARGV[1])
if not s or string.sub(s, 1, 7) ~= 'sending' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[2], 'inDoubt', 1) end
finishIfComplete(KEYS[2], ARGV[3])
return 1
