-- Newest-wins update of warm-tier records, atomic on the Redis server.
-- KEYS[i]: a record's key.  ARGV[i]: its encoded record.
-- Answers, per key, 1 when Redis holds that record afterwards (written now, or already held) and
-- 0 when it holds a newer one: the writer may then serve a held record from its own hot tier.
-- An encoded record starts with a fixed-width order prefix, "EEEEEEEEEEEEEEEEEE|IIIIIIIIIIIIIIIIII|",
-- (event_timestamp and ingested_at as zero-padded offset microseconds), so comparing the first
-- 37 bytes as strings orders records exactly, with no floating-point rounding in Lua.
-- Freshet sends a batch's records a hundred keys at a time: one call per record would cost Redis
-- several times the work for the same result.
local holds = {}
for i, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  local order = string.sub(ARGV[i], 1, 37)
  if not held or string.sub(held, 1, 37) < order then
    redis.call('SET', key, ARGV[i])
    holds[i] = 1
  elseif string.sub(held, 1, 37) == order then
    holds[i] = 1
  else
    holds[i] = 0
  end
end
return holds
