#!/usr/bin/env bash
# tests/parser/test_fuzz_replay.sh - every fixture through "secmilter -t"
#
# Replays each message under tests/data (*.eml and *.bin, in
# subdirectories too) and every input that once broke secmilter under
# the fuzzer (tests/data/fuzz/*, whatever the name; see "make fuzz")
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

# ------------------------------------------------------------ replay
# One secmilter run per file, each under its own timeout. The outputs
# are checked afterwards by one python3 (a start per file would cost
# more than secmilter itself).
find "$TEST_DATA" -type f \( -name '*.eml' -o -name '*.bin' -o -path "$TEST_DATA/fuzz/*" \) |
	LC_ALL=C sort >"$work/files"
[ -s "$work/files" ] || tap_bail "no fixtures in $TEST_DATA"
n=0
: >"$work/results"
while IFS= read -r f; do
	n=$((n + 1))
	timeout -k 5 "$REPLAY_TIMEOUT_S" "$SECMILTER" -t "$f" >"$work/$n.out" 2>"$work/$n.err"
	printf '%s\t%s\n' "$?" "$f" >>"$work/results"
done <"$work/files"

# ------------------------------------------------------------ verdicts
# One line a file: "N<TAB>name<TAB>ok", or the reason it failed.
python3 - "$work" "$TEST_DATA" "$REPLAY_TIMEOUT_S" >"$work/verdicts" <<'PY'
import json, sys
work, data, limit = sys.argv[1:4]

def check(path, out):
    with open(out, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != 1:
        return "%d output lines, want 1" % len(lines)
    o = json.loads(lines[0])
    if not isinstance(o, dict):
        return "output is not a JSON object"
    if o.get("file") != path:
        return "file is %r, want %r" % (o.get("file"), path)
    if not isinstance(o.get("attachments"), list):
        return "no attachments list"
    return None

with open(work + "/results", encoding="utf-8", errors="surrogateescape") as f:
    for n, line in enumerate(f, 1):
        rc, path = line.rstrip("\n").split("\t", 1)
        name = path[len(data) + 1:]
        if rc == "124":
            why = "timed out after %ss" % limit
        elif rc != "0":
            why = "exit %s" % rc
        else:
            try:
                why = check(path, "%s/%d.out" % (work, n))
            except (ValueError, UnicodeDecodeError) as e:
                why = "bad JSON: %s" % e
        print("%d\t%s\t%s" % (n, name, why or "ok"))
PY
[ "$(wc -l <"$work/verdicts")" -eq "$n" ] || tap_bail "the output check failed"

while IFS=$'\t' read -r i name why; do
	if [ "$why" = ok ]; then
		tap_ok 0 "$name: exit 0, one JSON line"
	else
		tap_ok 1 "$name: $why"
		tap_diag "$(tail -n 30 "$work/$i.err")"
	fi
done <"$work/verdicts"

tap_done
