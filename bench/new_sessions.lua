-- A signed-in reader's page asked with a different session on every request (bench/pages.sh):
-- no session is met twice, so none is answered from memory; each is read from the database,
-- as a reader's first page of a work is. Environment: TOKENS_FILE, one session token a line.

local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do
    tokens[#tokens + 1] = line
end

-- Each thread takes every other token, from its own end of the file.
local threads = 0
function setup(thread)
    thread:set("first", threads)
    threads = threads + 1
end

local next_token
function init()
    next_token = first
end

function request()
    local token = tokens[next_token % #tokens + 1]
    next_token = next_token + 2
    return wrk.format("GET", nil, { ["Cookie"] = "quire_session=" .. token })
end
