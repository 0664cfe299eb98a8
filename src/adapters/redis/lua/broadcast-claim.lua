-- Claims a recipient of a campaign for sending.
-- KEYS: state, campaign. ARGV: recipient, now.
-- Returns 'claimed', 'in_doubt' (claimed before, never settled: a worker died mid-send), 'cancelled' or the final state.
--- @include "finish-if-complete"
local s = redis.call('HGET', KEYS[1], ARGV[1])
if s then
  if string.sub(s, 1, 7) == 'sending' then return 'in_doubt' end
  return s
end
if redis.call('HGET', KEYS[2], 'status') == 'cancelled' then
  redis.call('HSET', KEYS[1], ARGV[1], 'cancelled')
  redis.call('HINCRBY', KEYS[2], 'cancelled', 1)
  finishIfComplete(KEYS[2], ARGV[2])
  return 'cancelled'
end
redis.call('HSET', KEYS[1], ARGV[1], 'sending:' .. ARGV[2])
redis.call('HSETNX', KEYS[2], 'startedAt', ARGV[2])
if redis.call('HGET', KEYS[2], 'status') == 'scheduled' then redis.call('HSET', KEYS[2], 'status', 'running') end
return 'claimed'
