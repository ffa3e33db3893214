# tests/lib.sh - shell library for secmilter's script tests and quickstart
#
# SYNOPSIS
#	. "$top_srcdir/tests/lib.sh"
#
# DESCRIPTION
#	Sourced (never executed) by tests/*/*.sh and contrib/quickstart.
#	Works under bash and any POSIX sh; it sets no shell options of its
#	own, so callers keep whatever "set -e/-u" they chose.
#
#	Paths: $top_srcdir and $top_builddir are exported by Makefile.am's
#	AM_TESTS_ENVIRONMENT. When a test runs by hand they default to the
#	directory above this file. Binaries: $SECMILTER ($top_builddir/
#	secmilter) and $SECTICKET ($top_builddir/secticket).
#
#   TAP (automake's tap-driver.sh reads it; the plan "1..N" comes last).
#	The assertions always return 0, so a failed one does not end a
#	test that runs under "set -e"; tap_done sets the exit status.
#	tap_init			reset the counters
#	tap_ok COND DESC		COND is a shell command string run with
#					eval, or a literal 0/1 exit status
#	tap_is GOT WANT DESC		string equality
#	tap_like GOT REGEX DESC		extended regex (grep -E) match
#	tap_diag TEXT...		"# TEXT" comment lines
#	tap_skip DESC			one skipped test ("ok N # SKIP DESC")
#	tap_skip_all REASON		"1..0 # SKIP REASON" and exit 0
#	tap_bail REASON			"Bail out! REASON" and exit 1
#	tap_done			print the plan; exit 0 when all
#					passed, 1 otherwise
#
#   A test's own files and processes
#	test_workdir NAME		a fresh directory /tmp/secmilter-NAME.XXX
#					in $work (mode 755, so Postfix's users
#					can read it), $pid and $sb empty; at
#					exit (or INT/TERM) the sandbox in $sb
#					is stopped, the daemon whose pid is in
#					$pid killed (never an empty pid: "kill
#					0" would hit make's process group) and
#					$work removed
#	recording_sendmail DIR		write DIR/record-sendmail, a stand-in
#					for the MTA's sendmail that keeps each
#					call's arguments and message as
#					DIR/sent/N.args and DIR/sent/N.msg
#	test_need_sandbox		skip the whole test unless root with
#					postfix, smtp-sink and swaks
#
#   Ports
#	free_port			print a TCP port that nothing on
#					127.0.0.1 listens on (random start,
#					so parallel tests rarely collide)
#	wait_port HOST PORT TIMEOUT_S	0 when HOST:PORT accepts a connection
#					within TIMEOUT_S seconds, else 1
#
#   Sandbox Postfix (a private instance, never the system one)
#	sandbox_start DIR SMTP_PORT SINK_PORT [MILTER_SPEC]
#		Creates DIR/postfix (main.cf, master.cf), DIR/postfix-queue,
#		DIR/postfix-data, DIR/log/postfix.log (the maillog) and
#		DIR/sink/. Starts smtp-sink on 127.0.0.1:SINK_PORT as the
#		relayhost (every message Postfix delivers lands in DIR/sink/),
#		then Postfix with smtpd on 127.0.0.1:SMTP_PORT. MILTER_SPEC
#		("inet:127.0.0.1:8895", "unix:/path") is put in smtpd_milters;
#		empty means no milter. Mail submitted with sendmail
#		(non_smtpd_milters is empty) never passes the milter. Returns
#		non-zero, with the maillog on stderr, when something fails.
#		Limit: "sendmail -C" works for root only. For another user,
#		Postfix's set-gid postdrop reads /etc/postfix/main.cf and
#		wants the directory in alternate_config_directories there
#		("fatal: open file /etc/postfix/main.cf", exit 75): run
#		secmilter without -u when it sends through the sandbox.
#	sandbox_stop DIR
#		Stops Postfix and smtp-sink; idempotent; leaves no process.
#	sandbox_sendmail_cmd DIR
#		Prints "/usr/sbin/sendmail -C DIR/postfix": the value for
#		secmilter's Sendmail key. The null sender is "-f ''" (an
#		empty argument); "-f '<>'" works too.
#	sandbox_sink_count DIR		number of captured messages
#	sandbox_sink_files DIR		captured files, oldest first
#	sandbox_wait_sink DIR COUNT TIMEOUT_S
#		0 when DIR/sink holds at least COUNT messages within
#		TIMEOUT_S seconds, else 1 (with the maillog tail on stderr).
#	sandbox_sink_body FILE		a captured file without the smtp-sink
#					lines: the message as Postfix sent it
#	sandbox_sink_grep DIR REGEX	captured files whose content matches
#
#   Capture format (smtp-sink -d DIR/sink/%Y%m%d%H%M%S.): one file per
#	SMTP transaction, named like DIR/sink/20260101120304.3fa9c2e1. It
#	starts with lines smtp-sink generates:
#		X-Client-Addr: 127.0.0.1
#		X-Client-Proto: ESMTP
#		X-Helo-Args: mx.sandbox.test
#		X-Mail-Args: <researcher@example.net>
#		X-Rcpt-Args: <security@example.com> ORCPT=rfc822;security@example.com
#				(one line per RCPT; one file per transaction,
#				so several recipients can share a file)
#		Received: from mx.sandbox.test ([127.0.0.1])
#		        by ... (smtp-sink) with ESMTP id 3fa9c2e1;
#		        <date>
#	and then, directly (no blank line), the message exactly as Postfix
#	relayed it: its own Received:/headers, a blank line, the body; the
#	file ends with one extra empty line. The null sender shows as
#	"X-Mail-Args: <>". A file is written while the transaction runs;
#	sandbox_wait_sink counts only files whose transaction finished.
#--

