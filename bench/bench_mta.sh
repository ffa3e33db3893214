#!/usr/bin/env bash
# bench/bench_mta.sh - secmilter in a real Postfix, beside its baselines
#
# SYNOPSIS
#	bench/bench_mta.sh [throughput|instr|latency|concurrency|all]
#
# DESCRIPTION
#	throughput: a private Postfix on 127.0.0.1 (tests/lib.sh's sandbox,
#	turned into a discarding one: default_transport = discard) with one
#	smtpd per configuration, each with at most one milter:
#	  none    no milter
#	  null    bench/null_milter: sees every step, does nothing
#	  floor   bench/floor_milter: RCPT (no reply) and DATA only
#	  secm    secmilter
#	  mimed   MIMEDefang with bench/mimedefang-filter (tags security@)
#	  zero    the zero-cost layout: transport_maps sends security@ mail
#	          to a second smtpd, the only one with secmilter
#	Mixes: a (4 KB ordinary mail, Postfix's smtp-source -l 4096),
#	b (security@ reports, bench_smtp), c (99:1, bench_smtp); each run
#	is BENCH_MESSAGES messages over BENCH_SESSIONS sessions. Rounds
#	interleave every configuration of a mix, in an order that rotates.
#	A run ends when the driver is done and the queue is empty; for
#	secmilter also when every acknowledgement it queued was handed to
#	the MTA and delivered (each report has its own sender: gen_mail.py),
#	so a run pays for its own replies, not the next one. A run
#	records msg/s, machine CPU ms/msg (/proc/stat, all CPUs, everything
#	but idle and iowait), the CPU of the pipeline's own processes (the
#	Postfix tree, the milters and their children, the driver: the
#	figure to trust on a shared machine), of the Postfix tree alone (what
#	a milter makes the MTA itself do: secmilter hands it an
#	acknowledgement per report), milter tempfails from the maillog, and
#	for secmilter its worker's CPU and EOM times (TimingLog).
#	bench/bench_report.py turns the raw lines into the tables.
#
#	floor: mix a with the floor milter and secmilter alone, FLOOR_ROUNDS
#	rounds (21): the target of mix a (0.95 x the floor) has a margin
#	of 5%, and the runs of one configuration spread by 10% or more on
#	a shared machine; three times the rounds narrow the median's
#	spread. Own sandbox (BENCH_DIR/floor); bench-floor-DATE.md, .tsv.
#
#	instr: secmilter and floor_milter under callgrind behind the same
#	sandbox; INSTR_MESSAGES ordinary messages; counters zeroed after
#	start-up; prints instructions per message of the worker. Then
#	INSTR_REPORTS security@ reports (mix b) into secmilter, each on a
#	connection of its own: instructions per report of the worker,
#	acknowledgement included.
#
#	latency: the EOM time of a 20 KB report when reports do not queue
#	for the CPU: LAT_MESSAGES reports over each number of sessions in
#	LAT_SESSIONS in turn; p50, p90, p99, and where the time went
#	(TimingLog).
#
#	concurrency: 100 sessions of 5 MB security@ messages into a sandbox
#	that relays to smtp-sink; peak RSS of the worker, messages at the
#	sink, tickets in the store.
#
#	Everything listens on 127.0.0.1 only; a trap stops all it started.
#
# ENVIRONMENT
#	BENCH_ROUNDS (7), FLOOR_ROUNDS (21), BENCH_MESSAGES (2000), BENCH_SESSIONS (20),
#	BENCH_CONFIGS ("none null floor secm mimed zero"), BENCH_MIXES
#	("a b c"), INSTR_MESSAGES (300), INSTR_REPORTS (100), LAT_MESSAGES
#	(300), LAT_SESSIONS ("1 2 4"), CONC_SESSIONS (100),
#	CONC_MESSAGES (200), CONC_BYTES (5 MB), BENCH_DIR (var/bench),
#	BENCH_SECM_CONF (more secmilter.conf lines, e.g. "AckLimitPerHour 0"
#	to see what the acknowledgements cost), BENCH_SUBMIT ("smtp":
#	secmilter hands its replies to the sandbox's milter-less smtpd,
#	SubmitServer, as a busy intake should; "sendmail": the Sendmail
#	command, Postfix's sendmail and postdrop per reply)
#--
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../tests/lib.sh
. "$top/tests/lib.sh"

