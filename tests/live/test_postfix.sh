#!/usr/bin/env bash
# tests/live/test_postfix.sh - secmilter behind a real Postfix
#
# A private Postfix on loopback (tests/lib.sh) with secmilter as its only
# smtpd milter and milter_default_action = accept; everything Postfix
# relays, the annotated copies and the acknowledgements secmilter sends
# through that Postfix's own sendmail, lands in an smtp-sink capture.
# swaks sends a report, a follow-up, an out-of-office, mail for another
# address and a hostile message; the test reads the captures and the
# store with secticket.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

tap_init
test_need_sandbox
[ -x "$SECMILTER" ] || tap_bail "no secmilter at $SECMILTER"

test_workdir live
sb=$work/sandbox

smtp_port=$(free_port)
sink_port=$(free_port)
milter_port=$(free_port)

# secmilter first, submitting through the sandbox's sendmail.
cat >"$work/secmilter.conf" <<CONF
Sendmail $(sandbox_sendmail_cmd "$sb")
AckFrom security@example.com
InScopeDomains *.example.com
MaxMessageBytes 2m
MaxMimeDepth 20
CONF
"$SECMILTER" -f -c "$work/secmilter.conf" -d "$work/state" -p "inet:$milter_port@127.0.0.1" \
	2>"$work/secmilter.log" &
pid=$!
wait_port 127.0.0.1 "$milter_port" 10 || { cat "$work/secmilter.log" >&2; tap_bail "secmilter did not start"; }
sandbox_start "$sb" "$smtp_port" "$sink_port" "inet:127.0.0.1:$milter_port" || tap_bail "sandbox did not start"
tap_is "$(postconf -c "$sb/postfix" -h milter_default_action)" accept "Postfix wired with milter_default_action = accept"

send() {		# send OUTFILE SWAKS-ARGS...
	local out=$1
	shift
	swaks --server "127.0.0.1:$smtp_port" --helo client.example.net "$@" >"$work/$out" 2>&1
}

# capture REGEX - the one captured file whose content matches
capture() { sandbox_sink_grep "$sb" "$1" | head -n 1; }
hdr() { sandbox_sink_body "$1" | sed -n '1,/^$/p' | grep -i "^$2:" | head -n 1; }

# 1. A report.
send report.out --from alice.researcher@example.org --to security@example.com \
	--data "@$TEST_DATA/report_xss.eml"
tap_is "$?" 0 "swaks: report accepted by Postfix"
# 2. Mail for someone else, with a forged triage header: must pass untouched.
send other.out --from carol@example.org --to bob@example.com \
	--header 'Subject: quarterly numbers' --header 'X-Security-Triage: kind=report; forged' \
	--header 'Message-ID: <other.1@example.org>' --body 'Numbers attached. Not a report.'
tap_is "$?" 0 "swaks: other mail accepted"
sandbox_wait_sink "$sb" 3 30	# report copy, its ack, the other mail

rep=$(capture '^Message-ID: <20260310091238.GA4242@mail.example.org>')
tap_ok "[ -n '$rep' ]" "the report was delivered"
ticket=$(hdr "$rep" X-Security-Ticket | sed 's/^[^:]*: //')
tap_like "$ticket" '^SEC-[0-9]{4}-[0-9]{4,}$' "delivered report carries X-Security-Ticket"
tap_like "$(hdr "$rep" X-Security-Triage)" \
	'^X-Security-Triage: kind=report; class=xss; scope=in; severity=(critical|high|medium|low|none|unknown); missing=[a-z,]+; conduct=[a-z_,]+' \
	"delivered report carries X-Security-Triage in the fixed format"
tap_is "$(hdr "$rep" Subject)" "Subject: [$ticket] Stored XSS in profile \"About me\" field on app.example.com" \
	"Subject tagged once, the rest unchanged"
tap_ok "sandbox_sink_body '$rep' | grep -qF 'onerror=alert(document.domain)'" "report body delivered intact"

oth=$(capture '^Message-ID: <other.1@example.org>')
tap_ok "[ -n '$oth' ]" "the other mail was delivered"
tap_is "$(hdr "$oth" X-Security-Ticket)" "" "other mail: no X-Security-Ticket"
tap_is "$(hdr "$oth" X-Security-Triage)" "X-Security-Triage: kind=report; forged" "other mail: its own headers untouched"
tap_is "$(hdr "$oth" Subject)" "Subject: quarterly numbers" "other mail: Subject untouched"

