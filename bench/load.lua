-- wrk script: each thread is one signed-in user browsing dashboards and reports.
-- bench/load-sessions.txt (written by bench/load.sh) holds one line per user: a
-- "sessionid=…" cookie, a tab, then the paths that user's role may open.
-- Script arguments (after `--`): the think time between one page and the next, as
-- minimum and maximum milliseconds (default 1000 3000; 0 0 measures saturation).

local lines = {}
for line in io.lines("bench/load-sessions.txt") do table.insert(lines, line) end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local line = lines[((id - 1) % #lines) + 1]
  local tab = string.find(line, "\t", 1, true)
  cookie = string.sub(line, 1, tab - 1)
  paths = {}
  for path in string.gmatch(string.sub(line, tab + 1), "%S+") do table.insert(paths, path) end
  think_min = tonumber(args[1] or "1000")
  think_max = tonumber(args[2] or "3000")
  math.randomseed(id * 7919)
  n = id
  failures = 0
end

function delay()
  if think_max <= 0 then return 0 end
  return math.random(think_min, think_max)
end

function request()
  n = n + 1
  current = paths[(n % #paths) + 1]
  return wrk.format("GET", current, { ["Cookie"] = cookie, ["Host"] = "127.0.0.1" })
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
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
