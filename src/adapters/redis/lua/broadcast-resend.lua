-- An officer's resend to a campaign's in-doubt recipients: each becomes 'resend:<next round>', to be claimed by
-- that round's job only, and the campaign runs again. Atomic, so two presses at once resend each recipient once.
-- KEYS: campaign, state. ARGV: now.
-- Returns {-1} for a cancelled or unknown campaign, else {n, recipient, round, recipient, round, ...}.
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'cancelled' then return {-1} end
local out = {0}
local h = redis.call('HGETALL', KEYS[2])
for i = 1, #h, 2 do
  local round = string.match(h[i + 1], '^in_doubt:%d+:(%d+):')
  if round then
    local nxt = tostring(tonumber(round) + 1)
    redis.call('HSET', KEYS[2], h[i], 'resend:' .. nxt)
    out[#out + 1] = h[i]
    out[#out + 1] = nxt
  end
end
local n = (#out - 1) / 2
out[1] = n
if n > 0 then
  redis.call('HINCRBY', KEYS[1], 'inDoubt', -n)
  redis.call('HINCRBY', KEYS[1], 'resent', n)
  redis.call('HSET', KEYS[1], 'resentAt', ARGV[1])
  if status == 'done' then redis.call('HSET', KEYS[1], 'status', 'running') end
end
return out
