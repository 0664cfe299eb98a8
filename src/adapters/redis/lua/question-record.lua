-- Counts one question on its day, keeps it when unanswered, and counts its topic: one command per question.
-- KEYS: day counters (hash), unanswered questions (list), topics (sorted set), topic titles (hash).
-- ARGV: day ttl (s), '1' when unanswered, the unanswered entry (JSON), most unanswered kept, topic id or '',
-- topic title or ''.
redis.call('hincrby', KEYS[1], 'total', 1)
if ARGV[2] == '1' then
  redis.call('hincrby', KEYS[1], 'unanswered', 1)
  redis.call('lpush', KEYS[2], ARGV[3])
  redis.call('ltrim', KEYS[2], 0, tonumber(ARGV[4]) - 1)
end
redis.call('expire', KEYS[1], ARGV[1])
if ARGV[5] ~= '' then
  redis.call('zincrby', KEYS[3], 1, ARGV[5])
  if ARGV[6] ~= '' then redis.call('hset', KEYS[4], ARGV[5], ARGV[6]) end
end
return 1
