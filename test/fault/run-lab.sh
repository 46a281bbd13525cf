#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fault matrix, from the HOST: build the selftest clients, boot the lab
# once (2 vCPUs) and run test/fault/tests/*.sh in it with the selftests'
# runner (TAP, time limit, kernel-log check after every case).
#
#	test/fault/run-lab.sh [--kernel VER] [--iter N] [--rmmod-iter N]
#	                      [--stress-seconds S] [PATTERN...]
#
# Defaults: 20 iterations per case, 50 for rmmod, 60 s of control-plane
# stress.  The last line is "N passed, N failed".
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LABARGS="--smp 2"
ITER=20 RMMOD_ITER=50 STRESS_S=60
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) LABARGS="$LABARGS $1 $2"; shift 2 ;;
	--iter) ITER=$2; shift 2 ;;
	--rmmod-iter) RMMOD_ITER=$2; shift 2 ;;
	--stress-seconds) STRESS_S=$2; shift 2 ;;
	--help|-h) sed -n '3,12p' "$0"; exit 0 ;;
	*) break ;;
	esac
done

make -s -C "$ROOT/test/kselftest" 2>&1 | grep -v "statically linked\|in function" >&2
[ -x "$ROOT/test/kselftest/build/vnet_genl" ] || { echo "fault: build failed"; echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp /tmp/vnet-fault-lab.XXXXXX)
cd "$ROOT" || exit 2
# shellcheck disable=SC2086
{ LAB_TIMEOUT=${LAB_TIMEOUT:-3600} lab/run $LABARGS -- /usr/bin/env \
	FAULT_ITER="$ITER" FAULT_RMMOD_ITER="$RMMOD_ITER" FAULT_STRESS_S="$STRESS_S" \
	VNET_KSFT_TIMEOUT=1200 test/kselftest/run.sh --dir test/fault/tests "$@" 2>&1
  echo $? > "$log.rc"; } | tee "$log"
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
