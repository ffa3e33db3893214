-- Two messages on one connection: each gets its own ticket; the second
-- has two recipients of which one is security@.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QT0001", "<a@example.org>", {"<security@example.com>"},
  {{"Subject", "first"}, {"Message-ID", "<two.1@example.org>"}}, report_body)
local t1 = added(conn, "X-Security-Ticket")
send_message(conn, "QT0002", "<b@example.org>", {"<carol@example.com>", "<Security+web@Example.com>"},
  {{"Subject", "second"}, {"Message-ID", "<two.2@example.org>"}}, "SQL injection in search: ' OR 1=1--\r\n")
local t2 = added(conn, "X-Security-Ticket")
check(t1 ~= nil and t2 ~= nil, "both annotated")
check(t1 ~= t2, "two tickets: " .. tostring(t1) .. " " .. tostring(t2))
-- A third message for someone else on the same connection is left alone.
local r = send_message(conn, "QT0003", "<c@example.org>", {"<dave@example.com>"}, {{"Subject", "x"}}, "x\r\n")
check(r == "accepted-at-data", "third message accepted at DATA")
mt.disconnect(conn)
