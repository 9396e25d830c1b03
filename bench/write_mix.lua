-- The write mix of bench/pages.sh: guests read the work pages of a set of works (the page
-- cache's case) while 5% of requests are a signed-in reader's writes to those same works, a
-- third each: kudos (the first on a work is a write that drops the work's cached pages, later
-- ones are "already left"), bookmark saves (each one a write; the first on a work, and any
-- change of privacy, drop its pages) and comments (each a new comment the work page shows,
-- so each drops the work's pages).
-- Environment: WORK_IDS and CHAPTER_IDS (comma-separated: each work's first chapter, in the
-- same order), SESSION_COOKIE ("quire_session=…"), CSRF_TOKEN.

local ids, chapters = {}, {}
for id in string.gmatch(os.getenv("WORK_IDS"), "%d+") do
    ids[#ids + 1] = id
end
for id in string.gmatch(os.getenv("CHAPTER_IDS"), "%d+") do
    chapters[#chapters + 1] = id
end
local form_headers = {
    ["Cookie"] = os.getenv("SESSION_COOKIE"),
    ["Content-Type"] = "application/x-www-form-urlencoded",
}
local token = "authenticity_token=" .. os.getenv("CSRF_TOKEN")

request = function()
    local n = math.random(#ids)
    local id = ids[n]
    local roll = math.random()
    if roll < 0.05 / 3 then
        return wrk.format("POST", "/works/" .. id .. "/kudos", form_headers, token)
    elseif roll < 0.1 / 3 then
        local body = token .. "&notes=Read+during+the+benchmark&tags=bench"
        return wrk.format("POST", "/works/" .. id .. "/bookmark", form_headers, body)
    elseif roll < 0.05 then
        -- Distinct texts: the same text twice is taken for a double-submit.
        local body = token .. "&chapter_id=" .. chapters[n] .. "&comment=Comment+"
            .. math.random(1e9) .. "+left+during+the+benchmark"
        return wrk.format("POST", "/works/" .. id .. "/comments", form_headers, body)
    end
    return wrk.format("GET", "/works/" .. id)
end
