#!/usr/bin/env bash
# test/e2e/run-lab.sh: the end-to-end suite, from the HOST.
#
#   bash test/e2e/run-lab.sh [--kernel VER] [JEST ARGS...]
#
# Builds what is missing or stale and installs the package as a user would
# (test/e2e/install.sh: npm pack + npm install -g into build/e2e-prefix),
# type-checks the suite, then boots the lab VM ONCE and runs jest on
# test/e2e/*.test.ts inside it, as root, with the installed bin directory
# first on PATH.  The last line printed is "N passed, N failed"; the exit
# status is non-zero if anything failed (a lab failure, e.g. a kernel
# WARNING in dmesg, counts as one failure).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 2

labargs=()
while (($#)); do
	case $1 in
	--kernel | --smp) labargs+=("$1" "$2"); shift 2 ;;
	--kernel=* | --smp=*) labargs+=("$1"); shift ;;
	-h | --help) sed -n '2,12p' "$0"; exit 0 ;;
	*) break ;;
	esac
done

fail_line() { echo "e2e: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

t0=$SECONDS
bindir=$(bash test/e2e/install.sh | tail -n 1) || fail_line "build or install failed"
[[ -x $bindir/vnetconfig ]] || fail_line "no installed vnetconfig in '$bindir'"

# Type-check on the host (the guest only transpiles, for speed).
if ! node_modules/.bin/tsc -p test/e2e/tsconfig.json; then
	fail_line "test/e2e does not type-check"
fi
echo "e2e: installed and type-checked in $((SECONDS - t0)) s; booting the lab" >&2

log=$(mktemp /tmp/vnet-e2e.XXXXXX)
trap 'rm -f "$log" "$log.rc"' EXIT
# The guest's PATH is fixed by lab/guest-init: put the installed bin dir first.
guest_path="$bindir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
{
	lab/run "${labargs[@]}" -- /usr/bin/env PATH="$guest_path" VNET_E2E=1 \
		node scripts/jest-summary.js --config test/e2e/jest.config.js "$@" 2>&1
	echo $? > "$log.rc"
} | tee "$log"
rc=$(cat "$log.rc" 2>/dev/null)
rc=${rc:-1}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
echo "e2e: lab/run exit $rc after $((SECONDS - t0)) s" >&2
if [[ -z $line ]]; then
	echo "0 passed, 1 failed"
	exit 1
fi
passed=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
failed=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
if ((rc != 0 && failed == 0)); then
	echo "e2e: lab/run exited $rc with no failed test (kernel log problem?): counted as one failure" >&2
	failed=1
fi
echo "$passed passed, $failed failed"
((failed == 0 && rc == 0))
