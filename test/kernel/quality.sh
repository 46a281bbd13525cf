#!/usr/bin/env bash
# Kernel build quality, on the host (no module is loaded):
#   - a W=1 build with zero warnings against every kernel of the matrix
#     (VNET_TEST_KERNELS, default "5.10 6.1 6.12 7"), each with its own
#     toolchain (lab/toolchain: the host for 6.1/6.12, the release's
#     chroot for 5.10 and 7.x)
#   - sparse (C=2) with zero warnings against the same
#   - checkpatch --strict clean (make -C kernel style)
#   - the uapi header compiles alone as C90 and as C++17 after <net/if.h>
# Prints one line per check and ends with "N passed, N failed".
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=$root/.lab-cache/quality
kernels=${VNET_TEST_KERNELS:-5.10 6.1 6.12 7}
mkdir -p "$cache"
pass=0
fail=0

check() {	# check NAME LOGFILE: $? of the previous command decides
	local rc=$? name=$1 log=$2
	if ((rc == 0)); then
		echo "ok - $name"
		pass=$((pass + 1))
	else
		echo "not ok - $name"
		sed 's/^/#   /' "$log" | tail -n 20
		fail=$((fail + 1))
	fi
}

# warning-free NAME LOG: the build log must have no warning or error line
warning_free() {
	! grep -qE '(warning|error|WARNING|ERROR):' "$2"
}

for k in $kernels; do
	src=$cache/$k
	rm -rf "$src" && cp -r "$root/kernel" "$src"
	rm -f "$src/compat-autoconf.h"

	log=$cache/$k-w1.log
	# (the kernel's version, as the build saw it, names the check)
	"$root/lab/toolchain" --kernel "$k" -- sh -c 'echo "kernel $KVER"; make -C "$1" KDIR="$KDIR" W=1 modules' \
		_ "$src" >"$log" 2>&1 && warning_free w1 "$log"
	check "W=1 build with no warning against $(sed -n 's/^kernel //p' "$log" | head -n 1) ($k)" "$log"

	log=$cache/$k-sparse.log
	"$root/lab/toolchain" --kernel "$k" -- sh -c 'make -C "$1" KDIR="$KDIR" clean >/dev/null && make -C "$1" KDIR="$KDIR" check' \
		_ "$src" >"$log" 2>&1 && warning_free sparse "$log" && grep -q '  CHECK ' "$log"
	check "sparse (C=2) clean against $k" "$log"
done

# checkpatch ships inside Debian's linux-source tarball: take it out once.
cp_dir=$cache/checkpatch
if [[ ! -x $cp_dir/scripts/checkpatch.pl ]]; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	if [[ -n $tarball ]]; then
		mkdir -p "$cp_dir"
		top=$(basename "$tarball" .tar.xz)
		tar -xJf "$tarball" -C "$cp_dir" --strip-components=1 \
			"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
			"$top/scripts/const_structs.checkpatch" 2>/dev/null
	fi
fi
log=$cache/checkpatch.log
make -C "$root/kernel" style CHECKPATCH="$cp_dir/scripts/checkpatch.pl" >"$log" 2>&1 &&
	! grep -qE '^(WARNING|ERROR|CHECK):' "$log"
check "checkpatch --strict clean" "$log"

hdr=$root/kernel/include/uapi/linux/vnet.h
log=$cache/uapi.log
printf '#include <net/if.h>\n#include "%s"\nint main(void) { return sizeof(struct vnet_relay_info) != 28; }\n' "$hdr" >"$cache/uapi.c"
{ gcc -std=c90 -pedantic -Wall -Wextra -Werror "$cache/uapi.c" -o "$cache/uapi-c" && "$cache/uapi-c"; } >"$log" 2>&1
check "uapi header: C90, alone after <net/if.h>, struct is 28 bytes" "$log"
{ g++ -std=c++17 -Wall -Wextra -Werror -x c++ "$cache/uapi.c" -o "$cache/uapi-cxx" && "$cache/uapi-cxx"; } >"$log" 2>&1
check "uapi header: C++17 after <net/if.h>" "$log"

echo "$pass passed, $fail failed"
((fail == 0))
