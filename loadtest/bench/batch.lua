-- wrk script for batched online reads: POST /v1/features/online for BATCH entities (default
-- 100, drawn at random from 1..HOT_SET) of the 50-feature service churn_behaviour_v1, with
-- META (default "status") and LAYOUT (default "rows"). done() prints the WRK_RESULT line that
-- online.sh and profile.sh read.

local hot_set = tonumber(os.getenv("HOT_SET") or "10000")
local batch = tonumber(os.getenv("BATCH") or "100")
local meta = os.getenv("META") or "status"
local layout = os.getenv("LAYOUT") or "rows"

wrk.method = "POST"
wrk.path = "/v1/features/online"
wrk.headers["Content-Type"] = "application/json"

function init(args)
  math.randomseed(os.time() + math.random(1000))
end

function request()
  local ids = {}
  for i = 1, batch do
    ids[i] = math.random(1, hot_set)
  end
  local body = '{"feature_service":"churn_behaviour_v1","meta":"' .. meta .. '"'
  if layout ~= "rows" then
    body = body .. ',"layout":"' .. layout .. '"'
  end
  body = body .. ',"entities":{"customer_id":[' .. table.concat(ids, ",") .. ']}}'
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
