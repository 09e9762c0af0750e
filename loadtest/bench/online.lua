-- wrk script for every online-read target: POST /v1/features/online for one entity and the
-- ten churn features, the customer drawn at random from 1..HOT_SET (default 1000). The ceiling
-- servers ignore the body, so every target sees the same requests from the same client work.
-- With SERVICE set, the request names that feature service instead of the ten features.
-- done() prints one machine-readable WRK_RESULT line for online.sh and transforms.sh.

local hot_set = tonumber(os.getenv("HOT_SET") or "1000")
local service = os.getenv("SERVICE")

local features = table.concat({
  '"customer_profile:age"', '"customer_profile:plan"', '"customer_profile:tenure_days"',
  '"customer_profile:monthly_spend"', '"customer_activity:sessions_7d"',
  '"customer_activity:minutes_7d"', '"customer_activity:last_login_days"',
  '"customer_support:tickets_30d"', '"customer_support:open_tickets"',
  '"customer_support:csat_score"',
}, ",")

wrk.method = "POST"
wrk.path = "/v1/features/online"
wrk.headers["Content-Type"] = "application/json"

function init(args)
  math.randomseed(os.time())
end

local selection = service and ('"feature_service":"' .. service .. '"')
  or ('"features":[' .. features .. ']')

function request()
  local body = '{' .. selection .. ',"entities":{"customer_id":['
    .. math.random(1, hot_set) .. ']}}'
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
