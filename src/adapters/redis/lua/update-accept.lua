-- Records an update once and queues it behind the user's earlier updates.
-- KEYS: record, user queue, due set. ARGV: record JSON, ttl seconds, user member, due time (ms), dedup key.
-- Returns 1 when accepted, 0 when the update was seen before (queued, done or parked).
local record, queue, due = KEYS[1], KEYS[2], KEYS[3]
local json, ttl, member, dueAt, dedupKey = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
--- @include "update-record"
if not recorded then return 0 end
return 1
