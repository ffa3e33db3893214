#!/usr/bin/env bash
# tests/cvss/test_cvss_npm.sh - secticket cvss against an independent calculator
#
# Scores 10,000 random valid CVSS:3.1 and 10,000 CVSS:4.0 vectors with
# "secticket cvss" and with the npm package ae-cvss-calculator (run under
# node by tests/cvss/cvss_random.js); score and severity word must be the
# same for every vector. Then malformed vectors: each must exit 65 with one
# line on stderr that names the vector.
#
# Setup: ae-cvss-calculator (pinned) is installed once into a cache outside
# the source tree, CVSS_NPM_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/
# secmilter-test/npm). Without node or npm, or when the install fails (no
# network), the whole test is skipped, with the reason.
#
# ENVIRONMENT
#	CVSS_NPM_DIR		where ae-cvss-calculator is installed
#	CVSS_NPM_COUNT		vectors per version and seed (default 10000)
#	CVSS_RANDOM_SEED	the second seed of this run; random by default,
#				"no" runs the fixed seed only. Set it to the
#				seed a failed run printed to replay that run.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib.sh"

AE_VERSION=1.0.13
FIXED_SEED=20261129
COUNT=${CVSS_NPM_COUNT:-10000}
BATCH=1000

tap_init
[ -x "$SECTICKET" ] || tap_bail "secticket not built"

# ---------------------------------------------------------------- setup
command -v node >/dev/null 2>&1 || tap_skip_all "node not found (contrib/quickstart deps installs nodejs)"
command -v npm >/dev/null 2>&1 || tap_skip_all "npm not found (contrib/quickstart deps installs npm)"

npm_dir=${CVSS_NPM_DIR:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/secmilter-test/npm}
if ! mkdir -p "$npm_dir" 2>/dev/null || [ ! -w "$npm_dir" ]; then
	npm_dir=/var/tmp/secmilter-npm-$(id -u)
	mkdir -p "$npm_dir" || tap_skip_all "no writable npm cache directory"
fi
ae_dir=$npm_dir/node_modules/ae-cvss-calculator

# ae_installed - the pinned version is in the cache
ae_installed() {
	[ -f "$ae_dir/package.json" ] &&
	    grep -q "\"version\": *\"$AE_VERSION\"" "$ae_dir/package.json"
}

if ! ae_installed; then
	# Two test runs may share the cache: one installs, the other waits.
	(
		command -v flock >/dev/null 2>&1 && flock -w 300 9
		ae_installed ||
		    timeout 300 npm install --no-audit --no-fund --fetch-retries=1 \
			--prefix "$npm_dir" "ae-cvss-calculator@$AE_VERSION" \
			>"$npm_dir/install.log" 2>&1
	) 9>"$npm_dir/.lock"
	if ! ae_installed; then
		why=$(sed -n 's/^npm error code //p' "$npm_dir/install.log" 2>/dev/null | head -n 1)
		tap_skip_all "npm install ae-cvss-calculator@$AE_VERSION failed (no network?): ${why:-see $npm_dir/install.log}"
	fi
fi

work=$(mktemp -d /tmp/secmilter-cvss.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

tap_diag "ae-cvss-calculator $AE_VERSION in $npm_dir, node $(node --version)"

# ---------------------------------------------------------------- random vectors

# compare_run VERSION SEED - one TAP line: COUNT vectors, both implementations
compare_run() {
	local ver=$1 seed=$2 f=$work/$1-$2 n got want bad
	if ! node "$top_srcdir/tests/cvss/cvss_random.js" "$ae_dir" "$ver" "$seed" "$COUNT" \
	    >"$f.ae" 2>"$f.node"; then
		_tap_result 1 "$COUNT CVSS:$ver vectors match ae-cvss-calculator exactly (seed $seed)"
		tap_diag "cvss_random.js failed:"
		tap_diag "$(head -n 5 "$f.node")"
		return
	fi
	cut -f1 "$f.ae" >"$f.vec"
	cut -f2,3 "$f.ae" | tr '\t' ' ' >"$f.want"

	# Batches: 20 processes instead of 10,000.
	xargs -n "$BATCH" "$SECTICKET" cvss <"$f.vec" >"$f.got" 2>"$f.err"
	n=$(wc -l <"$f.vec")
	got=$(wc -l <"$f.got")
	if [ -s "$f.err" ] || [ "$got" -ne "$n" ]; then
		_tap_result 1 "$n CVSS:$ver vectors match ae-cvss-calculator exactly (seed $seed)"
		tap_diag "secticket printed $got scores for $n valid vectors; stderr:"
		tap_diag "$(head -n 20 "$f.err")"
		return
	fi

	# VECTOR <TAB> ae <TAB> secticket, for the lines that differ.
	paste "$f.vec" "$f.want" "$f.got" | awk -F'\t' '$2 != $3' >"$f.diff"
	bad=$(wc -l <"$f.diff")
	cat "$f.got" >>"$work/all.got"
	if [ "$bad" -eq 0 ]; then
		_tap_result 0 "$n CVSS:$ver vectors match ae-cvss-calculator exactly (seed $seed)"
	else
		_tap_result 1 "$n CVSS:$ver vectors match ae-cvss-calculator exactly (seed $seed)"
		want=$(head -n 20 "$f.diff" | awk -F'\t' '{ printf "%s  ae: %s  secticket: %s\n", $1, $2, $3 }')
		tap_diag "$bad of $n differ (replay: CVSS_RANDOM_SEED=$seed); the first 20:"
		tap_diag "$want"
	fi
}

: >"$work/all.got"
seeds=$FIXED_SEED
case ${CVSS_RANDOM_SEED:-} in
no) ;;
'') seeds="$seeds $(((RANDOM * 32768 + RANDOM) % 4294967296))" ;;
*) seeds="$seeds $CVSS_RANDOM_SEED" ;;
esac
tap_diag "seeds: $seeds ($COUNT vectors per version and seed)"
for seed in $seeds; do
	compare_run 3.1 "$seed"
	compare_run 4.0 "$seed"
