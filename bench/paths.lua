-- Round-robin over the request paths in the file named by WRK_PATHS (one a line), so a run
-- varies its queries (many topics, many date bounds) and no response cache can stand in.
local paths = {}
local next_index = 1

function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do
    paths[#paths + 1] = line
  end
  -- Each of wrk's threads starts at a different place in the list.
  next_index = math.random(#paths)
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
