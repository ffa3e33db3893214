#!/usr/bin/env bash
# tests/parser/test_fuzz_replay.sh - every fixture through "secmilter -t"
#
# Replays each message of tests/data (*.eml, *.bin) and every input the
# fuzzer once broke secmilter with (tests/data/fuzz/*, see "make fuzz")
# through "secmilter -t FILE", one file per run under "timeout 20": the
# run must exit 0 and print exactly one line, a JSON object whose
# "file" is FILE. contrib/quickstart test runs the suite again in an
# ASan+UBSan build, so this is also the corpus replay under sanitizers.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

REPLAY_TIMEOUT_S=${REPLAY_TIMEOUT_S:-20}

tap_init
[ -x "$SECMILTER" ] || tap_bail "secmilter not built"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
command -v timeout >/dev/null 2>&1 || tap_skip_all "timeout (coreutils) missing"

work=$(mktemp -d /tmp/secmilter-replay.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# check_json FILE OUT - one line, a JSON object naming FILE
check_json() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
path, out = sys.argv[1], sys.argv[2]
with open(out, encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
if len(lines) != 1:
    sys.exit("%d lines, want 1" % len(lines))
o = json.loads(lines[0])
if not isinstance(o, dict):
    sys.exit("not a JSON object")
if o.get("file") != path:
    sys.exit("file is %r, want %r" % (o.get("file"), path))
if not isinstance(o.get("attachments"), list):
    sys.exit("no attachments list")
EOF
}

n=0
for f in "$TEST_DATA"/*.eml "$TEST_DATA"/*.bin "$TEST_DATA"/fuzz/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	name=${f#"$TEST_DATA"/}
	timeout -k 5 "$REPLAY_TIMEOUT_S" "$SECMILTER" -t "$f" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		case $rc in
		124) why="timed out after ${REPLAY_TIMEOUT_S}s" ;;
		*) why="exit $rc" ;;
		esac
		tap_ok 1 "$name: $why"
		tap_diag "$(tail -n 30 "$work/err")"
		continue
	fi
	if err=$(check_json "$f" "$work/out" 2>&1); then
		tap_ok 0 "$name: exit 0, one JSON line"
	else
		tap_ok 1 "$name: bad output: $(printf '%s' "$err" | tail -n 1)"
		tap_diag "$(head -c 2000 "$work/out")"
	fi
done
[ "$n" -gt 0 ] || tap_bail "no fixtures in $TEST_DATA"

tap_done
