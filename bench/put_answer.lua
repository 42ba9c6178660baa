-- wrk script: PUT one answer, alternating between two options, so that every
-- request is a real change (an UPDATE, an audit record, the scores refreshed) in
-- one BEGIN IMMEDIATE transaction with synchronous=FULL.
-- bench/run gives the path and the Authorization header (-H), kept here.
local n = 0
local headers = {}

init = function(args)
	for k, v in pairs(wrk.headers) do
		headers[k] = v
	end
	headers["Content-Type"] = "application/json"
end

request = function()
	n = n + 1
	local v = (n % 2 == 0) and "partial" or "established"
	local body = '{"answers":{"prev.awareness-campaigns":{"value":"' .. v .. '"}}}'
	return wrk.format("PUT", nil, headers, body)
end
