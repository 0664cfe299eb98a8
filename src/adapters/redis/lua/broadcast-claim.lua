-- Looks at (mode 'check') or claims (mode 'claim') a recipient of a campaign for one send.
-- KEYS: state, campaign. ARGV: recipient, now, round, claim id, mode.
-- A recipient's state: absent (round 0 may claim it), 'resend:<round>' (an officer's resend may claim it),
-- 'sending:<at>:<round>:<claim id>' (claimed: its request is in flight), 'in_doubt:<at>:<round>:<claim id>'
-- (the claimant stopped mid-send), or final ('sent', 'failed', 'blocked', 'cancelled').
-- Returns 'free' (check: may go on), 'claimed', 'cancelled', 'in_doubt' (this job was taken over from a worker
-- that stopped between its claim and its outcome: now recorded as in doubt), or the state's kind (nothing to do).
--- @include "finish-if-complete"
local recipient, now, round, claim, mode = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local s = redis.call('HGET', KEYS[1], recipient)
local free = (not s and round == '0') or s == ('resend:' .. round)
if not free then
  if not s then return 'gone' end
  local kind, r = string.match(s, '^([%a_]+):%d+:(%d+):')
  if kind == 'sending' and r == round then
    redis.call('HSET', KEYS[1], recipient, 'in_doubt:' .. string.sub(s, 9))
    redis.call('HINCRBY', KEYS[2], 'inDoubt', 1)
    finishIfComplete(KEYS[2], now)
    return 'in_doubt'
  end
  return kind or string.match(s, '^[%a_]+')
end
if redis.call('HGET', KEYS[2], 'status') == 'cancelled' then
  redis.call('HSET', KEYS[1], recipient, 'cancelled')
  redis.call('HINCRBY', KEYS[2], 'cancelled', 1)
  finishIfComplete(KEYS[2], now)
  return 'cancelled'
end
if mode == 'check' then return 'free' end
redis.call('HSET', KEYS[1], recipient, 'sending:' .. now .. ':' .. round .. ':' .. claim)
redis.call('HSETNX', KEYS[2], 'startedAt', now)
if redis.call('HGET', KEYS[2], 'status') == 'scheduled' then redis.call('HSET', KEYS[2], 'status', 'running') end
return 'claimed'
