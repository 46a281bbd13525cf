#!/usr/bin/env bash
# npm test: every suite of the project, bootstrapping what is missing.
#
#   1. host:      lab/setup and scripts/setup-prebuild.sh (Debian packages),
#                 npm ci, build (ABI, addon with cmake-js, TypeScript); the
#                 kernel's build quality (W=1 and sparse on 6.1 and 6.12,
#                 checkpatch, uapi header); jest unit + native + package
#                 suites (the addon built a second time with node-gyp and
#                 loaded, so the two builds cannot drift; the npm tarball
#                 installed without a compiler, its arm64 binary under qemu)
#   2. kselftest: the kernel selftests in the lab VM, on every kernel in
#                 VNET_TEST_KERNELS (default "6.1 6.12")
#   3. e2e:       the installed CLIs against the real module in the lab
#
# Each suite reports "N passed, N failed"; the last line printed is the
# total in that form.  Exit status 0 only if nothing failed and every
# suite ran.  VNET_TEST_SUITES limits what runs (e.g. "host kselftest").
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

suites=${VNET_TEST_SUITES:-host kselftest e2e}
kernels=${VNET_TEST_KERNELS:-6.1 6.12}
logdir=${VNET_TEST_LOGDIR:-$root/.lab-cache/test-logs}
mkdir -p "$logdir"

total_pass=0
total_fail=0
summary=()

say() { printf '\n==== %s ====\n' "$*"; }

# record NAME PASSED FAILED
record() {
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	summary+=("$(printf '%-28s %s passed, %s failed' "$1" "$2" "$3")")
}

# A suite that could not run at all counts as one failure.
broken() {
	echo "test-all: $1: $2" >&2
	record "$1" 0 1
}

# run_counted NAME LOG CMD...: run CMD, take its last "N passed, N failed".
run_counted() {
	local name=$1 log=$2 line p f
	shift 2
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ -z $line ]]; then
		broken "$name" "no summary line (exit $rc); log: $log"
		return
	fi
	p=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
	f=$(sed -E 's/^.* ([0-9]+) failed.*/\1/' <<<"$line")
	if ((rc != 0 && f == 0)); then
		f=1
		echo "test-all: $name exited $rc with no failed test: counted as one failure" >&2
	fi
	record "$name" "$p" "$f"
}

bootstrap() {
	say "bootstrap"
	bash lab/setup || return 1
	bash scripts/setup-prebuild.sh || return 1
	if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
		# exactly the lockfile; its "prepare" script builds everything
		npm ci --no-audit --no-fund || return 1
	else
		npm run --silent build || return 1
	fi
}

host_suites() {
	say "host: kernel build quality (W=1, sparse, checkpatch, uapi header)"
	run_counted "kernel quality" "$logdir/kernel-quality.log" bash test/kernel/quality.sh
	say "host: jest (unit + native + package)"
	run_counted "host jest" "$logdir/jest-host.log" node scripts/jest-summary.js test/unit test/native test/package
}

kselftests() {
	local k
	for k in $kernels; do
		say "kselftest on $k"
		run_counted "kselftest $k" "$logdir/kselftest-$k.log" \
			bash test/kselftest/run-lab.sh --kernel "$k"
	done
}

e2e() {
	say "e2e in the lab"
	run_counted "e2e" "$logdir/e2e.log" bash test/e2e/run-lab.sh
}

if ! bootstrap; then
	broken bootstrap "setup or build failed"
else
	for s in $suites; do
		case $s in
		host) host_suites ;;
		kselftest) kselftests ;;
		e2e)
			if [[ -f test/e2e/run-lab.sh ]]; then e2e
			else broken e2e "test/e2e/run-lab.sh is missing"; fi ;;
		*) broken "$s" "unknown suite" ;;
		esac
	done
fi

say "summary"
printf '%s\n' "${summary[@]}"
echo "${total_pass} passed, ${total_fail} failed"
((total_fail == 0))
