-- A report without a PoC is needs_info; the follow-up with the PoC completes it.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QC0001", "<carol@example.org>", {"<security@example.com>"},
  {{"From", "Carol <carol@example.org>"}, {"Subject", "SQL injection in search"},
   {"Message-ID", "<ni.1@example.org>"}},
  "Hello,\r\n\r\nThere is an SQL injection in the search page https://app.example.com/search?q=test of CallHub 4.2.\r\n" ..
  "Steps to reproduce:\r\n1. Log in with a test account.\r\n2. Search for a word.\r\n3. Watch the error.\r\n\r\n" ..
  "Impact: an attacker can read every customer record in the database.\r\n")
local ticket = added(conn, "X-Security-Ticket")
check(ticket ~= nil, "a ticket")
print("TICKET " .. ticket)
local tri = added(conn, "X-Security-Triage")
check(string.match(tri, "missing=poc;"), "missing=poc: " .. tri)
send_message(conn, "QC0002", "<carol@example.org>", {"<security@example.com>"},
  {{"From", "Carol <carol@example.org>"}, {"Subject", "[" .. ticket .. "] Re: SQL injection in search"},
   {"Message-ID", "<ni.2@example.org>"}, {"In-Reply-To", "<ni.1@example.org>"}},
  "Here is the proof of concept request:\r\n\r\n" ..
  "GET /search?q=%27%20UNION%20SELECT%20password%20FROM%20users--%20 HTTP/1.1\r\nHost: app.example.com\r\n\r\n" ..
  "sqlmap -u \"https://app.example.com/search?q=1\" --dump\r\n")
check(added(conn, "X-Security-Ticket") == ticket, "the follow-up joins " .. ticket)
mt.disconnect(conn)
