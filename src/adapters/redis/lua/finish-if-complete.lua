-- Sets the campaign done (or leaves it cancelled) once every recipient has a final state; in doubt counts as
-- settled (nothing more will happen to it unless an officer resends). finishedAt is the first completion: a
-- resend to in-doubt recipients later runs the campaign again without moving it.
-- Included by the scripts that settle recipients.
local function finishIfComplete(campaign, now)
  local h = redis.call('HMGET', campaign, 'total', 'sent', 'failed', 'blocked', 'cancelled', 'inDoubt', 'status')
  local settled = 0
  for i = 2, 6 do settled = settled + tonumber(h[i] or 0) end
  if settled < tonumber(h[1] or 0) then return end
  if h[7] ~= 'cancelled' and h[7] ~= 'done' then redis.call('HSET', campaign, 'status', 'done') end
  if redis.call('HEXISTS', campaign, 'finishedAt') == 0 then redis.call('HSET', campaign, 'finishedAt', now) end
end
