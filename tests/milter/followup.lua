-- A follow-up joins its ticket: by subject tag, and by References.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QF0001", "<alice@example.org>", {"<security@example.com>"},
  {{"Subject", "[" .. ticket .. "] Re: XSS in profile page"}, {"Message-ID", "<followup.1@example.org>"}},
  "Here is the PoC you asked for: <script>alert(1)</script>\r\n")
check(added(conn, "X-Security-Ticket") == ticket, "tagged follow-up joins " .. ticket)
local tri = added(conn, "X-Security-Triage")
check(string.match(tri, "^kind=followup;"), "kind=followup: " .. tri)
check(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "Subject already tagged: unchanged")
send_message(conn, "QF0002", "<alice@example.org>", {"<security@example.com>"},
  {{"Subject", "Re: XSS"}, {"Message-ID", "<followup.2@example.org>"},
   {"In-Reply-To", "<annotate.1@example.org>"}, {"References", "<annotate.1@example.org>"}},
  "One more detail.\r\n")
check(added(conn, "X-Security-Ticket") == ticket, "reply by References joins " .. ticket)
mt.disconnect(conn)
