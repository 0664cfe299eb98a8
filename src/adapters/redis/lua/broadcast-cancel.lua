-- Cancels a campaign: every recipient not yet reached becomes cancelled.
-- KEYS: campaign, state, recipients. ARGV: now.
--- @include "finish-if-complete"
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'done' or status == 'cancelled' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled')
local n = 0
for _, raw in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
  local r = cjson.decode(raw)
  local field = r.channel .. ':' .. r.userId
  if redis.call('HSETNX', KEYS[2], field, 'cancelled') == 1 then n = n + 1 end
end
redis.call('HINCRBY', KEYS[1], 'cancelled', n)
finishIfComplete(KEYS[1], ARGV[1])
return n
