-- Included by update-next and update-take: begins the user's oldest unanswered update, counting one more attempt
-- at it, and returns {record JSON, attempts}. With nothing left, drops the user from the due set, lets the lock go
-- if one is given and still this token's, and returns nil. Expects the locals queue, due, member, prefix, ttl
-- (record ttl, s), lock (key or nil) and token.
while true do
  local key = redis.call('lindex', queue, 0)
  if not key then
    redis.call('zrem', due, member)
    if lock and redis.call('get', lock) == token then redis.call('del', lock) end
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
