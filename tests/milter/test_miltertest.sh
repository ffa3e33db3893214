#!/usr/bin/env bash
# tests/milter/test_miltertest.sh - the milter protocol, with miltertest
#
# Starts a real secmilter on a loopback port with a fresh state directory
# and drives it with the Lua scripts beside this file (miltertest plays the
# MTA). Each script is one TAP result; after them, secticket reads the
# real LMDB store to check what the protocol runs left behind. Outgoing
# mail goes to a recording command (a stand-in for the MTA's sendmail,
# not for any code of ours).
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

tap_init
command -v miltertest >/dev/null 2>&1 || tap_skip_all "miltertest missing (contrib/quickstart deps)"
[ -x "$SECMILTER" ] || tap_bail "no secmilter at $SECMILTER"

test_workdir mt

# The recording "sendmail": arguments and message, one file per call.
recording_sendmail "$work"
cat >"$work/secmilter.conf" <<CONF
# test configuration
Sendmail $work/record-sendmail
AckFrom security@example.com
SyncCommits no
CONF

port=$(free_port)
"$SECMILTER" -f -c "$work/secmilter.conf" -d "$work/state" -p "inet:$port@127.0.0.1" \
	2>"$work/secmilter.log" &
pid=$!
if ! wait_port 127.0.0.1 "$port" 10; then
	cat "$work/secmilter.log" >&2
	tap_bail "secmilter did not start"
fi

# mt SCRIPT [-D k=v...] - run one scenario; its output is kept for diag
mt() {
	local script=$1
	shift
	miltertest -D "port=$port" -D "srcdir=$top_srcdir" "$@" \
		-s "$top_srcdir/tests/milter/$script" >"$work/$script.out" 2>&1
}

run() {			# run DESC SCRIPT [ARGS...]
	local desc=$1
	shift
	if mt "$@"; then
		tap_ok 0 "$desc"
	else
		tap_ok 1 "$desc"
		tap_diag "$(cat "$work/$1.out")"
	fi
}

run "security@ mail annotated, forged X-Security-* removed, Subject tagged" annotate.lua
ticket=$(sed -n 's/^TICKET //p' "$work/annotate.lua.out")
tap_like "$ticket" '^SEC-[0-9]{4}-[0-9]{4,}$' "first ticket ID has the fixed form"
run "other mail accepted at DATA and untouched" other.lua
run "two messages on one connection, multiple recipients" two_messages.lua
run "abort, then a message; close with no message" abort.lua
run "follow-ups join their ticket by tag and by References" followup.lua -D "ticket=$ticket"
run "a duplicate Message-ID makes one ticket" duplicate.lua
run "automated mail about no ticket opens none" automated.lua
tap_ok "kill -0 $pid" "secmilter still running after all scenarios"

# What the store holds: tickets, messages, no ticket for abort/automated.
json=$("$SECTICKET" -d "$work/state" list --json)
count() { printf '%s' "$json" | python3 -c "import json,sys; t=json.load(sys.stdin); print($1)"; }
# annotate 1, two_messages 2, abort 1 (after the abort), duplicate 1.
tap_is "$(count 'len(t)')" 5 "five tickets, no more"
tap_is "$(count 'sum(1 for x in t if x["subject"]=="aborted report")')" 0 "the aborted message made no ticket"
tap_is "$(count 'sum(1 for x in t if "Out of Office" in x["subject"])')" 0 "the out-of-office made no ticket"
tap_is "$(count 'sum(1 for x in t if x["subject"]=="CSRF on email change")')" 1 "the retried Message-ID made one ticket"
tap_is "$(count '[x["messages"] for x in t if x["id"]=="'"$ticket"'"][0]')" 3 "$ticket holds the report and two follow-ups"
tap_like "$(count 't[-1]["created"]')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "created is RFC 3339"
tap_ok "[ -z \"\$(ls -A '$work/state/spool')\" ]" "no spool file left behind"
# Five reports and two follow-ups; the retried delivery keeps no second copy.
tap_is "$(find "$work/state/msg" -name '*.eml' -perm 600 | wc -l)" 7 "one raw copy per stored message, mode 0600"

