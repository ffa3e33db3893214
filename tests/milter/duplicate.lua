-- The same Message-ID twice (an MTA retry): one ticket, same annotation.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
local hdrs = {{"Subject", "CSRF on email change"}, {"Message-ID", "<dup.1@example.org>"}}
send_message(conn, "QD0001", "<d@example.org>", {"<security@example.com>"}, hdrs, report_body)
local t1 = added(conn, "X-Security-Ticket")
mt.disconnect(conn)
conn = open_conn()
send_message(conn, "QD0002", "<d@example.org>", {"<security@example.com>"}, hdrs, report_body)
local t2 = added(conn, "X-Security-Ticket")
check(t1 ~= nil and t1 == t2, "retry carries the same ticket: " .. tostring(t1) .. " " .. tostring(t2))
mt.disconnect(conn)
