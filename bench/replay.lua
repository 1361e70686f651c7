-- Replays pre-built raw HTTP requests (bench/wrk.py writes them: "<length>\n<bytes>" each), dealt round the
-- threads, each sent once (a signed request's nonce is good once). With a third argument it collects the
-- "ticket" of every 200 answer (the scan scenario) and bench/wrk.py reads them from the summary it prints.
local threads, made = {}, 0

function setup(thread)
  thread:set("id", made)
  made = made + 1
  table.insert(threads, thread)
end

function init(args)
  local every, file = tonumber(args[2]), io.open(args[1], "rb")
  collect, reqs, n, tickets, spent = args[3] == "tickets", {}, 0, {}, 0
  local i = 0
  while true do
    local len = file:read("*l")
    if not len then break end
    local raw = file:read(tonumber(len))
    if i % every == id then reqs[#reqs + 1] = raw end
    i = i + 1
  end
  file:close()
end

function request()
  n = n + 1
  if n > #reqs then n, spent = 1, spent + 1 end   -- out of requests: replays, counted by the driver
  return reqs[n]
end

function response(status, headers, body)
  if collect and status == 200 then
    local t = body:match('"ticket"%s*:%s*"([^"]+)"')
    if t then tickets[#tickets + 1] = t end
  end
end

function done(summary, latency, requests)
  local wrapped, all = 0, {}
  for _, t in ipairs(threads) do
    wrapped = wrapped + t:get("spent")
    if collect then
      for _, ticket in ipairs(t:get("tickets")) do all[#all + 1] = ticket end
    end
  end
  local e = summary.errors
  io.write(string.format('\nRESULT {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "wrapped": %d, "tickets": "%s"}\n', summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), wrapped,
    table.concat(all, " ")))
end