# ------------------------------------------------------------------ paths

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "${BASH_SOURCE:-$0}")/.." 2>/dev/null && pwd)
fi
: "${top_builddir:=$top_srcdir}"
SECMILTER=${SECMILTER:-$top_builddir/secmilter}
SECTICKET=${SECTICKET:-$top_builddir/secticket}
TEST_DATA=${TEST_DATA:-$top_srcdir/tests/data}
SANDBOX_SENDMAIL=${SANDBOX_SENDMAIL:-/usr/sbin/sendmail}
SANDBOX_POSTFIX=${SANDBOX_POSTFIX:-/usr/sbin/postfix}
SANDBOX_SMTP_SINK=${SANDBOX_SMTP_SINK:-/usr/sbin/smtp-sink}

# ------------------------------------------------------------------ TAP

tap_init() {
	_tap_n=0
	_tap_fail=0
}

_tap_result() {		# _tap_result STATUS DESC
	_tap_n=$((${_tap_n:-0} + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s\n' "$_tap_n" "$2"
	else
		_tap_fail=$((${_tap_fail:-0} + 1))
		printf 'not ok %d - %s\n' "$_tap_n" "$2"
	fi
}

tap_diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

tap_ok() {		# tap_ok COND DESC
	case $1 in
	0) _tap_st=0 ;;
	1) _tap_st=1 ;;
	*) if eval "$1" >/dev/null 2>&1; then _tap_st=0; else _tap_st=1; fi ;;
	esac
	_tap_result "$_tap_st" "$2"
}

tap_is() {		# tap_is GOT WANT DESC
	if [ "$1" = "$2" ]; then
		_tap_result 0 "$3"
		return 0
	fi
	_tap_result 1 "$3"
	tap_diag "got:  '$1'" "want: '$2'"
}

tap_like() {		# tap_like GOT REGEX DESC
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_tap_result 0 "$3"
		return 0
	fi
	_tap_result 1 "$3"
	tap_diag "got:  '$1'" "want match: /$2/"
}

tap_skip() {		# tap_skip DESC
	_tap_n=$((${_tap_n:-0} + 1))
	printf 'ok %d # SKIP %s\n' "$_tap_n" "$1"
}

tap_skip_all() {	# tap_skip_all REASON
	printf '1..0 # SKIP %s\n' "$1"
	exit 0
}

tap_bail() {		# tap_bail REASON
	printf 'Bail out! %s\n' "$1"
	exit 1
}

tap_done() {
	printf '1..%d\n' "${_tap_n:-0}"
	if [ "${_tap_fail:-0}" -eq 0 ]; then
		exit 0
	fi
	exit 1
}

# ------------------------------------------------------------ test files

test_workdir() {		# test_workdir NAME
	work=$(mktemp -d "/tmp/secmilter-$1.XXXXXX") || tap_bail "mktemp failed"
	chmod 755 "$work"
	pid=
	sb=
	trap _test_cleanup EXIT
	trap 'exit 130' INT TERM
}

_test_cleanup() {
	[ -n "${sb:-}" ] && sandbox_stop "$sb"
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "${work:-}" ] && rm -rf "$work"
	return 0
}

