-- An out-of-office reply about no ticket: kind=automated, no ticket, no tag.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QA0002", "<bob@example.org>", {"<security@example.com>"},
  {{"Subject", "Out of Office: your mail"}, {"Auto-Submitted", "auto-replied"},
   {"Message-ID", "<ooo.1@example.org>"}}, "I am away until Monday.\r\n")
check(added(conn, "X-Security-Triage") == "kind=automated", "kind=automated")
check(added(conn, "X-Security-Ticket") == nil, "no ticket header")
check(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "Subject untouched")
mt.disconnect(conn)