ROUNDS=${BENCH_ROUNDS:-7}
MESSAGES=${BENCH_MESSAGES:-2000}
SESSIONS=${BENCH_SESSIONS:-20}
CONFIGS=${BENCH_CONFIGS:-none null floor secm mimed zero}
MIXES=${BENCH_MIXES:-a b c}
FLOOR_ROUNDS=${FLOOR_ROUNDS:-21}
INSTR_MESSAGES=${INSTR_MESSAGES:-300}
INSTR_REPORTS=${INSTR_REPORTS:-100}
LAT_MESSAGES=${LAT_MESSAGES:-300}
LAT_SESSIONS=${LAT_SESSIONS:-1 2 4}
CONC_SESSIONS=${CONC_SESSIONS:-100}
CONC_MESSAGES=${CONC_MESSAGES:-200}
CONC_BYTES=${CONC_BYTES:-5242880}
RUN_TIMEOUT_S=600		# one run; the driver gives up before
BENCH_DIR=${BENCH_DIR:-$top/var/bench}
RESULTS=$top/bench/results

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

PIDS=()
SANDBOXES=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || :
	done
	for p in "${PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.25
		done
		kill -9 "$p" 2>/dev/null || :
	done
	for p in "${SANDBOXES[@]}"; do
		sandbox_stop "$p"
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || die "needs root (a private Postfix)"
for b in bench/bench_smtp bench/null_milter bench/floor_milter secmilter secticket; do
	[ -x "$top/$b" ] || die "$b missing: make bench-programs"
done

# ------------------------------------------------------------ helpers

# cpu_busy - jiffies all CPUs spent not idle, not waiting for I/O
cpu_busy() {
	awk '/^cpu /{ print $2+$3+$4+$7+$8+$9 }' /proc/stat
}

