#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# INSIDE a debug-kernel guest (lab/run --kernel debug): run a suite, then
# look for what only a debug kernel sees.
#
#	test/debug/guest.sh SUITE-COMMAND [ARG]...
#
# Before: kmemleak forgets what boot left.  After: vnet is unloaded,
# kmemleak scans (twice: an object must stay unreferenced across scans)
# and must report nothing; the kernel log must have no lockdep, KASAN,
# DEBUG_OBJECTS, sleep-in-atomic or refcount report (lab/run checks
# WARNING/BUG lines too).  Prints the suite's output, then its own checks
# and a final "N passed, N failed" that adds them to the suite's.
set -u
KML=/sys/kernel/debug/kmemleak
BAD='WARNING:|BUG:|Oops|KASAN|ODEBUG|possible recursive locking|circular locking|suspicious RCU usage|sleeping function called from invalid context|refcount_t|unregister_netdevice: waiting|list_add corruption|list_del corruption'

[ -w $KML ] || { echo "not a debug kernel: no $KML"; echo "0 passed, 1 failed"; exit 1; }
echo "debug: kernel $(uname -r)"
echo clear > $KML
marker="vnet-debug: start $$"
echo "$marker" > /dev/kmsg

out=$(mktemp /tmp/vnet-debug.XXXXXX)
"$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
passed=$(echo "${line:-0 passed, 1 failed}" | sed -E 's/^([0-9]+) passed.*/\1/')
failed=$(echo "${line:-0 passed, 1 failed}" | sed -E 's/.* ([0-9]+) failed.*/\1/')
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
rm -f "$out"

check() {   # check DESC CMD...
	local d=$1
	shift
	if "$@"; then passed=$((passed + 1)); echo "ok - debug: $d"
	else failed=$((failed + 1)); echo "not ok - debug: $d"; fi
}

[ -d /sys/module/vnet ] && rmmod vnet
check "vnet unloads at the end" test ! -d /sys/module/vnet
echo scan > $KML
sleep 5
echo scan > $KML
leaks=$(grep -c '^unreferenced object' $KML)
echo "debug: kmemleak after rmmod vnet: $leaks unreferenced object(s)"
head -c 4000 $KML | sed 's/^/  | /'
check "kmemleak finds nothing after rmmod vnet ($leaks)" [ "$leaks" -eq 0 ]
log=$(dmesg | sed -n "/$marker/,\$p")
reports=$(printf '%s\n' "$log" | grep -Ec "$BAD")
printf '%s\n' "$log" | grep -E "$BAD" | head -20 | sed 's/^/  | /'
check "no lockdep/KASAN/DEBUG_OBJECTS/atomic-sleep report ($reports)" [ "$reports" -eq 0 ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
