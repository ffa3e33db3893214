#!/usr/bin/env bash
# tests/parser/test_python_email.sh - attachments as CPython's email reads them
#
# For each of CPython's email test messages (Debian: libpython3.11-
# testsuite, /usr/lib/python3.11/test/test_email/data/msg_*.txt), the
# attachments "secmilter -t" reports (count, file names, content types,
# decoded sizes, SHA-256 of the decoded bytes) must equal what Python's
# email package (policy=default) finds, with "attachment" defined as
# secmilter defines it (tests/parser/email_attachments.py).
#
# A message on which the two differ by policy, not by a bug, is listed
# with its reason in tests/parser/python_email_differences.txt
# ("msg_NN.txt<TAB>reason"). A listed message that no longer differs
# fails too ("stale expectation"): the list says what is true today.
#
# One TAP line per message file; a failure shows both sides.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

PY_EMAIL_DATA=${PY_EMAIL_DATA:-/usr/lib/python3.11/test/test_email/data}
helper=$top_srcdir/tests/parser/email_attachments.py
expected=$top_srcdir/tests/parser/python_email_differences.txt

tap_init
[ -x "$SECMILTER" ] || tap_bail "secmilter not built"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
set -- "$PY_EMAIL_DATA"/msg_*.txt
[ -f "$1" ] || tap_skip_all "no $PY_EMAIL_DATA/msg_*.txt (install libpython3.11-testsuite)"

work=$(mktemp -d /tmp/secmilter-pyemail.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------ both parsers
# One secmilter run for all files: one JSON line each, in order.
"$SECMILTER" -t "$@" >"$work/secmilter.jsonl" 2>"$work/secmilter.err"
rc=$?
tap_is "$rc" 0 "secmilter -t read all $# messages"
[ "$rc" -eq 0 ] || tap_diag "$(head -n 20 "$work/secmilter.err")"
python3 "$helper" "$work/secmilter.jsonl" "$@" >"$work/compare.txt" 2>"$work/compare.err" ||
	tap_bail "email_attachments.py failed: $(head -c 500 "$work/compare.err")"

# ------------------------------------------------------------ per message
# reason_for NAME - the listed reason, or nothing
reason_for() {
	awk -F '\t' -v n="$1" '$1 == n { print $2; exit }' "$expected"
}

while IFS=$'\t' read -r name verdict python secmilter; do
	reason=$(reason_for "$name")
	if [ "$verdict" = same ] && [ -z "$reason" ]; then
		tap_ok 0 "$name: same attachments"
	elif [ "$verdict" = same ]; then
		tap_ok 1 "$name: stale expectation, the two parsers now agree"
		tap_diag "listed reason: $reason"
		tap_diag "remove $name from tests/parser/python_email_differences.txt"
	elif [ -n "$reason" ]; then
		tap_ok 0 "$name: expected difference: $reason"
		tap_diag "$python"
		tap_diag "$secmilter"
	else
		tap_ok 1 "$name: attachments differ"
		tap_diag "$python"
		tap_diag "$secmilter"
	fi
done <"$work/compare.txt"

# Every listed file must exist: a renamed message would hide nothing.
while IFS=$'\t' read -r name reason; do
	case $name in '' | '#'*) continue ;; esac
	[ -f "$PY_EMAIL_DATA/$name" ] ||
		tap_ok 1 "$name: listed in python_email_differences.txt but not in $PY_EMAIL_DATA"
done <"$expected"

tap_done
