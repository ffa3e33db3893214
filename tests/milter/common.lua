-- common.lua: helpers shared by the miltertest scripts.
-- Globals set with miltertest -D: port (secmilter's TCP port).

function open_conn()
  local conn = mt.connect("inet:" .. port .. "@127.0.0.1", 40, 0.25)
  if conn == nil then error("cannot connect to secmilter on port " .. port) end
  local err = mt.negotiate(conn, nil, nil, nil)
  if err ~= nil then error("negotiate: " .. err) end
  return conn
end

function check(cond, what)
  if not cond then error("FAILED: " .. what) end
end

-- One message through the steps secmilter negotiates (no EOH).
function send_message(conn, qid, from, rcpts, headers, body)
  mt.macro(conn, SMFIC_MAIL, "i", qid)
  check(mt.mailfrom(conn, from) == nil, "MAIL")
  for _, r in ipairs(rcpts) do
    check(mt.rcptto(conn, r) == nil, "RCPT " .. r)
  end
  check(mt.data(conn) == nil, "DATA")
  if mt.getreply(conn) == SMFIR_ACCEPT then return "accepted-at-data" end
  for _, h in ipairs(headers) do
    check(mt.header(conn, h[1], h[2]) == nil, "header " .. h[1])
  end
  check(mt.bodystring(conn, body) == nil, "body")
  check(mt.eom(conn) == nil, "EOM")
  check(mt.getreply(conn) == SMFIR_ACCEPT, "EOM reply is ACCEPT")
  return "eom"
end

-- A header value as secmilter sent it, without the leading space.
function added(conn, name)
  local v = mt.getheader(conn, name, 0)
  if v == nil then return nil end
  return (string.gsub(v, "^%s+", ""))
end

report_body = "Hello,\r\n\r\nI found a stored cross-site scripting issue on https://app.example.com/settings/profile.\r\n" ..
  "Steps to reproduce:\r\n1. Log in with a test account.\r\n2. Put <svg onload=alert(document.cookie)> in About me.\r\n" ..
  "3. Open https://app.example.com/u/alice in another session.\r\n\r\n" ..
  "Impact: an attacker can steal the session of any user who views the profile.\r\n"
