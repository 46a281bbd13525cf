#!/usr/bin/env bash
# npm test: every suite of the project, bootstrapping what is missing.
#
#   1. host:      lab/setup (Debian packages, the kernel matrix) and
#                 scripts/setup-prebuild.sh, npm ci, build (ABI, addon with
#                 cmake-js, TypeScript); the kernel's build quality (W=1 and
#                 sparse on every kernel, checkpatch, uapi header); jest
#                 unit + native + package suites (the addon built a second
#                 time with node-gyp and loaded, so the two builds cannot
#                 drift; the npm tarball installed without a compiler, its
#                 arm64 binary under qemu)
#   2. kselftest: the kernel selftests in the lab VM, on every kernel in
#                 VNET_TEST_KERNELS (default "5.10 6.1 6.12 7")
#   3. install:   make install and dkms-install in each kernel's toolchain,
#                 then modprobe in a guest of that kernel (every kernel)
#   4. e2e:       the installed CLIs against the real module in the lab, on
#                 6.1 and the newest kernel (VNET_E2E_KERNELS, default
#                 "6.1 7"; only those in VNET_TEST_KERNELS, else its last)
#   5. fault:     the fault matrix under a pktgen flood (test/fault, 6.1)
#   6. fuzz:      the ioctl, genl and rtnl fuzzers (test/fuzz, 6.1), with
#                 a fixed seed (VNET_FUZZ_SEED) so that CI is repeatable
#   7. bench:     a smoke run of `npm run bench` (bench/run.js --smoke, 6.1:
#                 one round, small counts): every case runs and gives sane
#                 figures; nothing is asserted on time
#   (debug:       the selftests, fault matrix and fuzzers on the debug
#                 kernel, scripts/test-debug.sh: not in the default set)
#
# Each suite reports "N passed, N failed"; the last line printed is the
# total in that form.  Exit status 0 only if nothing failed and every
# suite ran.  VNET_TEST_SUITES limits what runs (e.g. "host kselftest"),
# VNET_TEST_KERNELS which kernels (e.g. "6.1").
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

suites=${VNET_TEST_SUITES:-host kselftest install e2e fault fuzz bench}
kernels=${VNET_TEST_KERNELS:-5.10 6.1 6.12 7}
export VNET_TEST_KERNELS=$kernels   # (test/kernel/*.sh read it too)
e2e_kernels=
for k in ${VNET_E2E_KERNELS:-6.1 7}; do
	[[ " $kernels " == *" $k "* ]] && e2e_kernels+=" $k"
done
[[ -n $e2e_kernels ]] || e2e_kernels=${kernels##* }
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

install_suite() {
	say "install: make install, dkms, modprobe on $kernels"
	run_counted "install" "$logdir/install.log" bash test/kernel/install.sh
}

fault() {
	say "fault matrix in the lab (6.1, 2 vCPUs)"
	run_counted "fault" "$logdir/fault.log" bash test/fault/run-lab.sh
}

fuzz() {
	local seed=${VNET_FUZZ_SEED:-20261129}
	say "fuzzers in the lab (6.1, seed $seed)"
	run_counted "fuzz" "$logdir/fuzz.log" bash test/fuzz/run-lab.sh --seed "$seed"
}

bench_smoke() {
	say "bench smoke run in the lab (6.1: one round, small counts)"
	run_counted "bench smoke" "$logdir/bench.log" node bench/run.js --smoke
}

debug_lane() {
	say "debug-kernel lane (KASAN, kmemleak, lockdep)"
	run_counted "debug" "$logdir/debug.log" bash scripts/test-debug.sh
}

e2e() {
	local k
	for k in $e2e_kernels; do
		say "e2e in the lab on $k"
		run_counted "e2e $k" "$logdir/e2e-$k.log" bash test/e2e/run-lab.sh --kernel "$k"
	done
}

if ! bootstrap; then
	broken bootstrap "setup or build failed"
else
	for s in $suites; do
		case $s in
		host) host_suites ;;
		kselftest) kselftests ;;
		install) install_suite ;;
		fault) fault ;;
		fuzz) fuzz ;;
		debug) debug_lane ;;
		bench) bench_smoke ;;
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
