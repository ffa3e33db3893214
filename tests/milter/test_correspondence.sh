#!/usr/bin/env bash
# tests/milter/test_correspondence.sh - correspondence on tickets, with miltertest
#
# A real secmilter (TeamAddresses, AuthservID, the default AckLimitPerHour
# 5) driven by the corr_*.lua scripts beside this file: a follow-up that
# completes a needs_info ticket, a team reply, a forged sender, a flood
# from one sender, and mail that RFC 3834 or our loop header forbids us
# to answer. Outgoing mail goes to a recording stand-in for the MTA's
# sendmail; the acknowledgements are counted there, per recipient, and
# the store is read back with secticket.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

tap_init
command -v miltertest >/dev/null 2>&1 || tap_skip_all "miltertest missing (contrib/quickstart deps)"
[ -x "$SECMILTER" ] || tap_bail "no secmilter at $SECMILTER"

test_workdir corr

recording_sendmail "$work"
cat >"$work/secmilter.conf" <<CONF
Sendmail $work/record-sendmail
AckFrom security@example.com
SecurityAddress security@example.com
TeamAddresses dana@callhub.example, <lee@callhub.example>
AuthservID mx.test.example
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

run() {			# run DESC SCRIPT [ARGS...]
	local desc=$1 script=$2
	shift 2
	if miltertest -D "port=$port" -D "srcdir=$top_srcdir" "$@" \
		-s "$top_srcdir/tests/milter/$script" >"$work/$script.out" 2>&1; then
		tap_ok 0 "$desc"
	else
		tap_ok 1 "$desc"
		tap_diag "$(cat "$work/$script.out")"
	fi
}
show() { "$SECTICKET" -d "$work/state" show "$1" --json | python3 -c "import json,sys; t=json.load(sys.stdin); print($2)"; }
# acks_to ADDR - messages the stand-in was asked to deliver to ADDR
acks_to() { grep -lx -- "$1" "$work"/sent/*.args 2>/dev/null | wc -l; }
wait_sent() {		# wait_sent N - until N messages were handed over
	for i in $(seq 1 50); do
		[ "$(ls "$work/sent" | grep -c '\.msg$')" -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}

# 1. needs_info, then the follow-up that supplies the PoC.
run "a report without PoC, then the follow-up with it" corr_needs_info.lua
ticket=$(sed -n 's/^TICKET //p' "$work/corr_needs_info.lua.out")
tap_is "$(show "$ticket" 't["state"]')" acknowledged "the follow-up moves $ticket from needs_info to acknowledged"
tap_is "$(show "$ticket" 't["missing"]')" "[]" "nothing is missing any more"
tap_is "$(show "$ticket" '[h["detail"] for h in t["history"] if h["event"]=="state"][0]')" \
	"needs_info -> acknowledged (information received)" "the history records the change"
tap_is "$(show "$ticket" 'sum(1 for h in t["history"] if h["event"]=="notify_queued")')" 1 \
	"the information-received note is queued with it"
wait_sent 2
tap_is "$(acks_to carol@example.org)" 2 "carol gets the ack and the note, nothing more"
note=$(grep -l 'information we asked for' "$work"/sent/*.msg | head -n 1)
tap_ok "[ -n '$note' ] && grep -q '^In-Reply-To: <' '$note' && grep -q '^Auto-Submitted: auto-replied' '$note'" \
	"the note threads under the ticket and is Auto-Submitted"

# 2. A team reply: recorded as the team's, no ack, no state change.
run "a team reply joins the ticket; team mail on no ticket opens none" corr_team.lua -D "ticket=$ticket"
tap_is "$(show "$ticket" '[m.get("role") for m in t["messages"]][-1]')" team "the message has role team"
tap_is "$(show "$ticket" 't["history"][-1]["event"]')" team_reply "the history event is team_reply"
tap_is "$(show "$ticket" 't["state"]')" acknowledged "the state is unchanged"
tap_is "$(show "$ticket" 't["missing"]')" "[]" "the team's words change no summary"
tap_is "$(acks_to dana@callhub.example)" 0 "the team gets no acknowledgement"

# 2b. Credit: the reply to the fixed notification fills the ticket's credit.
"$SECTICKET" -d "$work/state" set "$ticket" state=triaged severity=high >/dev/null 2>&1
"$SECTICKET" -d "$work/state" set "$ticket" state=fixed >/dev/null 2>&1
run "the reporter's credit reply on the fixed ticket" corr_credit.lua -D "ticket=$ticket"
tap_is "$(show "$ticket" 't.get("credit")')" \
	"{'name': 'Carol Q. Researcher', 'link': 'https://carol.example.org/about', 'consent': 'yes'}" \
	"the credit fields come from the reporter's lines, not the quoted request"
tap_is "$(show "$ticket" '[h["detail"] for h in t["history"] if h["event"]=="credit"]')" "['consent=yes']" \
	"the history records the credit"
tap_is "$(show "$ticket" 't["state"]')" fixed "the ticket stays fixed"

# 3. Forged sender: a ticket flagged unverified_sender, no ack.
run "a forged sender makes a flagged ticket; a foreign authserv-id is ignored" corr_forged.lua
forged=$(sed -n 's/^FORGED //p' "$work/corr_forged.lua.out")
tap_like "$(show "$forged" 't["flags"]')" "unverified_sender" "the ticket is flagged unverified_sender"
tap_is "$(show "$forged" 't["state"]')" new "it stays new: the team decides"
tap_is "$(show "$forged" '[h["detail"] for h in t["history"] if h["event"]=="ack_suppressed"][0]')" \
	"unverified sender" "the history says why no ack was sent"
tap_is "$(show "$forged" 't["messages"][0]["triage"]["acknowledge"]')" False "its triage has acknowledge false"
wait_sent 3
tap_is "$(acks_to eve@bank.example)" 0 "no ack to the forged sender"
tap_is "$(acks_to frank@example.net)" 1 "the foreign verdict changes nothing: frank is acknowledged"

# 4. A flood from one sender: tickets for all, acks up to AckLimitPerHour.
run "eight reports in a row from one sender" corr_flood.lua
tap_is "$("$SECTICKET" -d "$work/state" list --json | python3 -c 'import json,sys; print(sum(1 for t in json.load(sys.stdin) if t["reporter"]=="flood@example.org"))')" \
	8 "eight tickets"
wait_sent 8
sleep 1
tap_is "$(acks_to flood@example.org)" 5 "five acknowledgements (AckLimitPerHour 5)"
tap_is "$(grep -c 'QR00[0-9][0-9]: acknowledgement suppressed: rate limit' "$work/secmilter.log")" 3 \
	"three suppressed, each logged with its queue ID"
tap_is "$("$SECTICKET" -d "$work/state" list --json | python3 -c '
import json,sys,subprocess
n=0
for t in json.load(sys.stdin):
    if t["reporter"]=="flood@example.org":
        d=json.loads(subprocess.check_output(["'"$SECTICKET"'","-d","'"$work/state"'","show",t["id"],"--json"]))
        n+=sum(1 for h in d["history"] if h["event"]=="ack_suppressed" and h["detail"]=="rate limit")
print(n)')" 3 "three tickets record ack_suppressed: rate limit"

# 5. Never an automatic reply to loops, robots, list addresses or ourselves.
run "our loop header, robots, owner-*, *-request, our own address" corr_noreply.lua
sleep 1
for a in gina@example.org mailer-daemon@example.org noreply@example.org no-reply@example.org \
	owner-x@example.org x-request@example.org security@example.com; do
	tap_is "$(acks_to "$a")" 0 "no ack to $a"
done
tap_ok "grep -q 'QN0001: no acknowledgement: our loop header' '$work/secmilter.log'" \
	"the suppressed ack is logged with its reason"
tap_ok "kill -0 $pid" "secmilter still running"
tap_done
