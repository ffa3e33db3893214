-- Our authserv-id says DMARC failed: a ticket flagged unverified_sender, no ack.
-- The same verdict from a foreign authserv-id is ignored.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QG0001", "<eve@bank.example>", {"<security@example.com>"},
  {{"Authentication-Results", "mx.test.example 1; spf=pass smtp.mailfrom=bank.example;\r\n\tdkim=none (no signature); dmarc=fail (p=reject) header.from=bank.example"},
   {"From", "eve@bank.example"}, {"Subject", "XSS in profile page"}, {"Message-ID", "<forged.1@bank.example>"}},
  report_body)
local t1 = added(conn, "X-Security-Ticket")
check(t1 ~= nil, "the forged report still makes a ticket")
print("FORGED " .. t1)
local tri = added(conn, "X-Security-Triage")
check(string.match(tri, "unverified_sender"), "flagged unverified_sender: " .. tri)
send_message(conn, "QG0002", "<frank@example.net>", {"<security@example.com>"},
  {{"Authentication-Results", "mx.attacker.example; dmarc=fail header.from=example.net"},
   {"From", "frank@example.net"}, {"Subject", "CSRF on password change"}, {"Message-ID", "<foreign.1@example.net>"}},
  report_body)
local t2 = added(conn, "X-Security-Ticket")
check(t2 ~= nil, "a ticket")
print("FOREIGN " .. t2)
tri = added(conn, "X-Security-Triage")
check(not string.match(tri, "unverified_sender"), "a foreign authserv-id is ignored: " .. tri)
mt.disconnect(conn)
