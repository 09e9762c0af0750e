-- wrk script for aggregations-online.sh: POST /v1/features/online for BATCH entities (default 1)
-- and the features in FEATURES (comma-separated full names), keys drawn at random from
-- 1..HOT_SET as KEY_FIELD (default customer_id; KEY_STRING=1 sends them as strings, as a card's
-- are), or always KEY when it is set. LAYOUT and META pass through when set. done() prints one
-- WRK_RESULT line like online.lua's.

local hot_set = tonumber(os.getenv("HOT_SET") or "1000")
local batch = tonumber(os.getenv("BATCH") or "1")
local key_field = os.getenv("KEY_FIELD") or "customer_id"
local quote = os.getenv("KEY_STRING") == "1" and '"' or ''
local fixed = os.getenv("KEY")
local options = ''
if os.getenv("LAYOUT") then options = options .. ',"layout":"' .. os.getenv("LAYOUT") .. '"' end
if os.getenv("META") then options = options .. ',"meta":"' .. os.getenv("META") .. '"' end

local names = {}
for name in string.gmatch(os.getenv("FEATURES") or "", "[^,]+") do
  names[#names + 1] = '"' .. name .. '"'
end
local selection = '"features":[' .. table.concat(names, ",") .. ']'

wrk.method = "POST"
wrk.path = "/v1/features/online"
wrk.headers["Content-Type"] = "application/json"

function init(args)
  math.randomseed(os.time())
end

function request()
  local keys = {}
  for i = 1, batch do
    keys[i] = quote .. (fixed or math.random(1, hot_set)) .. quote
  end
  local body = '{' .. selection .. options .. ',"entities":{"' .. key_field .. '":['
    .. table.concat(keys, ",") .. ']}}'
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
