#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the fuzzers from the HOST: build them and the selftest clients, boot
# the lab once and run test/fuzz/run.sh in it.
#
#	test/fuzz/run-lab.sh [--kernel VER] [--seed N] [--duration SECONDS]
#	                     [--ioctl N] [--genl N] [--rtnl N]
#
# The seed is printed first; the same seed (on the same kernel) replays the
# same requests.  The counts are each fuzzer's minimum (test/fuzz/run.sh).
# The last line is "N passed, N failed".
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LABARGS=""
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel|--smp) LABARGS="$LABARGS $1 $2"; shift 2 ;;
	--help|-h) sed -n '3,9p' "$0"; exit 0 ;;
	*) break ;;
	esac
done

make -s -C "$HERE" 2>&1 | grep -v "statically linked\|in function" >&2
make -s -C "$ROOT/test/kselftest" 2>&1 | grep -v "statically linked\|in function" >&2
[ -x "$HERE/build/vnet_fuzz" ] || { echo "fuzz: build failed"; echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp /tmp/vnet-fuzz-lab.XXXXXX)
cd "$ROOT" || exit 2
# shellcheck disable=SC2086
{ LAB_TIMEOUT=${LAB_TIMEOUT:-3600} lab/run $LABARGS -- test/fuzz/run.sh "$@" 2>&1; echo $? > "$log.rc"; } |
	tee "$log"
rc=$(cat "$log.rc" 2>/dev/null)
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
rm -f "$log" "$log.rc"
echo
if [ -n "$summary" ]; then
	echo "$summary"
else
	echo "0 passed, 1 failed (no summary from the guest; lab/run exit ${rc:-?})"
	rc=1
fi
exit "${rc:-1}"
