#!/usr/bin/env bash
# tests/cli/test_cli.sh - the command lines: secmilter -n/-t/-V and secticket
#
# Tickets are made the way production makes them: secmilter on a
# loopback port, fed by miltertest. Then every secticket command runs
# against that LMDB store, with good and bad input; bad input must name
# the argument, exit non-zero and change no data.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

tap_init
[ -x "$SECMILTER" ] && [ -x "$SECTICKET" ] || tap_bail "programs not built"

test_workdir cli

# ---------------------------------------------------------------- secmilter
tap_like "$("$SECMILTER" -V)" '^secmilter [0-9]+\.[0-9]+' "secmilter -V prints the version"
"$SECMILTER" -n >/dev/null 2>&1
tap_is "$?" 0 "secmilter -n without -c: built-in defaults are valid"
printf 'Socket inet:8895@127.0.0.1\n# fine\nInScopeDomains *.example.com\nMaxMimeDepth many\n' >"$work/bad.conf"
err=$("$SECMILTER" -n -c "$work/bad.conf" 2>&1)
tap_is "$?" 78 "secmilter -n: bad value exits 78"
tap_like "$err" "bad.conf:4: MaxMimeDepth: bad value" "the error names the file, line and key"
printf 'Sokcet inet:1@127.0.0.1\n' >"$work/bad2.conf"
err=$("$SECMILTER" -n -c "$work/bad2.conf" 2>&1)
tap_is "$?" 78 "secmilter -n: unknown key exits 78"
tap_like "$err" "bad2.conf:1: Sokcet: unknown key" "the error names the unknown key"
err=$("$SECMILTER" -n -c "$work/none.conf" 2>&1)
tap_is "$?" 78 "secmilter -n: a missing file exits 78"
mkdir -p "$work/tpl"
printf 'Subject: [{{ticket}}] Update: {{subject}}\n\nHello,\n\nticket {{ticket}} is closed by {{operator}}.\n' >"$work/tpl/closed.txt"
printf 'TemplateDirectory %s\n' "$work/tpl" >"$work/tpl.conf"
err=$("$SECMILTER" -n -c "$work/tpl.conf" 2>&1)
tap_is "$?" 78 "secmilter -n: a template with an unknown placeholder exits 78"
tap_like "$err" "tpl/closed.txt:5: unknown placeholder \{\{operator\}\}" "the error names the template file and line"
printf 'Subject: [{{ticket}}] Closed\n\nticket {{ticket}} is closed.\n' >"$work/tpl/closed.txt"
"$SECMILTER" -n -c "$work/tpl.conf" >/dev/null 2>&1
tap_is "$?" 0 "secmilter -n: a good template in TemplateDirectory is valid"
"$SECMILTER" -q >/dev/null 2>&1
tap_is "$?" 64 "unknown flag exits 64"

out=$("$SECMILTER" -t "$TEST_DATA/report_xss.eml" "$work/does-not-exist.eml" "$TEST_DATA/autoreply.eml" 2>"$work/t.err")
tap_is "$?" 66 "-t with an unreadable file exits 66"
tap_is "$(printf '%s\n' "$out" | wc -l)" 2 "-t still prints the two readable files"
tap_like "$(cat "$work/t.err")" "does-not-exist.eml" "-t names the unreadable file"
tap_is "$(printf '%s\n' "$out" | python3 -c 'import json,sys; print([json.loads(l)["file"].rsplit("/",1)[1] for l in sys.stdin])')" \
	"['report_xss.eml', 'autoreply.eml']" "-t keeps the order given"
tap_is "$(printf '%s\n' "$out" | sed -n 2p | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["kind"], o["acknowledge"])')" \
	"automated False" "-t: the auto-reply is automated, no ack"
out=$("$SECMILTER" -t - <"$TEST_DATA/report_xss.eml")
tap_is "$?" 0 "-t - reads standard input"
tap_like "$out" '"file":"-"' "-t -: file is -"
tap_ok "[ ! -e /var/lib/secmilter/data.mdb ] || [ \"\$(stat -c %Y /var/lib/secmilter/data.mdb)\" -lt $(date +%s) ]" "-t stores nothing"