# proc_cpu PID - utime+stime of PID in jiffies (0 when gone)
proc_cpu() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# tree_cpu PID... - jiffies the processes and all their descendants used,
# the reaped ones included (cutime, cstime): what the mail pipeline
# itself costs, whatever else runs on a shared machine
tree_cpu() {
	local pids="$*" all p t=0
	all=$(ps -e -o pid=,ppid= | awk -v roots="$pids" '
	    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
	    { par[$1] = $2 }
	    END { do { added = 0; for (p in par) if (!(p in keep) && (par[p] in keep)) { keep[p] = 1; added = 1 } } while (added)
		  for (p in keep) print p }')
	for p in $all; do
		t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}

# sandbox_master DIR - the pid of the sandbox's Postfix master
sandbox_master() {
	tr -d ' \n' <"$1/postfix-queue/pid/master.pid" 2>/dev/null || :
}

# worker_of MASTER - secmilter's worker process
worker_of() {
	local w i
	for i in $(seq 1 100); do
		w=$(pgrep -P "$1" | head -n 1 || :)
		[ -n "$w" ] && { echo "$w"; return 0; }
		sleep 0.1
	done
	return 1
}

# queue_wait DIR - until the sandbox queue holds no message
queue_wait() {
	local q=$1/postfix-queue end=$(($(date +%s) + RUN_TIMEOUT_S))
	while :; do
		if [ -z "$(find "$q/maildrop" "$q/incoming" "$q/active" "$q/deferred" \
		    "$q/hold" -type f -print -quit 2>/dev/null)" ]; then
			return 0
		fi
		[ "$(date +%s)" -ge "$end" ] && { say "queue of $1 not empty after ${RUN_TIMEOUT_S}s"; return 1; }
		sleep 0.02
	done
}

# outbox_wait LOG - until secmilter has handed every acknowledgement it
# queued to the MTA. A run is not over while its replies wait in the
# outbox: they would be sent, and paid for, during the next run.
outbox_wait() {
	local log=$1 end=$(($(date +%s) + RUN_TIMEOUT_S)) q h
	while :; do
		q=$(grep -c 'ack=queued' "$log" || :)
		h=$(grep -c 'handed to the MTA' "$log" || :)
		[ "$h" -ge "$q" ] && return 0
		[ "$(date +%s)" -ge "$end" ] && { say "outbox not drained ($h of $q) after ${RUN_TIMEOUT_S}s"; return 1; }
		sleep 0.05
	done
}

# add_smtpd SBDIR PORT OPTIONS... - one more smtpd in the sandbox
add_smtpd() {
	local dir=$1 port=$2
	shift 2
	postconf -c "$dir/postfix" -M "127.0.0.1:$port/inet=127.0.0.1:$port inet n - n - - smtpd $*"
}

# start_secmilter DIR PORT SANDBOX [SUBMIT_PORT] - master pid in
# SECM_MASTER, worker in SECM_WORKER. With SUBMIT_PORT (an smtpd without
# milters) and BENCH_SUBMIT=smtp, replies go over SMTP (SubmitServer).
start_secmilter() {
	local dir=$1 port=$2 sb=$3 submit=
	mkdir -p "$dir/state"
	if [ -n "${4:-}" ] && [ "${BENCH_SUBMIT:-smtp}" = smtp ]; then
		submit="SubmitServer inet:$4@127.0.0.1"
	fi
	cat >"$dir/secmilter.conf" <<EOF
# Written by bench/bench_mta.sh; defaults otherwise (SyncCommits yes).
SecurityAddress security@example.com
Sendmail $(sandbox_sendmail_cmd "$sb")
$submit
TimingLog $dir/timing.log
${BENCH_SECM_CONF:-}
EOF
	: >"$dir/timing.log"
	"$top/secmilter" -f -d "$dir/state" -p "inet:$port@127.0.0.1" \
	    -c "$dir/secmilter.conf" >>"$dir/secmilter.log" 2>&1 &
	SECM_MASTER=$!
	PIDS+=("$SECM_MASTER")
	wait_port 127.0.0.1 "$port" 60 || { tail "$dir/secmilter.log" >&2; die "secmilter did not start"; }
	SECM_WORKER=$(worker_of "$SECM_MASTER") || die "no secmilter worker"
}

start_milter() {	# start_milter PROGRAM PORT LOG
	"$1" -p "inet:$2@127.0.0.1" >>"$3" 2>&1 &
	PIDS+=("$!")
	wait_port 127.0.0.1 "$2" 20 || die "$1 did not start"
}

# start_mimedefang DIR PORT - multiplexor with SESSIONS+4 workers
start_mimedefang() {
	local dir=$1 port=$2 max=$((SESSIONS + 4))
	command -v mimedefang-multiplexor >/dev/null || die "mimedefang missing (contrib/quickstart bench installs it)"
	mkdir -p "$dir/spool"
	cp "$top/bench/mimedefang-filter" "$dir/filter"
	# The multiplexor runs its -f program with "-server" only; the
	# filter file is mimedefang.pl's "-f" argument.
	printf '#!/bin/sh\nexec /usr/bin/mimedefang.pl -f %s "$@"\n' "$dir/filter" >"$dir/filter-program"
	chmod 755 "$dir/filter-program"
	chown -R defang:defang "$dir"
	chmod 755 "$dir"
	# No -E: with the embedded Perl, -f must name mimedefang.pl itself.
	mimedefang-multiplexor -D -U defang -m 4 -x "$max" -s "$dir/mx.sock" \
	    -f "$dir/filter-program" -z "$dir/spool" >>"$dir/md.log" 2>&1 &
	PIDS+=("$!")
	for _ in $(seq 1 100); do [ -S "$dir/mx.sock" ] && break; sleep 0.1; done
	mimedefang -D -U defang -m "$dir/mx.sock" -p "inet:$port@127.0.0.1" \
	    -z "$dir/spool" >>"$dir/md.log" 2>&1 &
	PIDS+=("$!")
	wait_port 127.0.0.1 "$port" 30 || { tail "$dir/md.log" >&2; die "mimedefang did not start"; }
}

# ------------------------------------------------------------ throughput

cmd_throughput() {
	local sb=$BENCH_DIR/sandbox mail=$BENCH_DIR/mail raw
	local -A PORT MPORT
	local c m r i sink_port

	rm -rf "$BENCH_DIR/mail" "$BENCH_DIR/secm" "$BENCH_DIR/mimed"
	mkdir -p "$BENCH_DIR" "$RESULTS"
	python3 "$top/bench/gen_mail.py" "$mail" >&2

	for c in none null floor secm mimed zero back; do
		PORT[$c]=$(free_port)
	done
	for c in null floor secm mimed; do
		MPORT[$c]=$(free_port)
	done
	sink_port=$(free_port)

	# The sandbox, then made to discard: delivery is not what we measure.
	SANDBOXES+=("$sb")
	sandbox_start "$sb" "${PORT[none]}" "$sink_port" "" || die "sandbox failed"
	postconf -c "$sb/postfix" -e default_transport=discard \
	    "transport_maps=inline:{security@example.com=smtp:[127.0.0.1]:${PORT[back]}}" \
	    smtpd_client_connection_count_limit=0 smtpd_client_connection_rate_limit=0 \
	    default_process_limit=200
	# content_filter=discard: overrides transport_maps: only "zero"
	# routes security@ mail to the back smtpd.
	local cf="-o content_filter=discard:"
	postconf -c "$sb/postfix" -MX "127.0.0.1:${PORT[none]}/inet"
	add_smtpd "$sb" "${PORT[none]}" "$cf -o smtpd_milters="
	add_smtpd "$sb" "${PORT[null]}" "$cf -o smtpd_milters=inet:127.0.0.1:${MPORT[null]}"
	add_smtpd "$sb" "${PORT[floor]}" "$cf -o smtpd_milters=inet:127.0.0.1:${MPORT[floor]}"
	add_smtpd "$sb" "${PORT[secm]}" "$cf -o smtpd_milters=inet:127.0.0.1:${MPORT[secm]}"
	add_smtpd "$sb" "${PORT[mimed]}" "$cf -o smtpd_milters=inet:127.0.0.1:${MPORT[mimed]}"
	add_smtpd "$sb" "${PORT[zero]}" "-o smtpd_milters="
	add_smtpd "$sb" "${PORT[back]}" "$cf -o smtpd_milters=inet:127.0.0.1:${MPORT[secm]}"
	postfix -c "$sb/postfix" reload >/dev/null 2>&1
	sleep 1
	for c in none null floor secm mimed zero back; do
		wait_port 127.0.0.1 "${PORT[$c]}" 15 || die "smtpd $c not listening"
	done

	start_milter "$top/bench/null_milter" "${MPORT[null]}" "$BENCH_DIR/milters.log"
	start_milter "$top/bench/floor_milter" "${MPORT[floor]}" "$BENCH_DIR/milters.log"
	start_secmilter "$BENCH_DIR/secm" "${MPORT[secm]}" "$sb" "${PORT[none]}"
	case " $CONFIGS " in *" mimed "*) start_mimedefang "$BENCH_DIR/mimed" "${MPORT[mimed]}" ;; esac

	raw=$BENCH_DIR/raw.tsv
	printf 'round\tmix\tconfig\tmessages\tok\ttempfail\tseconds\tcpu_jiffies\tworker_jiffies\teom_ms\town_jiffies\tmta_jiffies\n' >"$raw"
	local hz
	hz=$(getconf CLK_TCK)
	local -a cfgs
	read -ra cfgs <<<"$CONFIGS"
	say "throughput: $ROUNDS rounds x mixes ($MIXES) x configurations (${cfgs[*]}), $MESSAGES messages, $SESSIONS sessions"
	# Warm-up, not recorded: smtpd processes, milter threads, MIMEDefang's
	# workers (the multiplexor starts them one every few seconds).
	for c in "${cfgs[@]}"; do
		"$top/bench/bench_smtp" -s "$SESSIONS" -m $((SESSIONS * 10)) \
		    "127.0.0.1:${PORT[$c]}" "$mail/plan-c.txt" >/dev/null 2>&1 || :
	done
	queue_wait "$sb" || :
	for r in $(seq 1 "$ROUNDS"); do
		for m in $MIXES; do
			for i in $(seq 0 $((${#cfgs[@]} - 1))); do
				c=${cfgs[$(((i + r) % ${#cfgs[@]}))]}
				run_one "$sb" "$mail" "$r" "$m" "$c" "${PORT[$c]}" >>"$raw"
			done
		done
		say "round $r done"
	done

	# Peak RSS of the worker over the whole run, its store.
	local hwm tickets
	hwm=$(awk '/^VmHWM/{ print $2 }' "/proc/$SECM_WORKER/status")
	tickets=$("$top/secticket" -d "$BENCH_DIR/secm/state" list --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo "?")
	printf '# worker_vmhwm_kb=%s hz=%s tickets=%s sessions=%s cpus=%s machine=%s date=%s commit=%s\n' "$hwm" "$hz" "$tickets" "$SESSIONS" "$(nproc)" \
	    "$(machine_name)" "$(date -u +%Y-%m-%d)" "$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)" >>"$raw"
	if [ "${BENCH_REPORT:-mta}" = mta ]; then
		python3 "$top/bench/bench_report.py" "$raw" "$RESULTS" "$top/README.md"
	else
		python3 "$top/bench/bench_report.py" --base "bench-$BENCH_REPORT" "$raw" "$RESULTS"
	fi
}

# cmd_floor - mix a, the floor milter against secmilter only, FLOOR_ROUNDS
# rounds: the target with the narrowest margin (0.95) on the noisiest
# figure (a run of ordinary mail is over in 3 s). A process of its own,
# in a sandbox of its own, so it runs beside nothing the other parts left.
cmd_floor() {
	BENCH_DIR="$BENCH_DIR/floor" BENCH_ROUNDS="$FLOOR_ROUNDS" BENCH_MIXES=a \
	    BENCH_CONFIGS="floor secm" BENCH_REPORT=floor "$0" throughput
}

machine_name() {
	local cpu
	cpu=$(awk -F': ' '/^model name/{ print $2; exit }' /proc/cpuinfo)
	printf '%s, %s CPUs, %s MB, Linux %s' "${cpu:-unknown CPU}" "$(nproc)" \
	    "$(awk '/^MemTotal/{ print int($2/1024) }' /proc/meminfo)" "$(uname -r)"
}

# run_one SB MAIL ROUND MIX CONFIG PORT - one raw line
run_one() {
	local sb=$1 mail=$2 r=$3 m=$4 c=$5 port=$6
	local log=$sb/log/postfix.log t0 t1 cpu0 cpu1 w0=0 w1=0 tl0=0 out ok temp eoms
	local logoff own0 own1 drv mta0 mta1

	queue_wait "$sb" || :
	logoff=$(stat -c %s "$log")
	case $c in secm | zero) tl0=$(wc -l <"$BENCH_DIR/secm/timing.log"); w0=$(proc_cpu "$SECM_WORKER") ;; esac
	own0=$(tree_cpu "$(sandbox_master "$sb")" "${PIDS[@]}")
	mta0=$(tree_cpu "$(sandbox_master "$sb")")
	cpu0=$(cpu_busy)
	t0=$(date +%s.%N)
	if [ "$m" = a ]; then
		# Postfix's own load generator for plain mail.
		if timeout "$RUN_TIMEOUT_S" /usr/bin/time -f '%U %S' -o "$BENCH_DIR/driver.time" smtp-source -s "$SESSIONS" -m "$MESSAGES" -l 4096 \
		    -f colleague@partner.example.org -t user@example.com -S "Quarterly planning" \
		    -M bench.example.net "127.0.0.1:$port" >"$BENCH_DIR/driver.out" 2>&1; then
			ok=$MESSAGES
		else
			ok=-1
		fi
	else
		out=$(timeout "$RUN_TIMEOUT_S" /usr/bin/time -f '%U %S' -o "$BENCH_DIR/driver.time" "$top/bench/bench_smtp" -s "$SESSIONS" -m "$MESSAGES" \
		    "127.0.0.1:$port" "$mail/plan-$m.txt" 2>&1) || :
		ok=$(printf '%s\n' "$out" | sed -n 's/.* ok=\([0-9]*\).*/\1/p')
		[ -n "$ok" ] || ok=-1
	fi
	queue_wait "$sb" || :
	case $c in secm | zero)
		outbox_wait "$BENCH_DIR/secm/secmilter.log" || :
		queue_wait "$sb" || : ;;
	esac
	t1=$(date +%s.%N)
	cpu1=$(cpu_busy)
	own1=$(tree_cpu "$(sandbox_master "$sb")" "${PIDS[@]}")
	mta1=$(tree_cpu "$(sandbox_master "$sb")")
	# The last line of time(1)'s output: an exit status line may come first.
	drv=$(awk '{ u = $1; s = $2 } END { printf "%d", (u + s) * '"$(getconf CLK_TCK)"' }' "$BENCH_DIR/driver.time" 2>/dev/null || echo 0)
	case $c in secm | zero) w1=$(proc_cpu "$SECM_WORKER") ;; esac
	# Milter tempfails (MIMEDefang's 451 when it has no free worker).
	temp=$(tail -c +$((logoff + 1)) "$log" | grep -c 'milter-reject: END-OF-MESSAGE\|milter-reject:.* 4\.[0-9]\.[0-9]' || :)
	eoms=-
	case $c in secm | zero)
		eoms=$(tail -n +$((tl0 + 1)) "$BENCH_DIR/secm/timing.log" | sed -n 's/.*eom_ms=\([0-9]*\).*/\1/p' | paste -sd, -)
		[ -n "$eoms" ] || eoms=- ;;
	esac
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$m" "$c" "$MESSAGES" "$ok" "$temp" \
	    "$(echo "$t1 - $t0" | bc -l)" "$((cpu1 - cpu0))" "$((w1 - w0))" "$eoms" "$((own1 - own0 + drv))" \
	    "$((mta1 - mta0))"
	say "round $r mix $m $c: ok=$ok tempfail=$temp $(printf '%.1f' "$(echo "$t1 - $t0" | bc -l)")s"
}

# ------------------------------------------------------------ instructions

cmd_instr() {
	local sb=$BENCH_DIR/instr dir=$BENCH_DIR/instr-run port sink mport which out submit
	command -v valgrind >/dev/null || die "valgrind missing"
	rm -rf "$dir"
	mkdir -p "$dir"
	[ -f "$BENCH_DIR/mail/plan-b.txt" ] || python3 "$top/bench/gen_mail.py" "$BENCH_DIR/mail" >&2
	port=$(free_port)
	sink=$(free_port)
	mport=$(free_port)
	SANDBOXES+=("$sb")
	sandbox_start "$sb" "$port" "$sink" "inet:127.0.0.1:$mport" || die "sandbox failed"
	postconf -c "$sb/postfix" -e default_transport=discard milter_connect_timeout=30s \
	    milter_command_timeout=60s
	# Replies go over SMTP to a milter-less smtpd (SubmitServer): the
	# Sendmail command would run under callgrind too, and postdrop's
	# set-gid does not survive that.
	submit=$(free_port)
	add_smtpd "$sb" "$submit" "-o smtpd_milters="
	postfix -c "$sb/postfix" reload >/dev/null 2>&1
	sleep 1
	wait_port 127.0.0.1 "$submit" 15 || die "submission smtpd not listening"
	for which in floor_milter secmilter; do
		local pid target
		rm -f "$dir"/callgrind.out.*
		if [ "$which" = secmilter ]; then
			mkdir -p "$dir/state"
			printf 'SecurityAddress security@example.com\nSendmail %s\nSubmitServer inet:%s@127.0.0.1\n' \
			    "$(sandbox_sendmail_cmd "$sb")" "$submit" >"$dir/secmilter.conf"
			valgrind --tool=callgrind --trace-children=yes \
			    --callgrind-out-file="$dir/callgrind.out.%p" \
			    "$top/secmilter" -f -d "$dir/state" -p "inet:$mport@127.0.0.1" \
			    -c "$dir/secmilter.conf" >>"$dir/valgrind.log" 2>&1 &
			pid=$!
			PIDS+=("$pid")
			wait_port 127.0.0.1 "$mport" 300 || die "secmilter under callgrind did not start"
			target=$(worker_of "$pid")
		else
			valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out.%p" \
			    "$top/bench/floor_milter" -p "inet:$mport@127.0.0.1" >>"$dir/valgrind.log" 2>&1 &
			pid=$!
			PIDS+=("$pid")
			wait_port 127.0.0.1 "$mport" 120 || die "floor_milter under callgrind did not start"
			target=$pid
		fi
		# A few messages warm up (first connection, lazy set-up), then
		# the counters start from zero.
		smtp-source -s 2 -m 20 -l 4096 -f c@partner.example.org -t user@example.com \
		    -M bench.example.net "127.0.0.1:$port" >/dev/null 2>&1 || :
		callgrind_control -z "$target" >/dev/null
		smtp-source -s 4 -m "$INSTR_MESSAGES" -l 4096 -f c@partner.example.org -t user@example.com \
		    -M bench.example.net "127.0.0.1:$port" >/dev/null 2>&1 || die "smtp-source failed ($which)"
		callgrind_control -d "$target" >/dev/null
		sleep 1
		# The -d dump (".1"), not the file written when the process ends.
		out=$dir/callgrind.out.$target.1
		local ir
		ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ && !n++ { gsub(",", "", $1); print $1 }')
		echo "$which $ir" >>"$dir/instr.txt"
		if [ "$which" = secmilter ] && [ "$INSTR_REPORTS" -gt 0 ]; then
			# Then security@ reports (mix b), each on a connection of
			# its own as most mail comes: what a report costs the
			# worker inside the MTA, acknowledgement included, beside
			# bench-pipeline's in-process figure.
			# A few first, not counted: the first reply's connection.
			"$top/bench/bench_smtp" -s 1 -m 4 "127.0.0.1:$port" \
			    "$BENCH_DIR/mail/plan-b.txt" >/dev/null 2>&1 || die "bench_smtp failed (warm-up)"
			queue_wait "$sb" || :
			outbox_wait "$dir/valgrind.log" || :
			callgrind_control -z "$target" >/dev/null
			"$top/bench/bench_smtp" -s 4 -m "$INSTR_REPORTS" "127.0.0.1:$port" \
			    "$BENCH_DIR/mail/plan-b.txt" >/dev/null 2>&1 || die "bench_smtp failed (reports)"
			queue_wait "$sb" || :
			outbox_wait "$dir/valgrind.log" || :
			callgrind_control -d "$target" >/dev/null
			sleep 1
			ir=$(callgrind_annotate "$dir/callgrind.out.$target.2" 2>/dev/null | awk '/PROGRAM TOTALS/ && !n++ { gsub(",", "", $1); print $1 }')
			echo "secmilter_reports $ir" >>"$dir/instr.txt"
		fi
		kill "$pid" 2>/dev/null || :
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$pid" 2>/dev/null || :
		wait_port 127.0.0.1 "$mport" 0 2>/dev/null && sleep 2
	done
	python3 - "$dir/instr.txt" "$INSTR_MESSAGES" "$RESULTS" "$INSTR_REPORTS" <<'EOF'
import sys, json, datetime
ir = dict(l.split() for l in open(sys.argv[1]))
n = int(sys.argv[2])
f = int(ir["floor_milter"]) / n
s = int(ir["secmilter"]) / n
r = s / f
print("instr (mix a, callgrind, %d ordinary messages, worker process only):" % n)
print("  floor_milter  %10.0f instructions/message" % f)
print("  secmilter     %10.0f instructions/message" % s)
print("  secmilter / floor = %.2f (target <= 1.5: %s)" % (r, "met" if r <= 1.5 else "MISSED"))
day = datetime.date.today().isoformat()
res = {"date": day, "messages": n, "floor_milter": f, "secmilter": s, "ratio": r}
if "secmilter_reports" in ir and int(sys.argv[4]) > 0:
    res["reports"] = int(sys.argv[4])
    res["secmilter_per_report"] = int(ir["secmilter_reports"]) / res["reports"]
    print("instr (mix b, callgrind, %d security@ reports, one connection each, worker only,"
          " acknowledgements included):" % res["reports"])
    print("  secmilter     %10.0f instructions/report" % res["secmilter_per_report"])
json.dump(res, open("%s/bench-instr-%s.json" % (sys.argv[3], day), "w"), indent=1)
EOF
}

# ------------------------------------------------------------ latency

# latency: the end-of-message time of a 20 KB report (no attachment)
# when reports do not queue for the CPU: LAT_MESSAGES reports over 1
# session (one report at a time), then over more sessions (LAT_SESSIONS),
# each on a connection of its own. The throughput run measures the same
# time with 20 saturating sessions, where it is mostly time spent
# waiting for a core.
cmd_latency() {
	local sb=$BENCH_DIR/lat dir=$BENCH_DIR/lat-run port submit sink mport n tl0 out
	rm -rf "$dir"
	mkdir -p "$dir" "$RESULTS"
	[ -f "$BENCH_DIR/mail/plan-r.txt" ] || python3 "$top/bench/gen_mail.py" "$BENCH_DIR/mail" >&2
	port=$(free_port)
	submit=$(free_port)
	sink=$(free_port)
	mport=$(free_port)
	SANDBOXES+=("$sb")
	sandbox_start "$sb" "$port" "$sink" "inet:127.0.0.1:$mport" || die "sandbox failed"
	postconf -c "$sb/postfix" -e default_transport=discard
	add_smtpd "$sb" "$submit" "-o smtpd_milters="
	postfix -c "$sb/postfix" reload >/dev/null 2>&1
	sleep 1
	wait_port 127.0.0.1 "$submit" 15 || die "submission smtpd not listening"
	start_secmilter "$dir" "$mport" "$sb" "$submit"
	"$top/bench/bench_smtp" -s 1 -m 20 "127.0.0.1:$port" "$BENCH_DIR/mail/plan-r.txt" >/dev/null 2>&1 || :
	queue_wait "$sb" || :
	outbox_wait "$dir/secmilter.log" || :
	: >"$dir/levels.txt"
	for n in $LAT_SESSIONS; do
		tl0=$(wc -l <"$dir/timing.log")
		out=$("$top/bench/bench_smtp" -s "$n" -m "$LAT_MESSAGES" "127.0.0.1:$port" \
		    "$BENCH_DIR/mail/plan-r.txt" 2>&1) || die "bench_smtp failed: $out"
		queue_wait "$sb" || :
		outbox_wait "$dir/secmilter.log" || :
		printf '%s\t%s\t' "$n" "$(printf '%s\n' "$out" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')" >>"$dir/levels.txt"
		tail -n +$((tl0 + 1)) "$dir/timing.log" | tr '\n' ';' >>"$dir/levels.txt"
		echo >>"$dir/levels.txt"
	done
	python3 - "$dir/levels.txt" "$LAT_MESSAGES" "$RESULTS" <<'EOF'
import sys, json, re, datetime
n = int(sys.argv[2])
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p / 100))]
res = {"date": datetime.date.today().isoformat(), "messages": n, "levels": []}
print("latency (20 KB reports, no attachment, one connection each; EOM from TimingLog):")
for line in open(sys.argv[1]):
    sessions, seconds, timings = line.rstrip("\n").split("\t")
    rows = [dict((k, float(v)) for k, v in re.findall(r"(\w+)=([\d.]+)", t))
            for t in timings.split(";") if "eom_ms=" in t]
    eom = [r["eom_ms"] for r in rows]
    lvl = {"sessions": int(sessions), "reports": len(rows),
           "msg_per_s": n / float(seconds) if float(seconds) > 0 else 0,
           "eom_p50_ms": pct(eom, 50), "eom_p90_ms": pct(eom, 90),
           "eom_p99_ms": pct(eom, 99), "eom_max_ms": max(eom)}
    for k in ("triage_ms", "duplicate_ms", "raw_copy_ms", "lock_wait_ms", "txn_ms"):
        lvl[k + "_mean"] = sum(r.get(k, 0) for r in rows) / len(rows)
    res["levels"].append(lvl)
    print("  %2d session%s: %6.1f msg/s  EOM p50 %.0f ms, p90 %.0f, p99 %.0f, max %.0f;"
          " mean triage %.1f, txn %.1f, raw copy %.1f ms  (p99 <= 10 ms: %s)"
          % (lvl["sessions"], "" if lvl["sessions"] == 1 else "s", lvl["msg_per_s"],
             lvl["eom_p50_ms"], lvl["eom_p90_ms"], lvl["eom_p99_ms"], lvl["eom_max_ms"],
             lvl["triage_ms_mean"], lvl["txn_ms_mean"], lvl["raw_copy_ms_mean"],
             "met" if lvl["eom_p99_ms"] <= 10 else "MISSED"))
json.dump(res, open("%s/bench-latency-%s.json" % (sys.argv[3], res["date"]), "w"), indent=1)
EOF
}

# ------------------------------------------------------------ concurrency

cmd_concurrency() {
	local sb=$BENCH_DIR/conc dir=$BENCH_DIR/conc-run port sink mport big plan out hwm tickets atsink
	rm -rf "$dir" "$sb/sink"
	mkdir -p "$dir"
	port=$(free_port)
	sink=$(free_port)
	mport=$(free_port)
	# One 5 MB report: prose, then a large base64 attachment.
	big=$dir/big.eml
	python3 - "$big" "$CONC_BYTES" <<'EOF'
import base64, random, sys
path, size = sys.argv[1], int(sys.argv[2])
rng = random.Random(5)
head = ("From: Researcher <researcher@example.net>\nTo: security@example.com\n"
        "Subject: Stored XSS in the upload preview, capture attached\n"
        "Message-ID: <bench-0000000000000000.1@bench.example.net>\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        "Stored XSS at https://www.example.com/upload?preview=1\nSteps: upload the file, open the preview.\n"
        "Impact: session theft. CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\n\n"
        "--b1\nContent-Type: application/vnd.tcpdump.pcap; name=capture.pcap\n"
        "Content-Disposition: attachment; filename=capture.pcap\nContent-Transfer-Encoding: base64\n\n")
n = (size - len(head) - 10) * 3 // 4
b = base64.encodebytes(rng.randbytes(n)).decode()
open(path, "w").write(head + b + "--b1--\n")
EOF
	plan=$dir/plan.txt
	for i in $(seq 1 10); do echo "researcher$i@example.net security@example.com $big"; done >"$plan"
	SANDBOXES+=("$sb")
	sandbox_start "$sb" "$port" "$sink" "inet:127.0.0.1:$mport" || die "sandbox failed"
	postconf -c "$sb/postfix" -e default_process_limit=200 smtpd_client_connection_count_limit=0 \
	    smtpd_client_connection_rate_limit=0 milter_content_timeout=300s
	postfix -c "$sb/postfix" reload >/dev/null 2>&1
	sleep 1
	start_secmilter "$dir" "$mport" "$sb"
	say "concurrency: $CONC_MESSAGES messages of $(($(stat -c %s "$big") / 1024)) KB over $CONC_SESSIONS sessions"
	out=$("$top/bench/bench_smtp" -s "$CONC_SESSIONS" -m "$CONC_MESSAGES" -T 600 "127.0.0.1:$port" "$plan" 2>&1) || :
	# The reports and the acknowledgements both reach the sink.
	sandbox_wait_sink "$sb" "$CONC_MESSAGES" 600 >/dev/null 2>&1 || :
	queue_wait "$sb" || :
	hwm=$(awk '/^VmHWM/{ print $2 }' "/proc/$SECM_WORKER/status")
	atsink=$(sandbox_sink_grep "$sb" '^X-Rcpt-Args: <security@example.com>' | wc -l)
	tickets=$("$top/secticket" -d "$dir/state" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	rm -rf "$sb/sink"
	python3 - "$RESULTS" "$CONC_SESSIONS" "$CONC_MESSAGES" "$(stat -c %s "$big")" "$hwm" "$atsink" "$tickets" "$out" <<'EOF'
import sys, json, datetime
res, sess, n, size, hwm, sink, tickets, out = sys.argv[1:]
n, hwm, sink, tickets = int(n), int(hwm), int(sink), int(tickets)
mb = hwm / 1024
print("concurrency: %s sessions, %d messages of %.1f MB: %s" % (sess, n, int(size) / 2**20, out))
print("  worker peak RSS (VmHWM) %.1f MB (target <= 64: %s)" % (mb, "met" if mb <= 64 else "MISSED"))
print("  at the sink %d of %d, tickets in the store %d of %d: %s" % (
    sink, n, tickets, n, "none lost" if sink == n and tickets == n else "LOST MESSAGES"))
day = datetime.date.today().isoformat()
json.dump({"date": day, "sessions": int(sess), "messages": n, "bytes": int(size),
           "vmhwm_kb": hwm, "at_sink": sink, "tickets": tickets, "driver": out},
          open("%s/bench-concurrency-%s.json" % (res, day), "w"), indent=1)
EOF
}

case ${1:-all} in
throughput) cmd_throughput ;;
floor) cmd_floor ;;
instr) cmd_instr ;;
latency) cmd_latency ;;
concurrency) cmd_concurrency ;;
all)
	cmd_throughput
	cmd_floor
	cmd_instr
	cmd_latency
	cmd_concurrency
	;;
*) die "usage: bench/bench_mta.sh [throughput|floor|instr|latency|concurrency|all]" ;;
esac
