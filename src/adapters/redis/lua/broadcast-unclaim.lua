-- Gives a claimed recipient back for a retry.
-- KEYS: state. ARGV: recipient.
local s = redis.call('HGET', KEYS[1], ARGV[1])
if s and string.sub(s, 1, 7) == 'sending' then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end
return 0
