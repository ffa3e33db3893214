-- A team member's reply on a ticket is recorded, with no ack; on no ticket it opens none.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QT0001", "<dana@callhub.example>", {"<security@example.com>"},
  {{"From", "Dana <Dana@CallHub.example>"}, {"Subject", "[" .. ticket .. "] Re: SQL injection in search"},
   {"Message-ID", "<team.1@callhub.example>"}},
  "Thanks Carol, we could reproduce it and are working on a fix.\r\n")
check(added(conn, "X-Security-Ticket") == ticket, "the team reply joins " .. ticket)
local tri = added(conn, "X-Security-Triage")
check(string.match(tri, "^kind=followup;"), "kind=followup: " .. tri)
send_message(conn, "QT0002", "<dana@callhub.example>", {"<security@example.com>"},
  {{"From", "dana@callhub.example"}, {"Subject", "Reminder: rotate the PGP key"},
   {"Message-ID", "<team.2@callhub.example>"}},
  "Please rotate the key before Friday.\r\n")
check(added(conn, "X-Security-Ticket") == nil, "team mail on no ticket opens none")
tri = added(conn, "X-Security-Triage")
check(tri == "kind=report; team=yes", "team=yes: " .. tostring(tri))
check(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "Subject untouched")
mt.disconnect(conn)
