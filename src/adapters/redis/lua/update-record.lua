-- Included by update-accept and update-admit: records an update once and queues it behind the user's earlier
-- updates. Expects the locals record (key), json, ttl (record ttl, s), queue, due, member, dueAt and dedupKey; sets
-- the local recorded (false when the update was seen before: queued, done or parked).
local recorded = redis.call('set', record, json, 'NX', 'EX', ttl)
if recorded then
  redis.call('rpush', queue, dedupKey)
  redis.call('expire', queue, ttl)
  -- NX: an earlier due time (a retry already scheduled, a watchdog) is kept.
  redis.call('zadd', due, 'NX', dueAt, member)
end
