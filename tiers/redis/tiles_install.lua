-- Installs one entity's tiles of one event view, rebuilt from Postgres, atomic on the server.
-- KEYS[1]: the entity's tiles (the hash tiles_update.lua describes, its state in field s),
-- replaced whole.
-- ARGV[1]: the generation read before the rebuild's query ('' for none); ARGV[2]: the new one;
-- ARGV[3]: the hash's time to live (ms); ARGV[4]: the repair tickets of the batches the rebuild
-- counted whose writers may not have added them to Redis yet (comma-separated), which those
-- writers must then not add again; ARGV[5]: the minute before which the rebuild made no tile;
-- then field/value pairs.
-- Answers 0 without touching anything when the generation moved: a write landed after the rebuild
-- read it, and the rebuilt tiles may lack its events.
local state = redis.call('HGET', KEYS[1], 's')
if (state and string.match(state, '^[^|]*') or '') ~= ARGV[1] then
  return 0
end
-- UNLINK: a heavy entity's hash holds tens of thousands of tiles, freed off the main thread.
redis.call('UNLINK', KEYS[1])
redis.call('HSET', KEYS[1], 's', ARGV[2] .. '|1|' .. ARGV[5] .. '|' .. ARGV[4])
for at = 6, #ARGV, 2000 do
  redis.call('HSET', KEYS[1], unpack(ARGV, at, math.min(at + 1999, #ARGV)))
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