# The acknowledgement leaves through the outbox, on its own time.
for i in $(seq 1 300); do
	# Every capture with the tag: the report has it too, and may sort first.
	ack=$(sandbox_sink_grep "$sb" "^X-Security-Ticket: $ticket" | xargs -r grep -l '^Auto-Submitted: auto-replied' | head -n 1)
	[ -n "$ack" ] && break
	sleep 0.1
done
tap_ok "[ -n '$ack' ]" "acknowledgement captured"
if [ -n "$ack" ]; then
	tap_like "$(grep '^X-Mail-Args:' "$ack")" '^X-Mail-Args: <>' "ack sent with the null envelope sender"
	tap_like "$(grep '^X-Rcpt-Args:' "$ack")" '^X-Rcpt-Args: <alice.researcher@example.org>' "ack sent to the reporter"
	tap_like "$(hdr "$ack" Subject)" "^Subject: \\[$ticket\\] " "ack Subject carries the ticket tag"
	tap_is "$(hdr "$ack" In-Reply-To)" "In-Reply-To: <20260310091238.GA4242@mail.example.org>" "ack In-Reply-To names the report"
	tap_is "$(hdr "$ack" References)" "References: <20260310091238.GA4242@mail.example.org>" "ack References names the report"
	tap_ok "grep -q 'Critical, High or Medium' '$ack'" "ack states the next steps"
else
	for d in sender recipient subject in-reply-to references next-steps; do tap_skip "ack $d"; done
fi

# 3. A follow-up with the ticket tag, 4. an out-of-office, 5. a hostile mix.
send followup.out --from alice.researcher@example.org --to security@example.com \
	--header "Subject: Re: [$ticket] Stored XSS" --header 'Message-ID: <followup.1@example.org>' \
	--header "In-Reply-To: <20260310091238.GA4242@mail.example.org>" \
	--body 'Here is the video of the PoC as requested.'
send ooo.out --from bob.away@example.net --to security@example.com \
	--header 'Subject: Automatic reply: Out of the office' --header 'Auto-Submitted: auto-replied' \
	--header 'Message-ID: <ooo.1@example.net>' --body 'I am out of the office until Monday.'
printf 'From: x@example.net\r\nSubject: =?utf-8?B?////?=\r\nContent-Type: multipart/mixed; boundary="b"\r\nX-Security-Ticket: SEC-2026-9999\r\n\r\n--b\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n\x01\x02\xff\r\n' >"$work/hostile.eml"
send hostile.out --from mallory@example.net --to security@example.com --data "@$work/hostile.eml"
tap_is "$?" 0 "swaks: hostile message accepted by Postfix"
sandbox_wait_sink "$sb" 6 30

fu=$(capture '^Message-ID: <followup.1@example.org>')
tap_is "$(hdr "$fu" X-Security-Ticket)" "X-Security-Ticket: $ticket" "follow-up joined $ticket"
tap_like "$(hdr "$fu" X-Security-Triage)" '^X-Security-Triage: kind=followup;' "follow-up: kind=followup"
tap_is "$(hdr "$fu" Subject)" "Subject: Re: [$ticket] Stored XSS" "follow-up Subject not tagged twice"
oo=$(capture '^Message-ID: <ooo.1@example.net>')
tap_is "$(hdr "$oo" X-Security-Triage)" "X-Security-Triage: kind=automated" "out-of-office: kind=automated only"
tap_is "$(hdr "$oo" X-Security-Ticket)" "" "out-of-office: no ticket"
ho=$(capture '^From: x@example.net')
tap_ok "[ -n '$ho' ]" "hostile message delivered"
tap_is "$(grep -c '^X-Security-Ticket: SEC-2026-9999' "$ho")" 0 "hostile message: forged ticket header removed"
tap_like "$(hdr "$ho" X-Security-Triage)" 'flags=.*malformed_mime|flags=.*spoofed_headers' "hostile message flagged"

