-- Mail for security@ is annotated; a forged X-Security-Triage is removed.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
local r = send_message(conn, "QA0001", "<alice@example.org>", {"<security@example.com>"},
  {{"From", "Alice <alice@example.org>"}, {"To", "security@example.com"},
   {"Subject", "XSS in profile page"}, {"Message-ID", "<annotate.1@example.org>"},
   {"X-Security-Triage", "kind=report; class=none; scope=out"},
   {"x-security-ticket", "SEC-2026-9999"}},
  report_body)
check(r == "eom", "message reached end of message")
local ticket = added(conn, "X-Security-Ticket")
check(ticket ~= nil and string.match(ticket, "^SEC%-%d%d%d%d%-%d%d%d%d+$"), "X-Security-Ticket added: " .. tostring(ticket))
local triage = added(conn, "X-Security-Triage")
check(triage ~= nil and string.match(triage, "^kind=report; class=xss; scope=in; severity=[a-z]+; missing=[a-z,]+; conduct=[a-z_,]+"), "X-Security-Triage: " .. tostring(triage))
check(mt.eom_check(conn, MT_HDRDELETE, "X-Security-Triage"), "forged X-Security-Triage removed")
check(mt.eom_check(conn, MT_HDRDELETE, "x-security-ticket"), "forged x-security-ticket removed")
check(mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "Subject changed")
mt.echo("TICKET " .. ticket)
mt.disconnect(conn)
