-- Marks the update just answered done, then begins the user's oldest unanswered update: counts one more attempt
-- at it and returns {record JSON, attempts}. With nothing left, drops the user from the due set and returns nil.
-- KEYS: user queue, due set, and optionally the user's lock. ARGV: user member, record key prefix, finished dedup
-- key or '', done ttl (s), record ttl (s), and the lock's token with its key. With nothing left, the lock is let go
-- if it is still that token's. A record is "<prefix><dedup key>" (JSON, or "done"); its attempts
-- "<prefix><dedup key>:n".
local queue, due = KEYS[1], KEYS[2]
local member, prefix, finished, doneTtl, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if finished ~= '' then
  redis.call('set', prefix .. finished, 'done', 'EX', doneTtl)
  redis.call('del', prefix .. finished .. ':n')
  redis.call('lrem', queue, 1, finished)
end
while true do
  local key = redis.call('lindex', queue, 0)
  if not key then
    redis.call('zrem', due, member)
    if KEYS[3] and redis.call('get', KEYS[3]) == ARGV[6] then redis.call('del', KEYS[3]) end
    return false
  end
  local raw = redis.call('get', prefix .. key)
  if raw and raw ~= 'done' then
    local attempts = redis.call('incr', prefix .. key .. ':n')
    redis.call('expire', prefix .. key .. ':n', ttl)
    return { raw, attempts }
  end
  -- Handled elsewhere or expired: not this user's work any more.
  redis.call('lrem', queue, 1, key)
end
