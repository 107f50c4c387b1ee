-- wrk-log.lua: make wrk write one line per request in vmnetrank's native
-- log format (README "wrk").  Usage, one connection per thread:
--
--   WRK_LOG=wrk.log wrk -t4 -c4 -d10s -s contrib/wrk-log.lua http://guest/page
--
-- Each request's start and end come from clock_gettime(CLOCK_REALTIME)
-- through LuaJIT's ffi (wrk embeds LuaJIT).  A wrk thread's connections
-- share one Lua state, so a request and its response can be paired only
-- when each thread has one connection (-c equal to -t): with more, the
-- script refuses to log (and says so) instead of pairing them wrongly.
-- Every thread keeps its own lines; done() merges them in start order,
-- so the threads' requests are interleaved as they happened, and writes
-- the file once, at the end (header, rows, a closing "# finished" line
-- with wrk's own counts, socket errors included: those requests never got
-- a response, so they have no row).

local ffi = require("ffi")
ffi.cdef [[
typedef long time_t;
struct timespec { time_t tv_sec; long tv_nsec; };
int clock_gettime(int clk_id, struct timespec *tp);
]]
local ts = ffi.new("struct timespec")

local function now_us()
	ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME
	return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

-- main state: the threads, to collect their lines in done()
local threads = {}

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

-- thread state: globals, since done() reads them with thread:get()
started = nil      -- the start of the request in flight
rows = {}
n = 0
before_first = 0   -- request() calls before the first response
answered = false

function init(args)
	rows = {}
	n = 0
end

-- With one connection a thread alternates request(), response().  Before
-- its first response it calls request() once per connection (the first
-- thread once more: wrk calls it to check the script), so more calls
-- than that mean several connections.  Later, a request() while one is
-- in flight means the connection lost it (wrk reconnects): a row with
-- status no-response, ending when it was given up.
function request()
	local t = now_us()
	if not answered then
		before_first = before_first + 1
	elseif started ~= nil then
		n = n + 1
		rows[n] = string.format("%d,%d,no-response,", started, t)
	end
	started = t
	return wrk.format()
end

function response(status, headers, body)
	local e = now_us()
	answered = true
	if started ~= nil then
		n = n + 1
		rows[n] = string.format("%d,%d,%d,%d", started, e, status, #body)
	end
	started = nil
end

function done(summary, latency, requests)
	local path = os.getenv("WRK_LOG") or "wrk.log"
	local all = {}
	local bad = 0
	for i, t in ipairs(threads) do
		local allowed = i == 1 and 2 or 1
		if (t:get("before_first") or 0) > allowed then
			bad = bad + 1
		end
		local r = t:get("rows") or {}
		for i = 1, #r do
			all[#all + 1] = r[i]
		end
	end
	if bad > 0 then
		io.stderr:write(string.format("wrk-log.lua: %d of %d threads have more than one " ..
			"connection, whose requests cannot be told apart: give -c equal to -t; " ..
			"%s not written\n", bad, #threads, path))
		os.exit(1)
		return
	end
	-- start order; the start is the first field
	table.sort(all, function(a, b)
		return tonumber(a:match("^(%d+)")) < tonumber(b:match("^(%d+)"))
	end)
	local f = assert(io.open(path .. ".tmp", "w"))
	local err = summary.errors
	f:write("# vmnetrank-log 1\n")
	f:write("# tool=wrk\n")
	f:write("# collector=contrib/wrk-log.lua\n")
	f:write(string.format("# meta.threads=%d\n", #threads))
	f:write(string.format("# meta.clients=%d\n", #threads))
	f:write(string.format("# meta.requests=%d\n", summary.requests))
	f:write(string.format("# meta.socket_errors=connect %d, read %d, write %d, timeout %d\n",
		err.connect, err.read, err.write, err.timeout))
	f:write("rep,seq,start_us,end_us,status,bytes\n")
	for i = 1, #all do
		local s, e, st, b = all[i]:match("^(%d+),(%d+),([%w-]+),(%d*)$")
		f:write(string.format("1,%d,%s,%s,%s,%s\n", i, s, e, st, b))
	end
	f:write(string.format("# finished: %d operations; wrk counted %d requests, " ..
		"%d non-2xx/3xx, socket errors connect %d read %d write %d timeout %d\n",
		#all, summary.requests, err.status, err.connect, err.read, err.write, err.timeout))
	f:close()
	assert(os.rename(path .. ".tmp", path))
end
