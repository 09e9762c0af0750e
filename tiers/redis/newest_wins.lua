-- Newest-wins update of one warm-tier record, atomic on the Redis server.
-- KEYS[1]: the record's key.  ARGV[1]: the encoded record.
-- An encoded record starts with a fixed-width order prefix, "EEEEEEEEEEEEEEEEEE|IIIIIIIIIIIIIIIIII|",
-- (event_timestamp and ingested_at as zero-padded offset microseconds), so comparing the first
-- 37 bytes as strings orders records exactly, with no floating-point rounding in Lua.
local held = redis.call('GET', KEYS[1])
if held and string.sub(held, 1, 37) >= string.sub(ARGV[1], 1, 37) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
