-- Adds a committed batch's events to one entity's tiles of one event view, atomic on the server.
-- KEYS[1]: the entity's tile marker (a hash: g = generation, b = built); KEYS[2..]: tile groups.
-- ARGV[1]: the generation the writer read ('' for none); ARGV[2]: the new generation;
-- ARGV[3]: the marker's time to live (ms); ARGV[4]: the batch's repair ticket; then, per group in
-- KEYS order: its time to live (ms), the number of fields n, and n field/value pairs (the merged
-- tiles).
-- Answers 1 when applied and 0 when the generation moved since the writer read it: the writer
-- merges again from what is there now. Merging is the writer's (Java) work; this script only
-- refuses a merge made from tiles that changed meanwhile.
-- Tiles that are not built (never, or dropped by a repair) take no fields: a rebuild from Postgres
-- will count the event. The generation still moves, so a rebuild that read the marker before this
-- write does not install tiles that may lack it. Tiles rebuilt from a snapshot that already held
-- the batch list its ticket in the marker's field u: they take nothing from it either.
local held = redis.call('HGET', KEYS[1], 'g') or ''
if held ~= ARGV[1] then
  return 0
end
local built = redis.call('HEXISTS', KEYS[1], 'b') == 1
if built then
  local counted = redis.call('HGET', KEYS[1], 'u') or ''
  if string.find(',' .. counted .. ',', ',' .. ARGV[4] .. ',', 1, true) then
    built = false
  end
end
local at = 5
for k = 2, #KEYS do
  local ttl = ARGV[at]
  local n = tonumber(ARGV[at + 1])
  at = at + 2
  if built and n > 0 then
    -- '@' marks the group as there, and the marker lists it: a group the marker lists whose '@'
    -- is gone was evicted, and readers rebuild instead of counting without it.
    redis.call('HSET', KEYS[k], '@', '1', unpack(ARGV, at, at + 2 * n - 1))
    redis.call('PEXPIRE', KEYS[k], ttl)
    redis.call('HSET', KEYS[1], 'k:' .. KEYS[k], '1')
  end
  at = at + 2 * n
end
redis.call('HSET', KEYS[1], 'g', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
