-- Drops a user from the due set when their queue is empty (atomic with update-accept).
-- KEYS: user queue, due set. ARGV: user member. Returns 1 when the queue was empty.
if redis.call('llen', KEYS[1]) == 0 then
  redis.call('zrem', KEYS[2], ARGV[1])
  return 1
end
return 0
