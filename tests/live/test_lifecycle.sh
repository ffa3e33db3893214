#!/usr/bin/env bash
# tests/live/test_lifecycle.sh - one ticket through every state, behind a real Postfix
#
# A private Postfix on loopback (tests/lib.sh) with secmilter as its smtpd
# milter; everything Postfix relays, reports and the mail secmilter sends
# through that Postfix's own sendmail, lands in an smtp-sink capture.
#
# 1. The lifecycle: a report without a proof of concept (needs_info, the
#    acknowledgement asks for the PoC by name), an out-of-office reply to
#    the acknowledgement (recorded, no ticket, no reply), the reporter's
#    reply with the PoC (In-Reply-To the acknowledgement's Message-ID),
#    secticket set triaged/scheduled/fixed (one notification each), a
#    credit reply, and secticket stats --json with the ticket's clocks.
#    Every mail secmilter sent is asserted on.
# 2. Delivery: a Sendmail that fails (exit 75) while a flag file exists.
#    The acknowledgement is deferred (attempts, last error); the worker
#    is killed (a crash) and the daemon stopped and started again; the
#    item survives in the LMDB outbox and arrives once the flag is gone.
# 3. OutboxMaxAge: an item that keeps failing is marked failed, shown by
#    secticket outbox and show, and "secticket outbox retry" sends it.
#
# OutboxRetryMinSeconds 1 stands in for the 30 s first retry, so the
# test waits seconds, not minutes.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

tap_init
test_need_sandbox
[ -x "$SECMILTER" ] && [ -x "$SECTICKET" ] || tap_bail "programs not built"

test_workdir lifecycle
sb=$work/sandbox
st=$work/state

smtp_port=$(free_port)
sink_port=$(free_port)
milter_port=$(free_port)
reporter=dana.researcher@example.org

# A Sendmail that fails with EX_TEMPFAIL while $work/fail exists, and
# otherwise hands the message to the sandbox's sendmail.
cat >"$work/flaky-sendmail" <<EOF
#!/bin/sh
if [ -e "$work/fail" ]; then
	cat >/dev/null
	echo "relay unavailable (test flag)" >&2
	exit 75
fi
exec $(sandbox_sendmail_cmd "$sb") "\$@"
EOF
chmod 755 "$work/flaky-sendmail"

