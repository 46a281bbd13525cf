#!/usr/bin/env bash
# The debug-kernel lane (npm run test:debug, or VNET_TEST_SUITES=debug):
# the kernel selftests, the fault matrix and the fuzzers, each in a guest
# of the debug kernel (lab/debug-kernel: KASAN, kmemleak, lockdep,
# DEBUG_OBJECTS, DEBUG_ATOMIC_SLEEP, refcount tracker; built once, ~15 min
# on two idle cores, cached), each followed by a kmemleak scan after rmmod
# and a check of the kernel log (test/debug/guest.sh).
#
#	scripts/test-debug.sh [selftests|fault|fuzz]...   (default: all three)
#
# Ends with "N passed, N failed" over the three.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

parts=${*:-selftests fault fuzz}
total_p=0 total_f=0
export LAB_TIMEOUT=${LAB_TIMEOUT:-7200}

lab/debug-kernel >/dev/null || { echo "test-debug: the debug kernel did not build"; echo "0 passed, 1 failed"; exit 1; }
make -s -C test/kselftest 2>&1 | grep -v "statically linked\|in function" >&2
make -s -C test/fuzz 2>&1 | grep -v "statically linked\|in function" >&2

one() {   # one NAME GUEST-COMMAND...
	local name=$1 log line p f
	shift
	log=$(mktemp /tmp/vnet-debug-lane.XXXXXX)
	echo "==== debug lane: $name"
	lab/run --kernel debug --smp 2 -- test/debug/guest.sh "$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${line:-0 passed, 1 failed}")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"${line:-0 passed, 1 failed}")
	((rc != 0 && f == 0)) && f=1
	total_p=$((total_p + p)) total_f=$((total_f + f))
	rm -f "$log"
}

for part in $parts; do
	case $part in
	selftests) one selftests /usr/bin/env VNET_KSFT_TIMEOUT=1800 test/kselftest/run.sh ;;
	fault) one fault /usr/bin/env FAULT_ITER=20 FAULT_RMMOD_ITER=50 FAULT_STRESS_S=60 \
		VNET_KSFT_TIMEOUT=3600 test/kselftest/run.sh --dir test/fault/tests ;;
	fuzz) one fuzz test/fuzz/run.sh --seed "${VNET_FUZZ_SEED:-20261129}" ;;
	*) echo "test-debug: unknown part $part" >&2; total_f=$((total_f + 1)) ;;
	esac
done
echo "${total_p} passed, ${total_f} failed"
((total_f == 0))
