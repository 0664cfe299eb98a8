-- Included by update-take and update-admit: takes the user's lock, returning 'busy' when someone else holds it,
-- then begins the user's oldest unanswered update (update-begin-oldest). Expects the locals lock, token, lockTtl (ms)
-- and those update-begin-oldest expects.
if not redis.call('set', lock, token, 'PX', lockTtl, 'NX') then return 'busy' end
--- @include "update-begin-oldest"
