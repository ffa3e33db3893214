-- Two researchers, two wordings, one IDOR endpoint: the second report is
-- a suspected duplicate of the first; an unrelated report is not.
dofile(srcdir .. "/tests/milter/common.lua")

local rita = "Hi team,\r\n\r\nI found an IDOR (insecure direct object reference) in the billing API.\r\n" ..
  "The endpoint https://billing.example.com/api/v2/invoices/10023/download returns the\r\n" ..
  "invoice PDF for any invoice number, without checking that it belongs to the logged-in account.\r\n\r\n" ..
  "Steps to reproduce:\r\n1. Log in with my test account and download one of my invoices.\r\n" ..
  "2. Change the invoice number 10023 to 10022 in the URL.\r\n3. The invoice of another customer is returned.\r\n\r\n" ..
  "Impact: any user can read the invoices, names and addresses of all other customers.\r\n\r\nRegards,\r\nRita\r\n"
local sam = "Hello,\r\n\r\nbroken access control / authorization bypass: as user B I can fetch invoices of user A.\r\n" ..
  "Request:\r\n\r\nGET /api/v2/invoices/88412/download HTTP/1.1\r\nHost: billing.example.com\r\nCookie: session=...\r\n\r\n" ..
  "The server answers 200 with the PDF of a foreign account. Incrementing the id walks through\r\n" ..
  "every invoice on the platform, a clear privilege escalation affecting customer data.\r\n" ..
  "PoC attached as a screenshot.\r\n\r\nSam\r\n"
local tom = "Hi, the search page https://www.example.com/search?q=test reflects the q parameter\r\n" ..
  "without encoding: https://www.example.com/search?q=%3Cscript%3Ealert(1)%3C/script%3E\r\n" ..
  "runs script in the victims browser. An attacker can steal session cookies with a crafted link.\r\n" ..
  "Tested in Firefox and Chrome today.\r\n"

local function report(qid, from, subject, msgid, body)
  local conn = open_conn()
  local r = send_message(conn, qid, "<" .. from .. ">", {"<security@example.com>"},
    {{"From", from}, {"To", "security@example.com"}, {"Subject", subject}, {"Message-ID", msgid}}, body)
  check(r == "eom", qid .. " reached end of message")
  local ticket = added(conn, "X-Security-Ticket")
  local triage = added(conn, "X-Security-Triage")
  mt.disconnect(conn)
  check(ticket ~= nil and triage ~= nil, qid .. " annotated")
  return ticket, triage
end

local t1, h1 = report("QR0001", "rita@research.example.org", "IDOR in invoice download",
  "<idor.rita@research.example.org>", rita)
check(string.match(h1, "^kind=report; class=auth;") ~= nil, "first: class=auth: " .. h1)
check(string.find(h1, "duplicate-of=", 1, true) == nil, "first is nobody's duplicate: " .. h1)

local t2, h2 = report("QR0002", "sam@bughunter.example.net", "Broken access control: other customers invoices",
  "<bac.sam@bughunter.example.net>", sam)
check(t2 ~= t1, "the second report has its own ticket")
local tail = "; duplicate-of=" .. t1
check(string.sub(h2, -string.len(tail)) == tail, "second ends with " .. tail .. ": " .. h2)

local t3, h3 = report("QR0003", "tom@example.org", "Reflected XSS in search", "<xss.tom@example.org>", tom)
check(string.find(h3, "duplicate-of=", 1, true) == nil, "unrelated report: no duplicate-of: " .. h3)

mt.echo("FIRST " .. t1)
mt.echo("SECOND " .. t2)
mt.echo("OTHER " .. t3)
