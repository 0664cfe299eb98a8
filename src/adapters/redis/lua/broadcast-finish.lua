-- Records the outcome of a claimed send, by its claimant only. An outcome that arrives after the recipient was
-- recorded as in doubt (its job taken over while this worker was cut off from Redis) replaces the doubt.
-- KEYS: state, campaign. ARGV: recipient, outcome, now, claim id.
-- Returns 1 (recorded), 2 (recorded, in doubt no more), 0 (not this claim's: nothing changed).
--- @include "finish-if-complete"
local s = redis.call('HGET', KEYS[1], ARGV[1])
if not s then return 0 end
local kind, claim = string.match(s, '^([%a_]+):%d+:%d+:(.+)$')
if claim ~= ARGV[4] or (kind ~= 'sending' and kind ~= 'in_doubt') then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
local r = 1
if kind == 'in_doubt' then
  redis.call('HINCRBY', KEYS[2], 'inDoubt', -1)
  r = 2
end
finishIfComplete(KEYS[2], ARGV[3])
return r
