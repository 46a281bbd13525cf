#!/usr/bin/env bash
# The module installed the ways a sysadmin installs it, on every kernel of
# the matrix (VNET_TEST_KERNELS, default "5.10 6.1 6.12 7"):
#   1. in that kernel's toolchain (lab/toolchain --scratch: the host, or
#      the release's chroot, is left as it was): make -C kernel install,
#      then make -C kernel dkms-install (dkms add, build, install), twice
#      (an upgrade);
#      modinfo must find each installed module for that kernel
#   2. in a lab guest of that kernel, without the lab's own module: each
#      install's files as made (the module and depmod's output) under
#      /lib/modules, then a plain "modprobe vnet": vnet0 appears, the
#      module loaded is the installed file, rmmod works
# Ends with "N passed, N failed".
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 2
kernels=${VNET_TEST_KERNELS:-5.10 6.1 6.12 7}
cache=$root/.lab-cache/install
steps=test/kernel/install-steps.sh
pass=0
fail=0

count() {	# count LOG RC: tally its ok/not ok lines; no line or rc != 0 fails
	local n m
	n=$(grep -c '^ok - ' "$1")
	m=$(grep -c '^not ok - ' "$1")
	if ((m == 0 && $2 != 0)); then
		echo "not ok - $3 exited $2"
		m=1
	fi
	pass=$((pass + n))
	fail=$((fail + m))
}

for k in $kernels; do
	work=$cache/$k
	rm -rf "$work" && mkdir -p "$work"
	cp -r kernel "$work/src"
	rm -f "$work/src/compat-autoconf.h"
	log=$work/build.log
	lab/toolchain --kernel "$k" --scratch -- sh "$steps" build "$work/out" "$work/src" >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$log" $rc "install in the $k toolchain"

	log=$work/guest.log
	lab/run --kernel "$k" --no-module --add "$work/out" -- sh "$steps" guest "$work/out" >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$log" $rc "modprobe in a $k guest"
done

echo "$pass passed, $fail failed"
((fail == 0))