# ------------------------------------------------------- tickets to work on
command -v miltertest >/dev/null 2>&1 || tap_skip_all "miltertest missing"
# A stand-in for the MTA's sendmail that takes the message and succeeds.
printf '#!/bin/sh\ncat >/dev/null\n' >"$work/take-sendmail"
chmod 755 "$work/take-sendmail"
cat >"$work/secmilter.conf" <<CONF
Sendmail $work/take-sendmail
SyncCommits no
CONF
port=$(free_port)
"$SECMILTER" -f -c "$work/secmilter.conf" -d "$work/state" -p "inet:$port@127.0.0.1" 2>"$work/secmilter.log" &
pid=$!
wait_port 127.0.0.1 "$port" 10 || tap_bail "secmilter did not start"
miltertest -D "port=$port" -D "srcdir=$top_srcdir" -s "$top_srcdir/tests/milter/two_messages.lua" >"$work/mt.out" 2>&1
tap_is "$?" 0 "two tickets made through the milter"
# The daemon hands the acknowledgements to Sendmail; wait for the outbox to drain.
for i in $(seq 1 100); do
	[ "$("$SECTICKET" -d "$work/state" outbox --json | tr -d ' \n')" = "[]" ] && break
	sleep 0.1
done
tap_is "$("$SECTICKET" -d "$work/state" outbox --json | tr -d ' \n')" "[]" "the acknowledgements left the outbox"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

