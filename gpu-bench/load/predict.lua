-- wrk script: POST one JSON row to /predict of `micromodels serve`, and check every answer.
--
--   wrk -t2 -c8 -d20s --latency -s gpu-bench/load/predict.lua http://127.0.0.1:18080/predict
--
-- The body is the first applicant of the bundled german_credit data (all 20 input columns; the target
-- column "class" left out), or the contents of the file named by $BODY_FILE for another model.
-- A reply counts as bad unless it is HTTP 2xx AND has a "label" or "value" field (a real prediction).
-- done() prints one line, "LOAD requests=... seconds=... rps=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
-- bad_replies=... non2xx=... socket_errors=...", that serve_load.sh checks.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"checking_status":"<0","duration":6,"credit_history":"critical/other existing credit","purpose":"radio/tv",'
        .. '"credit_amount":1169,"savings_status":"no known savings","employment":">=7","installment_commitment":4,'
        .. '"personal_status":"male single","other_parties":"none","residence_since":4,"property_magnitude":"real estate",'
        .. '"age":67,"other_payment_plans":"none","housing":"own","existing_credits":2,"job":"skilled","num_dependents":1,'
        .. '"own_telephone":"yes","foreign_worker":"yes"}'

local body_file = os.getenv("BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "r"))
  wrk.body = f:read("*a")
  f:close()
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  non2xx = 0
  first_bad = nil
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    bad = bad + 1
    if first_bad == nil then first_bad = status .. " " .. body end
  elseif not (string.find(body, '"label"', 1, true) or string.find(body, '"value"', 1, true)) then
    bad = bad + 1
    if first_bad == nil then first_bad = status .. " " .. body end
  end
end

function done(summary, latency, requests)
  local bad_total, non2xx_total, first = 0, 0, nil
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
    non2xx_total = non2xx_total + t:get("non2xx")
    first = first or t:get("first_bad")
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("LOAD requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
      .. " bad_replies=%d non2xx=%d socket_errors=%d (connect %d, read %d, write %d, timeout %d) wrk_status_errors=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      bad_total, non2xx_total, socket, e.connect, e.read, e.write, e.timeout, e.status))
  if first then io.write("first bad reply: " .. first .. "\n") end
end
