#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the vnet selftests from the HOST: build the clients, boot the lab VM
# once and run test/kselftest/run.sh inside it.
#
#	test/kselftest/run-lab.sh [--kernel VER] [--smp N] [PATTERN...]
#
# Prints the guest's TAP and repeats the final "N passed, N failed" line;
# exits with the guest's status (non-zero if any test failed).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LABARGS=""
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel|--smp) LABARGS="$LABARGS $1 $2"; shift 2 ;;
	--kernel=*|--smp=*) LABARGS="$LABARGS $1"; shift ;;
	--help|-h) sed -n '3,9p' "$0"; exit 0 ;;
	*) break ;;
	esac
done

make -s -C "$HERE" 2>&1 | grep -v "statically linked applications" |
	grep -v "in function" >&2
[ -x "$HERE/build/vnet_genl" ] || { echo "run-lab: build failed" >&2; exit 2; }

ADDS=""
for b in $(make -s -C "$HERE" list); do
	ADDS="$ADDS --add $b"
done

log=$(mktemp /tmp/vnet-ksft-lab.XXXXXX)
cd "$ROOT" || exit 2
# shellcheck disable=SC2086
{ lab/run $LABARGS $ADDS -- test/kselftest/run.sh "$@" 2>&1; echo $? > "$log.rc"; } |
	tee "$log"
rc=$(cat "$log.rc" 2>/dev/null)
rc=${rc:-1}
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
rm -f "$log" "$log.rc"
echo
if [ -n "$summary" ]; then
	echo "$summary"
else
	echo "0 passed, 1 failed (no summary from the guest; lab/run exit $rc)"
	[ "$rc" -eq 0 ] && rc=1
fi
exit "$rc"