st="$work/state"
list=$("$SECTICKET" -d "$st" list --json)
t1=$(printf '%s' "$list" | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
t2=$(printf '%s' "$list" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
tap_ok "[ '$t1' != '$t2' ]" "list --json: newest first ($t2 before $t1)"
tap_like "$("$SECTICKET" -d "$st" list | head -n 1)" '^ID +STATE +CREATED' "list prints a table with a header"
tap_like "$("$SECTICKET" -d "$st" list | grep -c SEC-)" '^2$' "the table has both tickets"
tap_is "$("$SECTICKET" -d "$st" list --state triaged --json)" "[]" "list --state filters"

snapshot() { "$SECTICKET" -d "$st" show "$t1" --json; }
before=$(snapshot)

# Bad input: each names the argument, exits non-zero, changes nothing.
bad() {			# bad WANT_EXIT REGEX DESC ARGS...
	local want=$1 re=$2 desc=$3
	shift 3
	local e
	e=$("$SECTICKET" -d "$st" "$@" 2>&1 >/dev/null)
	local rc=$?
	tap_is "$rc" "$want" "$desc: exit $want"
	tap_like "$e" "$re" "$desc: message names it"
}
bad 64 'unknown command "frobnicate"' "unknown command" frobnicate
bad 66 "no ticket SEC-2026-9999" "unknown ticket" show SEC-2026-9999
bad 64 '"SEC-1" is not a ticket ID' "malformed ticket ID" show SEC-1
bad 64 'unknown key "colour"' "unknown key" set "$t1" colour=red
bad 64 'state=done: not a state' "unknown state" set "$t1" state=done
bad 64 'severity=urgent' "bad severity" set "$t1" severity=urgent
bad 64 'eta=2027-02-30' "impossible date" set "$t1" eta=2027-02-30
bad 64 '"state": expected KEY=VALUE' "missing =" set "$t1" state
bad 65 'refused from [a-z_]+: only a triaged ticket can be scheduled' "scheduled before triage" set "$t1" state=scheduled
bad 65 'refused from [a-z_]+: only a triaged or scheduled ticket can be fixed' "fixed before triage" set "$t1" state=fixed
bad 65 'state=triaged: needs a qualification' "triaged without a severity" set "$t1" state=triaged
bad 64 'unknown argument "--jsn"' "unknown list flag" list --jsn
bad 73 'store /nonexistent' "missing store" -d /nonexistent list
# A bad pair beside good ones: nothing at all is applied.
bad 64 'unknown key "bogus"' "good and bad keys together" set "$t1" note=hello bogus=1
tap_is "$(snapshot)" "$before" "no bad command changed the ticket"

# Good changes, with history and notifications in the outbox.
"$SECTICKET" -d "$st" set "$t1" state=triaged severity=high note="confirmed on staging" >/dev/null
tap_is "$?" 0 "set state=triaged severity=high note=..."
show=$("$SECTICKET" -d "$st" show "$t1" --json)
js() { printf '%s' "$show" | python3 -c "import json,sys; t=json.load(sys.stdin); print($1)"; }
tap_is "$(js 't["state"], t["severity"], t["severity_by_team"]')" "triaged high True" "state and severity changed"
tap_is "$(js 't["notes"][-1]["text"]')" "confirmed on staging" "note recorded"
tap_like "$(js '[h["event"] for h in t["history"]]')" "'state'.*'notify_queued'" "history records the change and the notification"
tap_like "$(js 't["history"][-1]["operator"]')" "^[a-z_][a-z0-9_-]*$" "history names the operator"
tap_like "$(js 't["messages"][0]["triage"]["kind"]')" "^report$" "show --json embeds each message's triage"
bad 65 'refused from triaged.*never goes back to new' "back to new" set "$t1" state=new
bad 65 'state=scheduled: needs an ETA' "scheduled without an ETA" set "$t1" state=scheduled
bad 65 'refused from triaged: a validated ticket is not spam' "triaged to spam" set "$t1" state=spam
bad 65 'refused from triaged: only a fixed ticket, a closing verdict' "closing a triaged ticket" set "$t1" state=closed
bad 65 'refused from triaged: a validated ticket does not go back to acknowledged' "triaged back to acknowledged" set "$t1" state=acknowledged
tap_like "$(js 't["clock"]["triaged"]')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "the triaged clock started"
tap_is "$(js 't["clock"]["received"] == t["created"]')" True "the received clock is the ticket's creation"
tap_is "$(js 't["clock"]["fixed"]')" None "the fixed clock waits"
"$SECTICKET" -d "$st" set "$t1" state=scheduled eta=2027-01-15 >/dev/null
tap_is "$?" 0 "set state=scheduled eta=2027-01-15"
"$SECTICKET" -d "$st" set "$t1" state=fixed >/dev/null
tap_is "$?" 0 "set state=fixed"
bad 65 'a fixed ticket can only be closed' "fixed back to triaged" set "$t1" state=triaged
show=$("$SECTICKET" -d "$st" show "$t1" --json)
tap_is "$(js '[bool(t["clock"][k]) for k in ("received","triaged","scheduled","fixed")]')" "[True, True, True, True]" \
	"received, triaged, scheduled and fixed clocks set"
tap_is "$(js 'len(t["outgoing"]), sorted(set(o["state"] for o in t["outgoing"]))')" "3 ['queued']" \
	"show --json lists the ticket's queued outgoing mail"
tap_like "$("$SECTICKET" -d "$st" show "$t1")" 'Outgoing mail.*' "show prints the outgoing mail"
SUDO_USER=nobody "$SECTICKET" -d "$st" set "$t1" note="via sudo" >/dev/null
tap_is "$("$SECTICKET" -d "$st" show "$t1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["history"][-1]["operator"])')" \
	nobody "run through sudo: the history names SUDO_USER"
out=$("$SECTICKET" -d "$st" outbox --json)
tap_is "$(printf '%s' "$out" | python3 -c 'import json,sys; print(sorted(set(o["purpose"] for o in json.load(sys.stdin))))')" \
	"['notify']" "outbox holds the notifications (the acks went out through Sendmail)"
tap_is "$(printf '%s' "$out" | python3 -c 'import json,sys; print(sum(1 for o in json.load(sys.stdin) if o["purpose"]=="notify"))')" 3 \
	"three notifications: triaged, scheduled, fixed"
tap_like "$("$SECTICKET" -d "$st" show "$t1")" 'State: +fixed' "show prints a readable ticket"
"$SECTICKET" -d "$st" set "$t2" state=spam >/dev/null
tap_is "$(printf '%s' "$("$SECTICKET" -d "$st" outbox --json)" | python3 -c 'import json,sys; print(sum(1 for o in json.load(sys.stdin) if o["purpose"]=="notify"))')" 3 \
	"spam sends nothing"
bad 65 'refused from spam: a ticket judged spam can only be closed' "spam reopened" set "$t2" state=triaged severity=low
"$SECTICKET" -d "$st" set "$t2" state=closed >/dev/null
bad 65 'refused from closed: a closed ticket is final' "closed reopened" set "$t2" state=triaged severity=low

# stats: dates are checked; the clocks are counted.
bad 64 'stats: --since 2026-13-01: expected a date' "stats bad --since" stats --since 2026-13-01
bad 64 'stats: --until yesterday: expected a date' "stats bad --until" stats --until=yesterday
bad 64 'stats: --since \(missing\)' "stats --since without a date" stats --since
bad 64 'is after --until' "stats period backwards" stats --since 2026-02-01 --until 2026-01-01
bad 64 'unknown argument "--jsn"' "stats unknown flag" stats --jsn
stats=$("$SECTICKET" -d "$st" stats --json)
tap_is "$?" 0 "stats --json"
sj() { printf '%s' "$stats" | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"; }
tap_is "$(sj 's["tickets"], s["triage"]["done"], s["fix"]["done"], s["fix"]["none"]')" "2 1 1 1" \
	"stats: two tickets, one triaged and fixed, one closed without a fix"
tap_is "$(sj 's["first_response"]["done"] + s["first_response"]["pending"] + s["first_response"]["none"]')" 2 \
	"stats: every ticket counted once for first response"
tap_is "$(sj 's["targets"]["first_response_minutes"], s["targets"]["triage_business_days"]')" "60 5" "stats: default targets"
tap_is "$(sj '[t["id"] for t in s["ticket_clocks"] if t["clock"]["fixed"]]')" "['$t1']" "stats --json shows the clocks"
tap_is "$("$SECTICKET" -d "$st" stats --json --since 2000-01-01 --until 2000-12-31 | python3 -c 'import json,sys; print(json.load(sys.stdin)["tickets"])')" 0 \
	"stats: a period without tickets"
tap_like "$("$SECTICKET" -d "$st" stats)" 'first response +[0-9]+ ' "stats prints a table"
bad 64 'outbox retry: "x1": expected one outbox ID' "outbox retry bad ID" outbox retry x1
bad 66 'no outbox item 999999' "outbox retry unknown ID" outbox retry 999999

# ------------------------------------------- daemon: detach, -P, -u nobody
chmod 755 "$work"
port=$(free_port)
"$SECMILTER" -c "$work/secmilter.conf" -d "$work/state2" -p "inet:$port@127.0.0.1" \
	-P "$work/secmilter.pid" -u nobody 2>"$work/daemon.err"
tap_is "$?" 0 "secmilter detaches: the starting process exits 0"
wait_port 127.0.0.1 "$port" 10
# The socket opens before the master detaches; the pid file comes after.
for i in $(seq 1 100); do [ -s "$work/secmilter.pid" ] && break; sleep 0.1; done
dpid=$(cat "$work/secmilter.pid" 2>/dev/null)
# Never "kill 0": that would signal this whole process group (make too).
pkill_safe() { case $2 in ''|0|1|*[!0-9]*) return 1 ;; esac; kill "$1" "$2" 2>/dev/null; }
tap_like "$dpid" '^[0-9]+$' "-P writes the pid file"
tap_is "$(ps -o user= -p "${dpid:-0}" 2>/dev/null | tr -d ' ')" nobody "-u nobody: the daemon runs as nobody"
tap_is "$(stat -c %U "$work/state2/data.mdb")" nobody "the store belongs to the daemon's user"
miltertest -D "port=$port" -D "srcdir=$top_srcdir" -s "$top_srcdir/tests/milter/two_messages.lua" >"$work/mt2.out" 2>&1
tap_is "$?" 0 "the unprivileged daemon makes tickets"
tap_is "$("$SECTICKET" -d "$work/state2" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2 \
	"secticket reads the daemon's store while it runs"
# The master (pid file) supervises one worker; SIGHUP reaches the worker as a reload.
wpid=$(pgrep -P "${dpid:-0}" | head -n 1)
tap_like "$wpid" '^[0-9]+$' "the master runs one worker"
pkill_safe -HUP "$dpid"
sleep 0.5
tap_ok "pkill_safe -0 '$dpid' && pkill_safe -0 '$wpid'" "SIGHUP does not stop the daemon"
# A worker that dies is started again; the socket stays open meanwhile.
pkill_safe -9 "$wpid"
for i in $(seq 1 50); do
	nw=$(pgrep -P "${dpid:-0}" | head -n 1)
	[ -n "$nw" ] && [ "$nw" != "$wpid" ] && break
	sleep 0.1
done
tap_ok "[ -n '$nw' ] && [ '$nw' != '$wpid' ]" "a killed worker is restarted by the master"
miltertest -D "port=$port" -D "srcdir=$top_srcdir" -s "$top_srcdir/tests/milter/annotate.lua" >"$work/mt3.out" 2>&1
tap_is "$?" 0 "the new worker annotates mail"
pkill_safe -TERM "$dpid"
for i in $(seq 1 50); do pkill_safe -0 "$dpid" || break; sleep 0.1; done
tap_ok "[ -n '$dpid' ] && ! kill -0 '$dpid' 2>/dev/null" "SIGTERM stops the daemon"
tap_ok "! pgrep -P ${dpid:-0} >/dev/null" "and its worker"
"$SECMILTER" -d /proc/no/such/dir -p "inet:$port@127.0.0.1" -f >/dev/null 2>"$work/store.err"
tap_is "$?" 73 "a store that cannot be created exits 73"
tap_like "$(cat "$work/store.err")" '/proc/no/such/dir' "the error names the directory"

# ------------------------------------------------- RulesFile: -n, -t, SIGHUP
printf 'From: a@example.org\nTo: security@example.com\nSubject: widget injection\nMessage-ID: <rules.1@example.org>\n\nThere is a widget injection on the dashboard.\n' >"$work/widget.eml"
cp "$top_srcdir/tests/data/rules/good.rules" "$work/team.rules"
printf 'RulesFile %s\n' "$work/team.rules" >"$work/rules.conf"
"$SECMILTER" -n -c "$work/rules.conf" >/dev/null 2>&1
tap_is "$?" 0 "secmilter -n accepts a good RulesFile"
tap_like "$("$SECMILTER" -t -c "$work/rules.conf" "$work/widget.eml")" '"classes":\["xss"\]' "-t classifies with the RulesFile's rules"
tap_like "$("$SECMILTER" -t "$work/widget.eml")" '"classes":\[\]' "without it, the built-in rules do not know that phrase"
printf 'RulesFile %s\n' "$top_srcdir/tests/data/rules/bad_regex.rules" >"$work/badrules.conf"
err=$("$SECMILTER" -n -c "$work/badrules.conf" 2>&1)
tap_is "$?" 78 "secmilter -n rejects a bad RulesFile"
tap_like "$err" 'bad_regex.rules:3' "the error names the rules file and line"

# A running daemon reloads the rules on SIGHUP; a bad file keeps the old ones.
port=$(free_port)
printf 'RulesFile %s\nSendmail %s\nSyncCommits no\n' "$work/team.rules" "$work/take-sendmail" >"$work/hup.conf"
"$SECMILTER" -f -c "$work/hup.conf" -d "$work/state3" -p "inet:$port@127.0.0.1" 2>"$work/hup.log" &
hpid=$!
wait_port 127.0.0.1 "$port" 10
cp "$top_srcdir/tests/data/rules/bad_regex.rules" "$work/team.rules"
kill -HUP "$hpid"
for i in $(seq 1 50); do grep -q 'keeping the rules in force' "$work/hup.log" && break; sleep 0.1; done
tap_like "$(cat "$work/hup.log")" 'reload: keeping the rules in force: .*team.rules:3' "SIGHUP with a bad rules file: named, old rules kept"
cp "$top_srcdir/tests/data/rules/good.rules" "$work/team.rules"
kill -HUP "$hpid"
for i in $(seq 1 50); do grep -q 'reload: rules loaded' "$work/hup.log" && break; sleep 0.1; done
tap_like "$(cat "$work/hup.log")" 'reload: rules loaded from .*team.rules' "SIGHUP with a good rules file: reloaded"
tap_ok "kill -0 $hpid" "the daemon keeps running across reloads"
kill "$hpid"; wait "$hpid" 2>/dev/null

# ----------------------------------------------------------------- cvss
tap_is "$("$SECTICKET" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)" "9.8 critical" "cvss 3.1 critical"
tap_is "$("$SECTICKET" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | tr '\n' '|')" \
	"6.1 medium|9.3 critical|" "one line per vector, 3.1 and 4.0"
e=$("$SECTICKET" cvss CVSS:3.1/AV:X/AC:L 2>&1 >/dev/null)
tap_is "$?" 65 "invalid vector exits 65"
tap_like "$e" 'CVSS:3.1/AV:X/AC:L' "the error names the vector"
tap_done
