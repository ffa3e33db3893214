-- An internal failure (set up by the caller) accepts the message unchanged.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
local r = send_message(conn, "QX0001", "<alice@example.org>", {"<security@example.com>"},
  {{"Subject", "report during a failure"}, {"Message-ID", "<failure." .. case .. "@example.org>"},
   {"X-Security-Triage", "forged"}}, report_body)
if r == "accepted-at-data" then
  mt.echo("accepted at DATA")
else
  check(not mt.eom_check(conn, MT_HDRADD), "no header added")
  check(not mt.eom_check(conn, MT_HDRCHANGE), "no header changed")
  check(not mt.eom_check(conn, MT_HDRDELETE), "no header deleted")
end
mt.disconnect(conn)