# The acknowledgements reached the recording sendmail with the null sender.
for i in $(seq 1 50); do
	[ "$(ls "$work/sent" | grep -c '\.msg$')" -ge 5 ] && break
	sleep 0.2
done
acks=$(ls "$work/sent" | grep -c '\.msg$')
tap_is "$acks" 5 "one acknowledgement per new report ticket with a sender"
first=$(ls "$work/sent"/*.args 2>/dev/null | head -n 1)
tap_like "$(tr '\n' ' ' <"$first")" '^-i -f <> -- [a-z]+@example\.org $' "sendmail called as CMD -i -f <> -- RCPT"
tap_ok "grep -l '^Auto-Submitted: auto-replied' $work/sent/*.msg | wc -l | grep -qx 5" "every ack is Auto-Submitted"
tap_ok "! grep -q 'bob@example.org' $work/sent/*.args" "no ack to the out-of-office sender"
tap_ok "! grep -q 'I am away\\|<svg' $work/secmilter.log" "no message text in the log"
tap_ok "grep -q '^.* QA0001: ticket=' $work/secmilter.log" "log lines start with the queue ID"

# Internal failures: the message passes unchanged, and the log says why.
rm -rf "$work/state/spool" && : >"$work/state/spool"
run "spool cannot be created: accepted unchanged" failure.lua -D case=spool
tap_ok "grep -q 'QX0001: spool .*accepted unchanged' $work/secmilter.log" "spool failure logged with the queue ID"
rm -f "$work/state/spool"
mv "$work/state/msg" "$work/state/msg.saved" && : >"$work/state/msg"
run "store cannot keep the raw copy: accepted unchanged" failure.lua -D case=store
tap_ok "grep -q 'QX0001: cannot store ticket: .*accepted unchanged' $work/secmilter.log" "store failure logged with the queue ID"
rm -f "$work/state/msg" && mv "$work/state/msg.saved" "$work/state/msg"
tap_is "$("$SECTICKET" -d "$work/state" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 5 \
	"failed messages made no half ticket"
run "after the failures, mail is annotated again" annotate.lua

# Suspected duplicates: the same endpoint from two researchers, in other words.
run "a second report of the same IDOR endpoint is marked duplicate-of the first" duplicate_report.lua
first=$(sed -n 's/^FIRST //p' "$work/duplicate_report.lua.out")
second=$(sed -n 's/^SECOND //p' "$work/duplicate_report.lua.out")
other=$(sed -n 's/^OTHER //p' "$work/duplicate_report.lua.out")
show() { "$SECTICKET" -d "$work/state" show "$1" --json | python3 -c "import json,sys; t=json.load(sys.stdin); print($2)"; }
tap_is "$(show "$second" 't["duplicate_of"]')" "$first" "the duplicate's ticket has duplicate_of $first"
tap_is "$(show "$second" 't["messages"][0]["triage"]["duplicate"]["basis"]')" fingerprint \
	"its triage names the fingerprint as the basis"
tap_is "$(show "$second" 't["messages"][0]["triage"]["duplicate"]["similarity"]')" 1.0 \
	"with similarity 1.0"
tap_is "$(show "$other" 't["duplicate_of"]')" None "the unrelated report has no duplicate_of"
tap_is "$(show "$first" 't["duplicate_of"]')" None "the first report has no duplicate_of"

# Last, as it adds a ticket: an encrypted report says what it needs.
run "an encrypted report is flagged" encrypted.lua
enc=$(sed -n 's/^TICKET //p' "$work/encrypted.lua.out")
tap_like "$("$SECTICKET" -d "$work/state" show "$enc" 2>&1)" 'Attention: +the report body is encrypted .*needs manual decryption' \
	"its ticket says it needs manual decryption"
tap_done