recording_sendmail() {		# recording_sendmail DIR
	mkdir -p "$1/sent"
	cat >"$1/record-sendmail" <<REC
#!/bin/sh
n=\$(date +%s%N)
printf '%s\n' "\$@" >"$1/sent/\$n.args"
cat >"$1/sent/\$n.msg"
REC
	chmod 755 "$1/record-sendmail"
}

test_need_sandbox() {
	local bin
	[ "$(id -u)" -eq 0 ] || tap_skip_all "needs root for a private Postfix"
	for bin in "$SANDBOX_POSTFIX" "$SANDBOX_SMTP_SINK" /usr/bin/swaks; do
		[ -x "$bin" ] || tap_skip_all "$bin missing (contrib/quickstart deps)"
	done
}

# ------------------------------------------------------------------ ports

# _port_open HOST PORT - 0 when a TCP connect succeeds
_port_open() {
	if [ -n "${BASH_VERSION:-}" ]; then
		(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
		return
	fi
	python3 - "$1" "$2" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
EOF
}

# free_port - print an unused loopback port from 20000-59999
free_port() {
	_fp_try=0
	while [ "$_fp_try" -lt 200 ]; do
		_fp_try=$((_fp_try + 1))
		# $RANDOM under bash; od on /dev/urandom elsewhere.
		if [ -n "${RANDOM:-}" ]; then
			_fp_r=$((RANDOM * 32768 + RANDOM))
		else
			_fp_r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
		fi
		_fp_port=$((20000 + _fp_r % 40000))
		if ! _port_open 127.0.0.1 "$_fp_port" &&
		    ! { command -v ss >/dev/null 2>&1 &&
			ss -Htan "sport = :$_fp_port" 2>/dev/null | grep -q .; }; then
			echo "$_fp_port"
			return 0
		fi
	done
	echo "free_port: no free port found" >&2
	return 1
}

# wait_port HOST PORT TIMEOUT_S
wait_port() {
	_wp_end=$(($(date +%s) + $3))
	while :; do
		_port_open "$1" "$2" && return 0
		[ "$(date +%s)" -ge "$_wp_end" ] && return 1
		sleep 0.1
	done
}

# ------------------------------------------------------------------ sandbox

_sandbox_abs() {
	mkdir -p "$1" && (cd "$1" && pwd)
}

_sandbox_log_tail() {		# _sandbox_log_tail DIR
	if [ -f "$1/log/postfix.log" ]; then
		echo "--- $1/log/postfix.log (tail)" >&2
		tail -n 30 "$1/log/postfix.log" >&2
	fi
}

# sandbox_start DIR SMTP_PORT SINK_PORT [MILTER_SPEC]
sandbox_start() {
	_sb_dir=$(_sandbox_abs "$1") || return 1
	_sb_smtp=$2
	_sb_sink=$3
	_sb_milter=${4:-}

	for _sb_bin in "$SANDBOX_POSTFIX" "$SANDBOX_SMTP_SINK" "$SANDBOX_SENDMAIL"; do
		if [ ! -x "$_sb_bin" ]; then
			echo "sandbox_start: $_sb_bin missing (contrib/quickstart deps)" >&2
			return 1
		fi
	done
	if [ "$(id -u)" -ne 0 ]; then
		echo "sandbox_start: a private Postfix needs root" >&2
		return 1
	fi
	# A stale instance from an aborted run holds the ports; stop it.
	sandbox_stop "$_sb_dir"

	# Postfix insists that the queue directory is owned by root and
	# that data_directory belongs to the mail_owner.
	mkdir -p "$_sb_dir/postfix" "$_sb_dir/postfix-queue" \
	    "$_sb_dir/postfix-data" "$_sb_dir/log" "$_sb_dir/sink" || return 1
	chown root:root "$_sb_dir" "$_sb_dir/postfix" "$_sb_dir/postfix-queue"
	chmod 755 "$_sb_dir" "$_sb_dir/postfix" "$_sb_dir/postfix-queue"
	chown postfix:postfix "$_sb_dir/postfix-data"
	chmod 700 "$_sb_dir/postfix-data"
	# smtp-sink drops to "nobody" before it writes a capture.
	chown nobody "$_sb_dir/sink"
	chmod 755 "$_sb_dir/sink"
	: >>"$_sb_dir/log/postfix.log"

	# main.cf: everything goes to the sink; nothing uses DNS or syslog.
	cat >"$_sb_dir/postfix/main.cf" <<EOF
# Generated by tests/lib.sh sandbox_start; rewritten on every start.
compatibility_level = 3.6
queue_directory = $_sb_dir/postfix-queue
data_directory = $_sb_dir/postfix-data
maillog_file = $_sb_dir/log/postfix.log
maillog_file_prefixes = $_sb_dir/log
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C
syslog_name = postfix-sandbox
myhostname = mx.sandbox.test
mydomain = sandbox.test
myorigin = sandbox.test
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains =
relayhost = [127.0.0.1]:$_sb_sink
default_transport = smtp
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions =
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_dns_support_level = disabled
disable_dns_lookups = yes
smtp_host_lookup = native
lmtp_host_lookup = native
smtpd_peername_lookup = no
smtpd_milters = $_sb_milter
non_smtpd_milters =
milter_default_action = accept
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 30s
smtp_connect_timeout = 5s
smtp_helo_timeout = 10s
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
maximal_queue_lifetime = 1h
bounce_queue_lifetime = 1h
delay_warning_time = 0
in_flow_delay = 0
smtp_destination_concurrency_limit = 20
default_destination_rate_delay = 0
address_verify_map =
biff = no
message_size_limit = 104857600
mailbox_size_limit = 0
shlib_directory = /usr/lib/postfix
EOF
	# master.cf: smtpd on the sandbox port only, no tlsmgr, no local.
	cat >"$_sb_dir/postfix/master.cf" <<EOF
# Generated by tests/lib.sh sandbox_start; rewritten on every start.
# service      type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$_sb_smtp inet n  -       n       -       -       smtpd
pickup         unix  n       -       n       1       1       pickup
cleanup        unix  n       -       n       -       0       cleanup
qmgr           unix  n       -       n       1       1       qmgr
rewrite        unix  -       -       n       -       -       trivial-rewrite
bounce         unix  -       -       n       -       0       bounce
defer          unix  -       -       n       -       0       bounce
trace          unix  -       -       n       -       0       bounce
verify         unix  -       -       n       -       1       verify
flush          unix  n       -       n       1000?   0       flush
proxymap       unix  -       -       n       -       -       proxymap
proxywrite     unix  -       -       n       -       1       proxymap
smtp           unix  -       -       n       -       -       smtp
relay          unix  -       -       n       -       -       smtp
error          unix  -       -       n       -       -       error
retry          unix  -       -       n       -       -       error
discard        unix  -       -       n       -       -       discard
showq          unix  n       -       n       -       -       showq
anvil          unix  -       -       n       -       1       anvil
scache         unix  -       -       n       -       1       scache
postlog        unix-dgram n  -       n       -       1       postlogd
EOF

	# The sink: one file per transaction, all in DIR/sink/.
	"$SANDBOX_SMTP_SINK" -u nobody -h sink.sandbox.test \
	    -d "$_sb_dir/sink/%Y%m%d%H%M%S." "127.0.0.1:$_sb_sink" 100 \
	    >>"$_sb_dir/log/smtp-sink.log" 2>&1 &
	echo $! >"$_sb_dir/smtp-sink.pid"
	if ! wait_port 127.0.0.1 "$_sb_sink" 10; then
		echo "sandbox_start: smtp-sink did not listen on 127.0.0.1:$_sb_sink" >&2
		cat "$_sb_dir/log/smtp-sink.log" >&2
		sandbox_stop "$_sb_dir"
		return 1
	fi

	# Create the queue directories with the right owners and set-gid
	# group (maildrop belongs to postdrop), then start the master.
	if ! "$SANDBOX_POSTFIX" -c "$_sb_dir/postfix" start \
	    >>"$_sb_dir/log/postfix-start.log" 2>&1; then
		echo "sandbox_start: postfix -c $_sb_dir/postfix start failed" >&2
		cat "$_sb_dir/log/postfix-start.log" >&2
		_sandbox_log_tail "$_sb_dir"
		sandbox_stop "$_sb_dir"
		return 1
	fi
	if ! wait_port 127.0.0.1 "$_sb_smtp" 15; then
		echo "sandbox_start: Postfix did not listen on 127.0.0.1:$_sb_smtp" >&2
		_sandbox_log_tail "$_sb_dir"
		sandbox_stop "$_sb_dir"
		return 1
	fi
	return 0
}

# sandbox_stop DIR
sandbox_stop() {
	[ -d "$1" ] || return 0
	_ss_dir=$(cd "$1" && pwd)

	# Postfix: a graceful stop, then abort, then the master's pid file.
	if [ -f "$_ss_dir/postfix/main.cf" ] &&
	    [ -f "$_ss_dir/postfix-queue/pid/master.pid" ]; then
		_ss_pid=$(tr -dc 0-9 <"$_ss_dir/postfix-queue/pid/master.pid")
		if [ -n "$_ss_pid" ] && kill -0 "$_ss_pid" 2>/dev/null; then
			"$SANDBOX_POSTFIX" -c "$_ss_dir/postfix" stop >/dev/null 2>&1 ||
			    "$SANDBOX_POSTFIX" -c "$_ss_dir/postfix" abort >/dev/null 2>&1 || :
			_ss_i=0
			while kill -0 "$_ss_pid" 2>/dev/null && [ "$_ss_i" -lt 100 ]; do
				sleep 0.1
				_ss_i=$((_ss_i + 1))
			done
			kill -9 "$_ss_pid" 2>/dev/null || :
		fi
	fi
	# smtp-sink
	if [ -f "$_ss_dir/smtp-sink.pid" ]; then
		_ss_pid=$(tr -dc 0-9 <"$_ss_dir/smtp-sink.pid")
		if [ -n "$_ss_pid" ] && kill -0 "$_ss_pid" 2>/dev/null; then
			kill "$_ss_pid" 2>/dev/null || :
			_ss_i=0
			while kill -0 "$_ss_pid" 2>/dev/null && [ "$_ss_i" -lt 30 ]; do
				sleep 0.1
				_ss_i=$((_ss_i + 1))
			done
			kill -9 "$_ss_pid" 2>/dev/null || :
		fi
		rm -f "$_ss_dir/smtp-sink.pid"
	fi
	return 0
}

# sandbox_sendmail_cmd DIR (DIR need not exist yet)
sandbox_sendmail_cmd() {
	case $1 in
	/*) _sc_dir=$1 ;;
	*) _sc_dir=$PWD/$1 ;;
	esac
	printf '%s -C %s/postfix\n' "$SANDBOX_SENDMAIL" "${_sc_dir%/}"
}

# sandbox_sink_files DIR - finished captures, oldest first.
# smtp-sink writes a file while the DATA phase runs and adds the final
# empty line at the end, so a capture is complete once its last line is
# empty; a file without that line is still being written.
sandbox_sink_files() {
	[ -d "$1/sink" ] || return 0
	# Names sort by time: %Y%m%d%H%M%S then a random suffix; ls -tr
	# breaks ties within one second by modification time.
	(cd "$1/sink" && ls -1tr 2>/dev/null) | while read -r _sf; do
		[ -f "$1/sink/$_sf" ] || continue
		[ -s "$1/sink/$_sf" ] || continue
		[ -z "$(tail -n 1 "$1/sink/$_sf")" ] || continue
		printf '%s/sink/%s\n' "$1" "$_sf"
	done
}

sandbox_sink_count() {
	sandbox_sink_files "$1" | wc -l | tr -d ' '
}

# sandbox_wait_sink DIR COUNT TIMEOUT_S
sandbox_wait_sink() {
	_sw_end=$(($(date +%s) + $3))
	while :; do
		[ "$(sandbox_sink_count "$1")" -ge "$2" ] && return 0
		if [ "$(date +%s)" -ge "$_sw_end" ]; then
			echo "sandbox_wait_sink: $(sandbox_sink_count "$1") of $2 messages after $3 s" >&2
			_sandbox_log_tail "$1"
			return 1
		fi
		sleep 0.2
	done
}

# sandbox_sink_body FILE - the relayed message without smtp-sink's lines.
# smtp-sink's own header block ends with its three-line Received: header
# ("Received: from ... / by ... (smtp-sink) ... / date").
sandbox_sink_body() {
	awk '
		done { print; next }
		/^X-(Client-Addr|Client-Proto|Helo-Args|Mail-Args|Rcpt-Args): / { next }
		/^Received: / && !rcvd { rcvd = 1; next }
		rcvd && /^[ \t]/ { next }
		{ done = 1; print }
	' "$1" | sed '$ { /^$/ d; }'
}

# sandbox_sink_grep DIR REGEX - captured files that match REGEX (grep -E)
sandbox_sink_grep() {
	sandbox_sink_files "$1" | while read -r _sg; do
		grep -Eq -- "$2" "$_sg" && printf '%s\n' "$_sg"
	done
	return 0
}
