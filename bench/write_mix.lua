-- The write mix of bench/pages.sh: guests read the work pages of a set of works (the page
-- cache's case) while 5% of requests are a signed-in reader's writes to those same works,
-- each of which drops that work's cached pages: kudos (the first on a work is a write, later
-- ones are "already left") and bookmark saves (each one a write).
-- Environment: WORK_IDS (comma-separated), SESSION_COOKIE ("quire_session=…"), CSRF_TOKEN.

local ids = {}
for id in string.gmatch(os.getenv("WORK_IDS"), "%d+") do
    ids[#ids + 1] = id
end
local form_headers = {
    ["Cookie"] = os.getenv("SESSION_COOKIE"),
    ["Content-Type"] = "application/x-www-form-urlencoded",
}
local token = "authenticity_token=" .. os.getenv("CSRF_TOKEN")

request = function()
    local id = ids[math.random(#ids)]
    local roll = math.random()
    if roll < 0.025 then
        return wrk.format("POST", "/works/" .. id .. "/kudos", form_headers, token)
    elseif roll < 0.05 then
        local body = token .. "&notes=Read+during+the+benchmark&tags=bench"
        return wrk.format("POST", "/works/" .. id .. "/bookmark", form_headers, body)
    end
    return wrk.format("GET", "/works/" .. id)
end
