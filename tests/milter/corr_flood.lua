-- Eight reports in a row from one sender: eight tickets (the limit counts acks).
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
for i = 1, 8 do
  send_message(conn, string.format("QR%04d", i), "<flood@example.org>", {"<security@example.com>"},
    {{"From", "flood@example.org"}, {"Subject", "Report number " .. i},
     {"Message-ID", string.format("<flood.%d@example.org>", i)}},
    report_body)
  check(added(conn, "X-Security-Ticket") ~= nil, "report " .. i .. " makes a ticket")
end
mt.disconnect(conn)
