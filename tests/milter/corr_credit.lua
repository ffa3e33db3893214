-- The reporter answers the fixed notification with the credit lines.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QK0001", "<carol@example.org>", {"<security@example.com>"},
  {{"From", "Carol <carol@example.org>"}, {"Subject", "Re: [" .. ticket .. "] Update: SQL injection in search"},
   {"Message-ID", "<credit.1@example.org>"}},
  "Thank you! Here you go:\r\n\r\nCredit-Name: Carol Q. Researcher\r\nCredit-Link: https://carol.example.org/about\r\n" ..
  "Credit-Consent: yes\r\n\r\n> Credit-Name: the name to show\r\n> Credit-Link: an optional link\r\n")
check(added(conn, "X-Security-Ticket") == ticket, "the credit reply joins " .. ticket)
mt.disconnect(conn)
