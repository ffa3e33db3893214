-- A PGP/MIME encrypted report: a ticket that says it needs manual decryption.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
send_message(conn, "QE0001", "<crypt@example.org>", {"<security@example.com>"},
  {{"Subject", "Encrypted report as per your policy"}, {"Message-ID", "<encrypted.1@example.org>"},
   {"MIME-Version", "1.0"},
   {"Content-Type", "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"enc\""}},
  "--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n" ..
  "--enc\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\n" ..
  "hQEMA5p0wFqXEmBnAQf/bXlz\r\n=abcd\r\n-----END PGP MESSAGE-----\r\n--enc--\r\n")
local tri = added(conn, "X-Security-Triage")
check(tri ~= nil and string.match(tri, "flags=[a-z_,]*encrypted"), "flagged encrypted: " .. tostring(tri))
mt.echo("TICKET " .. tostring(added(conn, "X-Security-Ticket")))
mt.disconnect(conn)
