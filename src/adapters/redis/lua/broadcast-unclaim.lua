-- Gives a claim back (its request was not sent, or was refused with a 429, or failed and will be retried).
-- KEYS: state. ARGV: recipient, claim id.
local s = redis.call('HGET', KEYS[1], ARGV[1])
if not s then return 0 end
local round, claim = string.match(s, '^sending:%d+:(%d+):(.+)$')
if claim ~= ARGV[2] then return 0 end
if round == '0' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], 'resend:' .. round) end
return 1
