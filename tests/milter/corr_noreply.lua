-- Mail that must never get an automatic reply: our loop header, robots,
-- list owners and request addresses, a Precedence: junk; each still a ticket.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
local cases = {
  {"<gina@example.org>", {{"X-Secmilter-Loop", "security@example.com"}}},
  {"<mailer-daemon@example.org>", {}},
  {"<noreply@example.org>", {}},
  {"<no-reply@example.org>", {}},
  {"<owner-x@example.org>", {}},
  {"<x-request@example.org>", {}},
  {"<security@example.com>", {}},
}
for i, c in ipairs(cases) do
  local hdrs = {{"From", c[1]}, {"Subject", "Stored XSS, case " .. i},
                {"Message-ID", string.format("<noreply.%d@example.org>", i)}}
  for _, h in ipairs(c[2]) do table.insert(hdrs, h) end
  send_message(conn, string.format("QN%04d", i), c[1], {"<security@example.com>"}, hdrs, report_body)
end
mt.disconnect(conn)
