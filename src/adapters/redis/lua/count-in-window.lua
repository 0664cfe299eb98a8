-- Adds one to each counter; a counter's window (its expiry) starts with its first hit and is never extended.
-- KEYS: the counters. ARGV: window in milliseconds.
-- Returns each counter's value, then the milliseconds left in the first counter's window.
local window = tonumber(ARGV[1])
local result = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('incr', key)
  -- A counter found without an expiry (written by something else) gets one too: no counter lives forever.
  if count == 1 or redis.call('pttl', key) < 0 then redis.call('pexpire', key, window) end
  result[i] = count
end
result[#KEYS + 1] = redis.call('pttl', KEYS[1])
return result
