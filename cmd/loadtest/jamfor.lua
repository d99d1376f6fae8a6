-- wrk script for issue #15: comparison pages at random indicator × year ×
-- highlighted municipality, nearly all page-cache misses.
--
--   loadtest -mode serve -dataset all5 -paths /tmp/jamfor-paths.txt
--   wrk -t2 -c16 -d10s -H 'Accept-Encoding: gzip, deflate, br' --latency \
--       -s cmd/loadtest/jamfor.lua http://127.0.0.1:PORT -- /tmp/jamfor-paths.txt
--
-- Each thread reads the paths (one a line) and draws one at random per
-- request, seeded per thread so the threads do not repeat each other.
local paths = {}
local n = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  local file = args[1] or "/tmp/jamfor-paths.txt"
  for line in io.lines(file) do
    if line ~= "" then
      n = n + 1
      paths[n] = line
    end
  end
  math.randomseed(os.time() * 100 + id)
end

function request()
  return wrk.format("GET", paths[math.random(n)])
end
