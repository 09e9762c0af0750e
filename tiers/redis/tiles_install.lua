-- Installs one entity's tiles of one event view, rebuilt from Postgres, atomic on the server.
-- KEYS[1]: the entity's tile marker; KEYS[2..]: every tile group a window can reach, each emptied
-- and refilled (a group with no fields is only emptied).
-- ARGV[1]: the generation read before the rebuild's query ('' for none); ARGV[2]: the new one;
-- ARGV[3]: the marker's time to live (ms); ARGV[4]: the repair tickets of the batches the rebuild
-- counted whose writers may not have added them to Redis yet (comma-separated), which those
-- writers must then not add again; then, per group: time to live (ms), n, n pairs.
-- Answers 0 without touching anything when the generation moved: a write landed after the rebuild
-- read the marker, and the rebuilt tiles may lack its events.
local held = redis.call('HGET', KEYS[1], 'g') or ''
if held ~= ARGV[1] then
  return 0
end
local at = 5
for k = 2, #KEYS do
  local ttl = ARGV[at]
  local n = tonumber(ARGV[at + 1])
  at = at + 2
  redis.call('DEL', KEYS[k])
  if n > 0 then
    redis.call('HSET', KEYS[k], '@', '1', unpack(ARGV, at, at + 2 * n - 1))
    redis.call('PEXPIRE', KEYS[k], ttl)
  end
  at = at + 2 * n
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'g', ARGV[2], 'b', '1', 'u', ARGV[4])
-- The groups that hold tiles, each with '@': one listed here but without '@' was evicted.
for k = 2, #KEYS do
  if redis.call('EXISTS', KEYS[k]) == 1 then
    redis.call('HSET', KEYS[1], 'k:' .. KEYS[k], '1')
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