done

# Every severity word secticket printed belongs to the band of its score.
wrong=$(awk '{
	t = int($1 * 10 + 0.5)
	want = t <= 0 ? "none" : t <= 39 ? "low" : t <= 69 ? "medium" : t <= 89 ? "high" : "critical"
	if ($2 != want) print $0 " (want " want ")"
}' "$work/all.got" | sort -u | head -n 20)
tap_is "$wrong" "" "the severity words follow the bands (0 none, 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical)"
tap_diag "band edges seen: $(grep -Ex '(0\.0|0\.1|3\.9|4\.0|6\.9|7\.0|8\.9|9\.0|10\.0) [a-z]+' "$work/all.got" | sort -u -n | tr '\n' ',' | sed 's/,$//; s/,/, /g')"

# ---------------------------------------------------------------- malformed vectors
b31=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
b40=CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N

# shown NAME - the vector as the error shows it: controls and runs of
# white space as one space, none at either end.
shown() {
	printf '%s' "$1" | tr '\001-\037\177' ' ' | tr -s ' ' | sed 's/^ //; s/ $//'
}

# bad_vector DESC VECTOR - exit 65, one line on stderr naming the vector
bad_vector() {
	local out err rc name
	out=$("$SECTICKET" cvss "$2" 2>"$work/bad.err")
	rc=$?
	err=$(cat "$work/bad.err")
	name=$(shown "$2")
	if [ "$rc" -eq 65 ] && [ -z "$out" ] &&
	    [ "$(wc -l <"$work/bad.err")" -eq 1 ] &&
	    ! LC_ALL=C grep -q '[[:cntrl:]]' "$work/bad.err" &&
	    case $err in *"invalid vector \"$name\": "?*) true ;; *) false ;; esac; then
		_tap_result 0 "rejected, $1"
	else
		_tap_result 1 "rejected, $1"
		tap_diag "vector: $(printf '%q' "$2")"
		tap_diag "exit $rc (want 65), stdout '$out'"
		tap_diag "stderr: '$err'"
		tap_diag "want: secticket: cvss: invalid vector \"$name\": <reason>"
	fi
}

bad_vector "unknown metric" "$b31/XX:N"
bad_vector "a v3.1 metric in a v4.0 vector" "$b40/MS:X"
bad_vector "duplicate metric" "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
bad_vector "duplicate optional metric" "$b40/E:A/E:A"
bad_vector "missing base metric S" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H"
bad_vector "missing base metric AT" "CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
bad_vector "bad value X for a base metric" "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
bad_vector "bad value S for MSC" "$b40/MSC:S"
bad_vector "metric without a value" "$b31/E"
bad_vector "prefix CVSS:3.0" "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
bad_vector "prefix CVSS:2" "CVSS:2/AV:N/AC:L/Au:N/C:P/I:P/A:P"
bad_vector "a v2 vector without prefix" "AV:N/AC:L/Au:N/C:P/I:P/A:P"
bad_vector "empty vector" ""
bad_vector "prefix only" "CVSS:4.0/"
bad_vector "trailing slash" "$b31/"
bad_vector "two slashes in a row" "CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
bad_vector "lowercase vector" "cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h"
bad_vector "lowercase value" "$b40/U:red"
bad_vector "space inside" "CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
bad_vector "leading space" " $b31"
bad_vector "control character" "CVSS:3.1/AV:N$(printf '\001')/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
bad_vector "escape sequence" "$b40$(printf '\033[2J')"
bad_vector "embedded newline" "$b31
$b31"

# A bad vector among good ones: the good ones are still scored.
out=$("$SECTICKET" cvss "$b31" "$b31/" "$b40" 2>"$work/mixed.err")
tap_is "$?:$(printf '%s' "$out" | tr '\n' '|')" "65:9.8 critical|9.3 critical" \
	"a bad vector among good ones: exit 65, the good ones scored"
tap_like "$(cat "$work/mixed.err")" "invalid vector \"$b31/\"" "and the error names the bad one"

tap_done
