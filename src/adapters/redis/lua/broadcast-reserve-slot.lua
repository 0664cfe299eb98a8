-- Reserves the channel's next send slot on Redis's clock, intervalMs after the last one across every worker
-- process. With an extra delay (a 429's retry_after) every later slot moves back too.
-- KEYS: slot. ARGV: interval ms, extra delay ms. Returns {slot, ms to wait for it}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now + tonumber(ARGV[2]), last + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], slot, 'PX', slot - now + 60000)
return {slot, slot - now}
