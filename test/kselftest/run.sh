#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the vnet selftests INSIDE the lab guest and print kselftest TAP.
#
#	test/kselftest/run.sh [--dir DIR] [PATTERN...]
#
# Runs tests/NN_*.sh, or DIR/NN_*.sh (only those whose name contains a
# PATTERN, if any),
# each with a time limit, and fails a test whose run left a kernel
# WARNING/BUG/Oops/refcount/"unregister_netdevice: waiting" line in dmesg.
# Ends with "N passed, N failed[, N skipped]"; exits 1 if any test failed.

DIR=$(cd "$(dirname "$0")" && pwd)
TESTS=$DIR/tests
# --dir DIR: run DIR/NN_*.sh instead (the fault suite, test/fault)
if [ "${1:-}" = --dir ]; then
	TESTS=$(cd "$2" && pwd)
	shift 2
fi
TIMEOUT=${VNET_KSFT_TIMEOUT:-300}
BAD_DMESG='WARNING:|BUG:|Oops|refcount_t|unregister_netdevice: waiting|KASAN|UBSAN|general protection|kernel BUG|list_add corruption|list_del corruption|INFO: task .* blocked'

tests=""
for t in "$TESTS"/[0-9]*.sh; do
	name=$(basename "$t" .sh)
	if [ $# -gt 0 ]; then
		sel=0
		for p in "$@"; do
			case "$name" in *"$p"*) sel=1 ;; esac
		done
		[ $sel -eq 1 ] || continue
	fi
	tests="$tests $t"
done

# Busybox sh (built with FEATURE_SH_STANDALONE, as Debian's is) runs its
# own applets (ip, ping, tc...) ahead of $PATH: run the tests with bash when
# the guest has it, so that "ip" is iproute2.  The tests are POSIX sh.
KSFT_SH=sh
command -v bash >/dev/null 2>&1 && KSFT_SH=bash
export KSFT_SH

TIMEOUT_CMD=""
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT_CMD="timeout $TIMEOUT"
	timeout -k 1 5 true 2>/dev/null && TIMEOUT_CMD="timeout -k 10 $TIMEOUT"
fi

n=0
for t in $tests; do n=$((n + 1)); done

echo "TAP version 13"
echo "# vnet selftests on kernel $(uname -r) ($(uname -m))"
echo "1..$n"

i=0 passed=0 failed=0 skipped=0
tmp=$(mktemp -d /tmp/vnet-ksft.XXXXXX)
for t in $tests; do
	i=$((i + 1))
	name=$(basename "$t" .sh)
	marker="vnet-ksft: start $name $$"
	echo "$marker" > /dev/kmsg 2>/dev/null
	echo "# ---- $name"
	start=$(date +%s)
	# Output to a file, not a pipe: a process the test leaves behind (or one
	# stuck in the kernel) must not keep the runner waiting for EOF.
	$TIMEOUT_CMD $KSFT_SH "$t" > "$tmp/out" 2>&1 < /dev/null
	echo $? > "$tmp/rc"
	sed 's/^/# /' "$tmp/out"
	rc=$(cat "$tmp/rc" 2>/dev/null)
	rc=${rc:-1}
	took=$(( $(date +%s) - start ))
	echo "# $name: exit $rc after ${took}s"

	# A shell error inside a test (bad arithmetic, missing command...)
	# means a check did not run: that is a failure, not a pass.
	sherr=$(grep -E '(\.sh|^sh|^bash): (line [0-9]+: )?.*(syntax error|arithmetic|bad substitution|unbound variable|command not found|not found$|integer expression expected)' "$tmp/out")
	if [ -n "$sherr" ] && [ "$rc" -eq 0 ]; then
		echo "# shell errors in $name: a check did not run"
		rc=1
	fi

	kmsg=$(dmesg 2>/dev/null | sed -n "/$marker/,\$p" | grep -E "$BAD_DMESG")
	if [ -n "$kmsg" ]; then
		echo "# kernel complained during $name:"
		printf '%s\n' "$kmsg" | sed 's/^/#   /'
		[ "$rc" -eq 4 ] && rc=1
		[ "$rc" -eq 0 ] && rc=1
	fi

	case "$rc" in
	0)
		passed=$((passed + 1))
		echo "ok $i $name"
		;;
	4)
		skipped=$((skipped + 1))
		reason=$(grep '^SKIP: ' "$tmp/out" 2>/dev/null | tail -n 1 | sed 's/^SKIP: //')
		echo "ok $i $name # SKIP ${reason:-skipped}"
		;;
	*)
		failed=$((failed + 1))
		case "$rc" in
		124|143) echo "# $name timed out after ${TIMEOUT}s" ;;
		esac
		echo "not ok $i $name"
		;;
	esac
done
rm -rf "$tmp"

summary="$passed passed, $failed failed"
[ $skipped -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ $failed -eq 0 ]
