#!/usr/bin/env bash
# tests/live/sandbox_selftest.sh - check tests/lib.sh's private Postfix
#
# Not part of "make check": a smoke test of the sandbox itself, without
# secmilter. Starts Postfix with no milter, relays one SMTP message and
# one sendmail-injected message with the null sender into the sink,
# then stops everything. Needs root, postfix, smtp-sink and swaks.
set -eu

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

tap_init
test_need_sandbox

sb=$(mktemp -d /tmp/secmilter-sandbox.XXXXXX)
trap 'sandbox_stop "$sb"; rm -rf "$sb"' EXIT
trap 'exit 130' INT TERM

smtp_port=$(free_port)
sink_port=$(free_port)
while [ "$sink_port" = "$smtp_port" ]; do sink_port=$(free_port); done

# 1. start
if sandbox_start "$sb" "$smtp_port" "$sink_port" ""; then st=0; else st=1; fi
tap_is "$st" 0 "sandbox_start on 127.0.0.1:$smtp_port, sink $sink_port"
[ "$st" -eq 0 ] || tap_bail "the sandbox did not start"
tap_ok "wait_port 127.0.0.1 $smtp_port 1" "smtpd answers"
tap_ok "postconf -c '$sb/postfix' -n smtpd_milters | grep -q '^smtpd_milters = *\$'" \
	"no milter configured"
tap_is "$(postconf -c "$sb/postfix" -h non_smtpd_milters)" "" "non_smtpd_milters is empty"

# 2. SMTP in, relayed to the sink
swaks --server "127.0.0.1:$smtp_port" --from researcher@example.net \
	--to security@example.com --header 'Subject: sandbox selftest' \
	--body 'hello from swaks' >"$sb/swaks.out" 2>&1 && st=0 || st=$?
tap_is "$st" 0 "swaks delivered to the sandbox"
tap_ok "sandbox_wait_sink '$sb' 1 20" "the SMTP message reached the sink"
f=$(sandbox_sink_grep "$sb" '^Subject: sandbox selftest' | head -n 1)
tap_ok "[ -n '$f' ]" "the capture holds the Subject"
if [ -n "$f" ]; then
	tap_like "$(grep '^X-Mail-Args:' "$f")" '^X-Mail-Args: <researcher@example.net>' \
		"envelope sender kept"
	tap_like "$(grep '^X-Rcpt-Args:' "$f")" '^X-Rcpt-Args: <security@example.com>' \
		"envelope recipient kept"
	tap_like "$(sandbox_sink_body "$f" | head -n 1)" '^Received: from .*' \
		"sandbox_sink_body starts with Postfix's Received:"
	tap_like "$(sandbox_sink_body "$f" | sed -n '/^$/,$p')" 'hello from swaks' \
		"sandbox_sink_body has the body after the blank line"
else
	tap_skip "envelope sender kept"
	tap_skip "envelope recipient kept"
	tap_skip "sandbox_sink_body starts with Postfix's Received:"
	tap_skip "sandbox_sink_body has the body after the blank line"
fi

# 3. sendmail -C with the null sender, both spellings
sm=$(sandbox_sendmail_cmd "$sb")
tap_is "$sm" "/usr/sbin/sendmail -C $sb/postfix" "sandbox_sendmail_cmd"
printf 'Subject: null sender 1\n\nack one\n' |
	$sm -i -f '' -- someone@example.net && st=0 || st=$?
tap_is "$st" 0 "sendmail -f '' accepted"
printf 'Subject: null sender 2\n\nack two\n' |
	$sm -i -f '<>' -- someone@example.net && st=0 || st=$?
tap_is "$st" 0 "sendmail -f '<>' accepted"
tap_ok "sandbox_wait_sink '$sb' 3 20" "both injected messages reached the sink"
for n in 1 2; do
	f=$(sandbox_sink_grep "$sb" "^Subject: null sender $n\$" | head -n 1)
	if [ -n "$f" ]; then
		tap_is "$(grep '^X-Mail-Args:' "$f")" 'X-Mail-Args: <>' "message $n has the null sender"
	else
		tap_ok 1 "message $n has the null sender"
	fi
done
tap_is "$(sandbox_sink_count "$sb")" 3 "exactly three captures"

# 4. stop, twice, and nothing is left
master_pid=$(tr -dc 0-9 <"$sb/postfix-queue/pid/master.pid" 2>/dev/null || :)
sink_pid=$(cat "$sb/smtp-sink.pid" 2>/dev/null || :)
sandbox_stop "$sb"
sandbox_stop "$sb"
tap_ok "! kill -0 ${master_pid:-0}" "Postfix master stopped"
tap_ok "! kill -0 ${sink_pid:-0}" "smtp-sink stopped"
tap_ok "! wait_port 127.0.0.1 $smtp_port 0" "smtpd port closed"
tap_ok "! wait_port 127.0.0.1 $sink_port 0" "sink port closed"

tap_done
