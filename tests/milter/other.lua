-- Mail for nobody in SecurityAddress is accepted at DATA, untouched.
dofile(srcdir .. "/tests/milter/common.lua")
local conn = open_conn()
local r = send_message(conn, "QO0001", "<alice@example.org>", {"<bob@example.com>", "<insecurity@example.com>"},
  {{"Subject", "lunch"}}, "hi\r\n")
check(r == "accepted-at-data", "accepted at DATA")
mt.disconnect(conn)
