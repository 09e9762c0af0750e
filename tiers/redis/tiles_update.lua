-- Adds a committed batch's events to one entity's tiles of one event view, atomic on the server.
-- KEYS[1]: the entity's tiles, one hash: g (generation), b (built), u (see below), l (the minute
-- before which tiles have been trimmed) and a field per tile, its level's letter (m, h, d) and
-- number, whose value is its encoded partials.
-- ARGV[1]: the generation the writer read ('' for none); ARGV[2]: the new generation; ARGV[3]:
-- the hash's time to live (ms); ARGV[4]: the batch's repair ticket; ARGV[5]: the minute before
-- which no tile is in any window any more, by the writer's clock; ARGV[6]: how many levels the
-- view keeps; then field/value pairs (the merged tiles).
-- Answers 1 when applied and 0 when the generation moved since the writer read it: the writer
-- merges again from what is there now. Merging is the writer's (Java) work; this script only
-- refuses a merge made from tiles that changed meanwhile.
-- Tiles that are not built (never, or dropped by a repair) take no fields: a rebuild from Postgres
-- will count the event. The generation still moves, so a rebuild that read it before this write
-- does not install tiles that may lack it. Tiles rebuilt from a snapshot that already held the
-- batch list its ticket in u: they take nothing from it either.
-- One key an entity: each command costs Redis a lookup in the keyspace, and a batch's cost in
-- Redis was mostly those (BENCHMARKS.md, "Ingest into one key an entity").
local held = redis.call('HMGET', KEYS[1], 'g', 'b', 'u', 'l')
if (held[1] or '') ~= ARGV[1] then
  return 0
end
local built = held[2] and not string.find(',' .. (held[3] or '') .. ',', ',' .. ARGV[4] .. ',', 1, true)
if built and #ARGV > 6 then
  redis.call('HSET', KEYS[1], 'g', ARGV[2], unpack(ARGV, 7, math.min(7 + 1999, #ARGV)))
  for at = 7 + 2000, #ARGV, 2000 do
    redis.call('HSET', KEYS[1], unpack(ARGV, at, math.min(at + 1999, #ARGV)))
  end
else
  redis.call('HSET', KEYS[1], 'g', ARGV[2])
end
if built then
  local trimmed = tonumber(held[4]) or tonumber(ARGV[5])
  local now = tonumber(ARGV[5])
  if now > trimmed then
    -- Tiles that left every window go: by name, one minute at a time, or when there are fewer
    -- fields than minutes to name (an entity written rarely), by looking at each field.
    local per = {1, 60, 1440}
    local gone = {}
    if now - trimmed > redis.call('HLEN', KEYS[1]) then
      for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
        local level = string.find('mhd', string.sub(field, 1, 1), 1, true)
        if level and tonumber(string.sub(field, 2)) < math.floor(now / per[level]) then
          gone[#gone + 1] = field
        end
      end
    else
      for level = 1, tonumber(ARGV[6]) do
        local letter = string.sub('mhd', level, level)
        for tile = math.floor(trimmed / per[level]), math.floor(now / per[level]) - 1 do
          gone[#gone + 1] = letter .. tile
        end
      end
    end
    for at = 1, #gone, 1000 do
      redis.call('HDEL', KEYS[1], unpack(gone, at, math.min(at + 999, #gone)))
    end
    redis.call('HSET', KEYS[1], 'l', ARGV[5])
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
