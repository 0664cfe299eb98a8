-- Replaces a value only if it is still the one we read.
-- KEYS: key. ARGV: expected, replacement.
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2])
return 1