# start_milter EXTRA_CONF_LINES - secmilter on $milter_port over $st
start_milter() {
	{
		printf 'Sendmail %s\nAckFrom security@example.com\nInScopeDomains *.example.com\n' \
		    "$work/flaky-sendmail"
		printf 'OutboxRetryMinSeconds 1\n%s\n' "${1:-}"
	} >"$work/secmilter.conf"
	"$SECMILTER" -f -c "$work/secmilter.conf" -d "$st" -p "inet:$milter_port@127.0.0.1" \
		2>>"$work/secmilter.log" &
	pid=$!
	wait_port 127.0.0.1 "$milter_port" 10
}
stop_milter() {
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

start_milter || { cat "$work/secmilter.log" >&2; tap_bail "secmilter did not start"; }
sandbox_start "$sb" "$smtp_port" "$sink_port" "inet:127.0.0.1:$milter_port" || tap_bail "sandbox did not start"

send() {		# send OUTFILE SWAKS-ARGS...
	local out=$1
	shift
	swaks --server "127.0.0.1:$smtp_port" --helo client.example.net "$@" >"$work/$out" 2>&1
}
capture() { sandbox_sink_grep "$sb" "$1" | head -n 1; }
hdr() { sandbox_sink_body "$1" | sed -n '1,/^$/p' | grep -i "^$2:" | head -n 1 | sed 's/^[^:]*: *//'; }
body() { sandbox_sink_body "$1" | sed -n '/^$/,$p'; }
# ours - every capture secmilter sent (null envelope sender), oldest first
ours() { sandbox_sink_files "$sb" | xargs -r grep -l '^X-Mail-Args: <>' 2>/dev/null; }
nours() { ours | wc -l | tr -d ' '; }
# next_ours N TIMEOUT_S - the newest of ours once there are more than N
next_ours() {
	local i
	for i in $(seq 1 $(($2 * 5))); do
		[ "$(nours)" -gt "$1" ] && { ours | tail -n 1; return 0; }
		sleep 0.2
	done
	return 1
}
tjson() { "$SECTICKET" -d "$st" show "$1" --json; }
tq() {			# tq ID PYTHON-EXPR - over the ticket document t
	tjson "$1" | python3 -c "import json,sys; t=json.load(sys.stdin); print($2)"
}
ntickets() { "$SECTICKET" -d "$st" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
checked=			# our captures asserted on, one per line

# ================================================================ 1. lifecycle
cat >"$work/report.eml" <<'EOF'
From: Dana Researcher <dana.researcher@example.org>
To: security@example.com
Subject: SQL injection in the contacts search of app.example.com
Message-ID: <lifecycle.report.1@example.org>
Date: Tue, 10 Mar 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Hello,

I found a SQL injection vulnerability in the contacts search of
https://app.example.com/contacts/search on the current production version.

Impact: an attacker with any account can read the contact lists of every
other customer, including names and phone numbers.

Steps to reproduce:
1. Log in with a test account.
2. Open the contacts page and use the search box.
3. Observe the database error that the search returns for a crafted term.

I will send the exact request once you confirm you received this.

Dana
EOF
send report.out --from "$reporter" --to security@example.com --data "@$work/report.eml"
tap_is "$?" 0 "swaks: the report without a PoC is accepted"
ack=$(next_ours 0 30)
rep=$(capture '^Message-ID: <lifecycle.report.1@example.org>')
ticket=$(hdr "$rep" X-Security-Ticket)
tap_like "$ticket" '^SEC-[0-9]{4}-[0-9]{4,}$' "the report opened a ticket"
tap_like "$(hdr "$rep" X-Security-Triage)" 'missing=poc;' "triage: only the PoC is missing"
tap_is "$(tq "$ticket" 't["state"]')" needs_info "the ticket is needs_info"

tap_ok "[ -n '$ack' ]" "the acknowledgement was captured"
checked="$checked$ack
"
ack_id=$(hdr "$ack" Message-ID)
tap_like "$ack_id" '^<.+@example\.com>$' "the acknowledgement has a Message-ID of our domain"
tap_like "$(grep '^X-Rcpt-Args:' "$ack")" "^X-Rcpt-Args: <$reporter>" "acknowledgement to the reporter"
tap_is "$(hdr "$ack" In-Reply-To)" "<lifecycle.report.1@example.org>" "acknowledgement In-Reply-To the report"
tap_ok "body '$ack' | grep -q '^- poc: A proof of concept or exploit code'" "the acknowledgement asks for the PoC by name"
tap_ok "! body '$ack' | grep -q '^- \\(type\\|target\\|impact\\|steps\\): '" "and for nothing the report has"
for i in $(seq 1 50); do
	[ "$(tq "$ticket" 't["clock"]["first_response"] is not None')" = True ] && break
	sleep 0.2
done
tap_like "$(tq "$ticket" 't["clock"]["first_response"]')" '^20[0-9]{2}-' "the ack handed to the MTA started the first_response clock"

# An out-of-office reply to the acknowledgement: recorded, nothing else.
n=$(nours)
send ooo.out --from "$reporter" --to security@example.com \
	--header "Subject: Automatic reply: [$ticket] Re: SQL injection" \
	--header 'Auto-Submitted: auto-replied' --header 'Message-ID: <lifecycle.ooo.1@example.org>' \
	--header "In-Reply-To: $ack_id" --body 'I am out of the office until Monday.'
tap_is "$?" 0 "swaks: the out-of-office reply is accepted"
sandbox_wait_sink "$sb" 3 30 >/dev/null 2>&1
oo=$(capture '^Message-ID: <lifecycle.ooo.1@example.org>')
tap_like "$(hdr "$oo" X-Security-Triage)" '^kind=automated' "out-of-office: kind=automated"
tap_is "$(tq "$ticket" '[m["kind"] for m in t["messages"] if m["message_id"]=="<lifecycle.ooo.1@example.org>"]')" \
	"['automated']" "out-of-office recorded on the ticket"
tap_is "$(ntickets)" 1 "out-of-office opened no ticket"
tap_is "$(tq "$ticket" 't["state"]')" needs_info "out-of-office changed no state"
sleep 5				# two sender polls
tap_is "$(nours)" "$n" "no reply to the out-of-office (no loop)"

# The reporter's answer with the PoC, threaded by In-Reply-To only.
n=$(nours)
send poc.out --from "$reporter" --to security@example.com \
	--header 'Subject: Re: SQL injection in the contacts search' \
	--header 'Message-ID: <lifecycle.poc.1@example.org>' --header "In-Reply-To: $ack_id" \
	--header "References: <lifecycle.report.1@example.org> $ack_id" \
	--body "Here is the proof of concept. The request:

GET /contacts/search?q=x'%20UNION%20SELECT%20name,phone%20FROM%20contacts-- HTTP/1.1
Host: app.example.com

curl 'https://app.example.com/contacts/search?q=x%27+UNION+SELECT+name,phone+FROM+contacts--'

It returns the contacts of every customer."
tap_is "$?" 0 "swaks: the PoC reply is accepted"
sandbox_wait_sink "$sb" 4 30 >/dev/null 2>&1
fu=$(capture '^Message-ID: <lifecycle.poc.1@example.org>')
tap_is "$(hdr "$fu" X-Security-Ticket)" "$ticket" "the PoC reply joined $ticket by In-Reply-To"
tap_like "$(hdr "$fu" X-Security-Triage)" '^kind=followup;' "the PoC reply is a follow-up"
tap_is "$(ntickets)" 1 "the PoC reply opened no ticket"
tap_is "$(tq "$ticket" 't["missing"]')" "[]" "the ticket has everything now"
# The missing item arrived: needs_info is cleared, with a note saying so.
info=$(next_ours "$n" 30)
tap_is "$(tq "$ticket" 't["state"]')" acknowledged "the PoC reply cleared needs_info"
tap_ok "[ -n '$info' ]" "an information-received note was sent"
checked="$checked$info
"
tap_is "$(hdr "$info" X-Security-Ticket)" "$ticket" "the note is about $ticket"
tap_ok "body '$info' | grep -qi 'received'" "the note says the information was received"

# set triaged: the qualification and a time frame.
n=$(nours)
"$SECTICKET" -d "$st" set "$ticket" state=triaged severity=high >/dev/null
tap_is "$?" 0 "secticket set state=triaged severity=high"
tri=$(next_ours "$n" 30)
tap_ok "[ -n '$tri' ]" "the triaged notification was captured"
checked="$checked$tri
"
tap_ok "body '$tri' | grep -q 'High'" "the notification gives the qualification High"
tap_ok "body '$tri' | grep -Eiq 'time frame.*[0-9]+ days|[0-9]+ days'" "and a time frame"

# set scheduled: the date.
n=$(nours)
"$SECTICKET" -d "$st" set "$ticket" state=scheduled eta=2027-01-15 >/dev/null
tap_is "$?" 0 "secticket set state=scheduled eta=2027-01-15"
sch=$(next_ours "$n" 30)
tap_ok "[ -n '$sch' ]" "the scheduled notification was captured"
checked="$checked$sch
"
tap_ok "body '$sch' | grep -q '2027-01-15'" "the notification gives the date"

# set fixed: done, and the Hall of Fame question.
n=$(nours)
"$SECTICKET" -d "$st" set "$ticket" state=fixed >/dev/null
tap_is "$?" 0 "secticket set state=fixed"
fix=$(next_ours "$n" 30)
tap_ok "[ -n '$fix' ]" "the fixed notification was captured"
checked="$checked$fix
"
tap_ok "body '$fix' | grep -qi 'is fixed'" "the notification says the issue is fixed"
tap_ok "body '$fix' | grep -q 'Hall of Fame'" "and asks about the Hall of Fame"
tap_ok "body '$fix' | grep -q 'Credit-Name:'" "with the Credit-Name: line to fill in"
tap_like "$("$SECTICKET" -d "$st" set "$ticket" state=new 2>&1)" 'refused from fixed' "fixed does not go back"

# The credit reply.
n=$(nours)
fix_id=$(hdr "$fix" Message-ID)
send credit.out --from "$reporter" --to security@example.com \
	--header "Subject: Re: [$ticket] Update" --header 'Message-ID: <lifecycle.credit.1@example.org>' \
	--header "In-Reply-To: $fix_id" \
	--body "Credit-Name: Dana Researcher
Credit-Link: https://dana.example.org/
Credit-Consent: yes"
tap_is "$?" 0 "swaks: the credit reply is accepted"
sandbox_wait_sink "$sb" 5 30 >/dev/null 2>&1
cr=$(capture '^Message-ID: <lifecycle.credit.1@example.org>')
tap_is "$(hdr "$cr" X-Security-Ticket)" "$ticket" "the credit reply joined $ticket"
tap_like "$(tq "$ticket" 't.get("credit")')" 'Dana Researcher' "the credit name is on the ticket"
tap_like "$(tq "$ticket" 't.get("credit")')" 'https://dana.example.org/' "the credit link is on the ticket"
# A reply about the credit, if one is sent, is checked below with the rest.
sleep 3
for f in $(ours); do
	printf '%s' "$checked" | grep -qxF "$f" && continue
	case $(grep '^X-Rcpt-Args:' "$f") in *"<$reporter>"*) checked="$checked$f
" ;; esac
done

# The clocks, through stats.
stats=$("$SECTICKET" -d "$st" stats --json)
tap_is "$?" 0 "secticket stats --json"
sq() { printf '%s' "$stats" | python3 -c "import json,sys; s=json.load(sys.stdin); c=[x for x in s['ticket_clocks'] if x['id']=='$ticket'][0]; print($1)"; }
tap_is "$(sq '[k for k in ("received","first_response","triaged","scheduled","fixed") if c["clock"][k]]')" \
	"['received', 'first_response', 'triaged', 'scheduled', 'fixed']" "stats --json shows every clock of the ticket"
tap_is "$(sq 'c["clock"]["received"] <= c["clock"]["first_response"] <= c["clock"]["triaged"] <= c["clock"]["scheduled"] <= c["clock"]["fixed"]')" \
	True "the clocks run in order"
tap_is "$(sq 's["first_response"]["done"], s["triage"]["done"], s["fix"]["done"]')" "1 1 1" "stats counts the ticket in each measure"
tap_is "$(sq 's["first_response"]["within_target"], s["triage"]["within_target"], s["fix"]["within_target"]')" "1 1 1" \
	"and within each target"
tap_like "$("$SECTICKET" -d "$st" stats --since "$(date -u +%Y-%m-%d)")" 'fix +1 ' "stats table for today"
tap_like "$("$SECTICKET" -d "$st" stats --since 2026-02-30 2>&1)" 'expected a date' "stats refuses a bad date"

# Every mail secmilter sent: to the reporter, about the ticket, as ours.
all=$(ours)
tap_is "$(printf '%s\n' "$all" | grep -c .)" "$(printf '%s' "$checked" | grep -c .)" \
	"every mail secmilter sent is one the test checked"
for f in $all; do
	b=$(basename "$f")
	tap_like "$(grep '^X-Rcpt-Args:' "$f")" "^X-Rcpt-Args: <$reporter>" "$b: to the reporter"
	tap_is "$(hdr "$f" X-Security-Ticket)" "$ticket" "$b: about $ticket"
	tap_is "$(hdr "$f" Auto-Submitted)" auto-replied "$b: Auto-Submitted: auto-replied"
	tap_like "$(hdr "$f" Subject)" "\\[$ticket\\]" "$b: the tag in the Subject"
done

# ================================================== 2. crash, restart, retry
touch "$work/fail"
send erin.out --from erin@example.org --to security@example.com \
	--header 'Subject: XSS in the profile page of app.example.com' \
	--header 'Message-ID: <lifecycle.erin.1@example.org>' \
	--body 'The About me field on https://app.example.com/profile renders <script>alert(1)</script>.'
tap_is "$?" 0 "swaks: a report while Sendmail fails"
for i in $(seq 1 100); do
	ob=$("$SECTICKET" -d "$st" outbox --json)
	[ "$(printf '%s' "$ob" | python3 -c 'import json,sys; print(sum(o["attempts"] for o in json.load(sys.stdin) if o["to"]=="erin@example.org"))')" -ge 1 ] 2>/dev/null && break
	sleep 0.1
done
oq() { printf '%s' "$ob" | python3 -c "import json,sys; o=[x for x in json.load(sys.stdin) if x['to']=='erin@example.org'][0]; print($1)"; }
tap_is "$(oq 'o["state"], o["attempts"] >= 1')" "queued True" "the acknowledgement is deferred: queued, attempts >= 1"
tap_like "$(oq 'o["last_error"]')" 'exit 75.*relay unavailable' "outbox records the last error"
erin=$(oq 'o["ticket"]')
tap_like "$("$SECTICKET" -d "$st" outbox)" "$erin +ack +[1-9].*exit 75" "secticket outbox shows attempts and the error"
tap_like "$("$SECTICKET" -d "$st" show "$erin")" 'ack +queued +to erin@example.org.*attempt.*exit 75' \
	"secticket show lists the deferred acknowledgement"
tap_is "$(tq "$erin" 't["clock"]["first_response"]')" None "no first response while nothing left"

# A crash: the worker dies with SIGKILL; the master starts a new one.
wpid=$(pgrep -P "$pid" | head -n 1)
# Never "kill -9" an empty pid: "kill -9 0" would hit this process group.
[ -n "$wpid" ] && kill -9 "$wpid" 2>/dev/null
for i in $(seq 1 50); do
	nw=$(pgrep -P "$pid" | head -n 1)
	[ -n "$nw" ] && [ "$nw" != "$wpid" ] && break
	sleep 0.1
done
tap_ok "[ -n '$nw' ] && [ '$nw' != '$wpid' ]" "the killed worker was restarted"
a0=$(oq 'o["attempts"]')
sleep 3
ob=$("$SECTICKET" -d "$st" outbox --json)
tap_ok "[ $(oq 'o["attempts"]') -gt $a0 ]" "after the crash the item is still there and retried"

# A stop and a start: the item is still there, and goes once Sendmail works.
stop_milter
ob=$("$SECTICKET" -d "$st" outbox --json)
tap_is "$(oq 'o["state"]')" queued "the item survived the stop"
n=$(sandbox_sink_grep "$sb" '^X-Rcpt-Args: <erin@example.org>' | wc -l)
tap_is "$n" 0 "nothing reached erin yet"
rm -f "$work/fail"
start_milter || tap_bail "secmilter did not restart"
for i in $(seq 1 200); do
	e=$(sandbox_sink_grep "$sb" '^X-Rcpt-Args: <erin@example.org>' | head -n 1)
	[ -n "$e" ] && break
	sleep 0.2
done
tap_ok "[ -n '$e' ]" "after the restart the acknowledgement arrived"
tap_is "$(hdr "$e" X-Security-Ticket)" "$erin" "it is erin's acknowledgement"
for i in $(seq 1 25); do
	[ "$(tq "$erin" 't["clock"]["first_response"] is not None')" = True ] && break
	sleep 0.2
done
tap_like "$(tq "$erin" 't["clock"]["first_response"]')" '^20' "its first_response clock started when it left"
tap_is "$("$SECTICKET" -d "$st" outbox --json | python3 -c 'import json,sys; print([o for o in json.load(sys.stdin) if o["to"]=="erin@example.org"])')" \
	"[]" "and it left the outbox"

# ===================================================== 3. OutboxMaxAge
stop_milter
touch "$work/fail"
start_milter 'OutboxMaxAge 3s' || tap_bail "secmilter did not start with OutboxMaxAge"
send frank.out --from frank@example.org --to security@example.com \
	--header 'Subject: CSRF on the password change form of app.example.com' \
	--header 'Message-ID: <lifecycle.frank.1@example.org>' \
	--body 'https://app.example.com/settings/password has no CSRF token; a cross-site form changes the password.'
tap_is "$?" 0 "swaks: a report that will not get out"
for i in $(seq 1 100); do
	ob=$("$SECTICKET" -d "$st" outbox --json)
	[ "$(printf '%s' "$ob" | python3 -c 'import json,sys; print([o["state"] for o in json.load(sys.stdin) if o["to"]=="frank@example.org"])')" = "['failed']" ] && break
	sleep 0.2
done
fq() { printf '%s' "$ob" | python3 -c "import json,sys; o=[x for x in json.load(sys.stdin) if x['to']=='frank@example.org'][0]; print($1)"; }
tap_is "$(fq 'o["state"]')" failed "past OutboxMaxAge the item is failed"
tap_ok "[ $(fq 'o["attempts"]') -ge 2 ]" "after retries"
frank=$(fq 'o["ticket"]')
fid=$(fq 'o["id"]')
tap_like "$("$SECTICKET" -d "$st" outbox)" "^$fid +failed +$frank +ack .*exit 75" "secticket outbox shows it failed"
tap_like "$("$SECTICKET" -d "$st" show "$frank")" 'ack +failed +to frank@example.org.*exit 75' "secticket show shows it failed"
tap_is "$(tq "$frank" '[o["state"] for o in t["outgoing"]]')" "['failed']" "show --json: outgoing state failed"
sleep 2
ob=$("$SECTICKET" -d "$st" outbox --json)
tap_is "$(fq 'o["state"]')" failed "a failed item is not tried again by itself"

rm -f "$work/fail"
tap_like "$("$SECTICKET" -d "$st" outbox retry "$fid")" "item $fid: queued" "secticket outbox retry requeues it"
for i in $(seq 1 100); do
	f=$(sandbox_sink_grep "$sb" '^X-Rcpt-Args: <frank@example.org>' | head -n 1)
	[ -n "$f" ] && break
	sleep 0.2
done
tap_ok "[ -n '$f' ]" "the requeued acknowledgement arrived"
tap_ok "kill -0 $pid" "secmilter still running"
tap_ok "! grep -q 'out of the office\\|UNION SELECT' '$work/secmilter.log'" "no message text in secmilter's log"
stop_milter
tap_done
