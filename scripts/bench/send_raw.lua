-- wrk script: eth_sendRawTransaction with pre-signed transactions, one per line of RN_TX_FILE;
-- each wrk thread takes its own share of the lines and stops when they are used up. Counts the
-- JSON-RPC results (admitted) and errors separately: wrk's own request rate counts both.
local lines = {}
for line in io.lines(os.getenv("RN_TX_FILE")) do lines[#lines + 1] = line end
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter, admitted, rejected = 0, 0, 0
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  counter = counter + 1
  local i = (counter - 1) * 2 + id + 1  -- 2 = wrk -t2
  if i > #lines then
    i = ((i - 1) % #lines) + 1  -- used up: repeats are rejected as "already known"
  end
  return wrk.format(nil, nil, nil, '{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["' .. lines[i] .. '"]}')
end
function response(status, headers, body)
  if string.find(body, '"result"', 1, true) then admitted = admitted + 1 else rejected = rejected + 1 end
end
function done(summary, latency, requests)
  local a, r = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("admitted"); r = r + t:get("rejected") end
  io.write(string.format("admitted %d, rejected %d in %.2f s: %.0f admitted/s\n", a, r,
    summary.duration / 1e6, a / (summary.duration / 1e6)))
end
