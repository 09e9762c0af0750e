-- Adds a committed batch's events to its entities' tiles of one event view, atomic on the server
-- for each entity.
-- KEYS[i]: entity i's tiles, one hash: s, the state, "generation|built|trimmed|counted" (built is 1
-- or empty; trimmed, the minute before which tiles have been trimmed; counted, see below), and a
-- field per tile, its level's letter (m, h, d) and number, whose value is its encoded partials.
-- ARGV[1]: the new generation; ARGV[2]: the hashes' time to live (ms); ARGV[3]: the batch's repair
-- ticket; ARGV[4]: the minute before which no tile is in any window any more, by the writer's
-- clock; ARGV[5]: how many levels the view keeps; then for each key in turn: the generation the
-- writer read ('' for none), how many tiles follow, and their field/value pairs (merged tiles).
-- Answers, per key, 1 when applied and 0 when the generation moved since the writer read it: the
-- writer merges again from what is there now. Merging is the writer's (Java) work; this script
-- only refuses a merge made from tiles that changed meanwhile.
-- Tiles that are not built (never, or dropped by a repair) take no fields: a rebuild from Postgres
-- will count the event. The generation still moves, so a rebuild that read it before this write
-- does not install tiles that may lack it. Tiles rebuilt from a snapshot that already held the
-- batch list its ticket in counted: they take nothing from it either.
-- What Redis spends here is mostly finding keys and fields (BENCHMARKS.md, "Event views: one
-- Redis key an entity" and "Tile writes: a call for several entities, one state field"): so one
-- key an entity, its state in one field, a call for several entities, and the time to live set
-- again only when the tiles are trimmed, which is at most once a minute an entity.
local now = tonumber(ARGV[4])
local levels = tonumber(ARGV[5])
local per = {1, 60, 1440}

local function trim(key, trimmed)
  -- Tiles that left every window go: by name, one minute at a time, or when there are fewer
  -- fields than minutes to name (an entity written rarely), by looking at each field.
  local gone = {}
  if now - trimmed > redis.call('HLEN', key) then
    for _, field in ipairs(redis.call('HKEYS', key)) do
      local level = string.find('mhd', string.sub(field, 1, 1), 1, true)
      if level and tonumber(string.sub(field, 2)) < math.floor(now / per[level]) then
        gone[#gone + 1] = field
      end
    end
  else
    for level = 1, levels do
      local letter = string.sub('mhd', level, level)
      for tile = math.floor(trimmed / per[level]), math.floor(now / per[level]) - 1 do
        gone[#gone + 1] = letter .. tile
      end
    end
  end
  for at = 1, #gone, 1000 do
    redis.call('HDEL', key, unpack(gone, at, math.min(at + 999, #gone)))
  end
end

local applied = {}
local at = 6
for i, key in ipairs(KEYS) do
  local first = at + 2
  local last = first + 2 * tonumber(ARGV[at + 1]) - 1
  local generation, built, trimmed, counted = '', '', '', ''
  local state = redis.call('HGET', key, 's')
  if state then
    generation, built, trimmed, counted = string.match(state, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
  end
  if generation ~= ARGV[at] then
    applied[i] = 0
  else
    local adds = built == '1' and not string.find(',' .. counted .. ',', ',' .. ARGV[3] .. ',', 1, true)
    local expire = built ~= '1'
    if adds and now > (tonumber(trimmed) or now) then
      trim(key, tonumber(trimmed))
      trimmed = ARGV[4]
      expire = true
    end
    local moved = ARGV[1] .. '|' .. built .. '|' .. trimmed .. '|' .. counted
    if adds and last >= first then
      redis.call('HSET', key, 's', moved, unpack(ARGV, first, math.min(first + 1999, last)))
      for from = first + 2000, last, 2000 do
        redis.call('HSET', key, unpack(ARGV, from, math.min(from + 1999, last)))
      end
    else
      redis.call('HSET', key, 's', moved)
    end
    if expire then
      redis.call('PEXPIRE', key, ARGV[2])
    end
    applied[i] = 1
  end
  at = last + 1
end
return applied
