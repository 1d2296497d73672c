-- wrk script: each thread is one signed-in user browsing dashboards and reports.
-- Cookies come from bench/load-sessions.txt (one "sessionid=…" per line), written by
-- bench/load.sh after signing in; paths from bench/load-paths.txt.

local sessions, paths = {}, {}
for line in io.lines("bench/load-sessions.txt") do table.insert(sessions, line) end
for line in io.lines("bench/load-paths.txt") do table.insert(paths, line) end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  cookie = sessions[((id - 1) % #sessions) + 1]
  n = id
  failures = 0
end

function request()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  return wrk.format("GET", path, { ["Cookie"] = cookie, ["Host"] = "127.0.0.1" })
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("failures") end
  io.write(string.format(
    "requests %d, errors (non-200 or socket) %d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    summary.requests,
    failed + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
