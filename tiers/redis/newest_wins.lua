-- Newest-wins update of warm-tier records, atomic on the Redis server.
-- KEYS[i]: a record's key.  ARGV[i]: its encoded record.  Answers how many were written.
-- An encoded record starts with a fixed-width order prefix, "EEEEEEEEEEEEEEEEEE|IIIIIIIIIIIIIIIIII|",
-- (event_timestamp and ingested_at as zero-padded offset microseconds), so comparing the first
-- 37 bytes as strings orders records exactly, with no floating-point rounding in Lua.
-- Freshet sends a batch's records a hundred keys at a time: one call per record would cost Redis
-- several times the work for the same result.
local written = 0
for i, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  if not held or string.sub(held, 1, 37) < string.sub(ARGV[i], 1, 37) then
    redis.call('SET', key, ARGV[i])
    written = written + 1
  end
end
return written
