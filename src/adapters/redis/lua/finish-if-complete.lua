-- Sets the campaign done (or leaves it cancelled) once every recipient has a final state.
-- Included by the scripts that settle recipients.
local function finishIfComplete(campaign, now)
  local h = redis.call('HMGET', campaign, 'total', 'sent', 'failed', 'blocked', 'cancelled', 'status')
  local settled = tonumber(h[2] or 0) + tonumber(h[3] or 0) + tonumber(h[4] or 0) + tonumber(h[5] or 0)
  if settled >= tonumber(h[1] or 0) and redis.call('HEXISTS', campaign, 'finishedAt') == 0 then
    if h[6] ~= 'cancelled' then redis.call('HSET', campaign, 'status', 'done') end
    redis.call('HSET', campaign, 'finishedAt', now)
  end
end
