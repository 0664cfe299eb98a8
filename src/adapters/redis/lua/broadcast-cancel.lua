-- Cancels a campaign: every recipient not yet reached (never claimed, or waiting for a resend) becomes cancelled.
-- KEYS: campaign, state, recipients. ARGV: now.
--- @include "finish-if-complete"
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'done' or status == 'cancelled' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled')
local n = 0
for _, raw in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
  local r = cjson.decode(raw)
  local field = r.channel .. ':' .. r.userId
  local s = redis.call('HGET', KEYS[2], field)
  if not s or string.sub(s, 1, 7) == 'resend:' then
    redis.call('HSET', KEYS[2], field, 'cancelled')
    n = n + 1
  end
end
redis.call('HINCRBY', KEYS[1], 'cancelled', n)
finishIfComplete(KEYS[1], ARGV[1])
return n