# 6. Huge and deeply nested: pass intact, get a ticket, are flagged.
python3 - "$work" <<'PY'
import base64, os, random, sys
w = sys.argv[1]
random.seed(7)
blob = bytes(random.getrandbits(8) for _ in range(4 * 1024 * 1024))
b64 = base64.encodebytes(blob).decode()
with open(os.path.join(w, "huge.eml"), "w") as f:
    f.write("From: Big Report <big@example.org>\nTo: security@example.com\n"
            "Subject: SQL injection, full database dump attached\nMessage-ID: <huge.1@example.org>\n"
            "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B\"\n\n"
            "--B\nContent-Type: text/plain\n\nThe search parameter is injectable: ' OR 1=1--\n"
            "--B\nContent-Type: application/octet-stream; name=\"dump.bin\"\n"
            "Content-Transfer-Encoding: base64\n\n" + b64 + "--B--\n")
depth = 60
with open(os.path.join(w, "nested.eml"), "w") as f:
    f.write("From: Nest <nest@example.org>\nTo: security@example.com\nSubject: nested\n"
            "Message-ID: <nested.1@example.org>\nMIME-Version: 1.0\n")
    for i in range(depth):
        f.write("Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n" % (i, i))
    f.write("Content-Type: text/plain\n\nXSS deep inside: <script>alert(1)</script>\n")
    for i in reversed(range(depth)):
        f.write("--b%d--\n" % i)
PY
send huge.out --from big@example.org --to security@example.com --data "@$work/huge.eml"
tap_is "$?" 0 "swaks: a 5 MB message (past MaxMessageBytes) accepted"
send nested.out --from nest@example.org --to security@example.com --data "@$work/nested.eml"
tap_is "$?" 0 "swaks: a message nested 60 deep accepted"
sandbox_wait_sink "$sb" 11 60	# 7 messages and 4 acknowledgements
hu=$(capture '^Message-ID: <huge.1@example.org>')
tap_like "$(hdr "$hu" X-Security-Triage)" 'flags=([a-z_]+,)*oversize' "huge message flagged oversize"
tap_like "$(hdr "$hu" X-Security-Ticket)" '^X-Security-Ticket: SEC-' "huge message has its ticket"
tap_is "$(sandbox_sink_body "$hu" | sed -n '/^$/,$p' | grep -v '^$' | sha256sum | cut -d' ' -f1)" \
	"$(sed -n '/^$/,$p' "$work/huge.eml" | grep -v '^$' | sha256sum | cut -d' ' -f1)" "huge message body delivered intact"
ne=$(capture '^Message-ID: <nested.1@example.org>')
tap_like "$(hdr "$ne" X-Security-Triage)" 'flags=([a-z_]+,)*(malformed_mime|oversize)' "nested message flagged"
tap_like "$(hdr "$ne" X-Security-Ticket)" '^X-Security-Ticket: SEC-' "nested message has its ticket"
tap_is "$(sandbox_sink_body "$ne" | sed -n '/^$/,$p' | grep -v '^$' | sha256sum | cut -d' ' -f1)" \
	"$(sed -n '/^$/,$p' "$work/nested.eml" | grep -v '^$' | sha256sum | cut -d' ' -f1)" "nested message body delivered intact"

# The store, through secticket.
sleep 1
json=$("$SECTICKET" -d "$work/state" list --json)
q() { printf '%s' "$json" | python3 -c "import json,sys; t=json.load(sys.stdin); print($1)"; }
tap_is "$(q 'len(t)')" 4 "four tickets: the report, the hostile, the huge and the nested message"
tap_is "$(q '[x["messages"] for x in t if x["id"]=="'"$ticket"'"][0]')" 2 "report ticket holds the report and the follow-up"
tap_is "$(q '[x["reporter"] for x in t if x["id"]=="'"$ticket"'"][0]')" alice.researcher@example.org "reporter recorded"
tap_is "$(q 'set(["id","state","created","reporter","subject","classes","severity","scope","missing","conduct","duplicate_of","messages"]) <= set(t[0].keys())')" True \
	"list --json has every fixed field"
acks=$(sandbox_sink_grep "$sb" '^Auto-Submitted: auto-replied' | xargs -r grep -l '^X-Mail-Args: <>' | wc -l)
tap_is "$acks" 4 "an acknowledgement per new report: none for the follow-up or the out-of-office"
tap_ok "! sandbox_sink_grep '$sb' '^X-Rcpt-Args: <bob.away@example.net>' | grep -q ." "no mail to the out-of-office sender"
tap_ok "kill -0 $pid" "secmilter still running"
tap_ok "! grep -q 'out of the office\\|onerror=alert' '$work/secmilter.log'" "no message text in secmilter's log"
tap_done
