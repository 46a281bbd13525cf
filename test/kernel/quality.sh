#!/usr/bin/env bash
# Kernel build quality, on the host (no module is loaded):
#   - a W=1 build with zero warnings against every installed Debian cloud
#     kernel's headers (6.1 and 6.12)
#   - sparse (C=2) with zero warnings against the same
#   - checkpatch --strict clean (make -C kernel style)
#   - the uapi header compiles alone as C90 and as C++17 after <net/if.h>
# Prints one line per check and ends with "N passed, N failed".
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=$root/.lab-cache/quality
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

for build in /lib/modules/*/build; do
	kver=$(basename "$(dirname "$build")")
	[[ $kver =~ -cloud-amd64$ ]] || continue
	src=$cache/$kver
	rm -rf "$src" && cp -r "$root/kernel" "$src"

	log=$cache/$kver-w1.log
	make -C "$src" KDIR="$build" W=1 modules >"$log" 2>&1 && warning_free w1 "$log"
	check "W=1 build with no warning against $kver" "$log"

	log=$cache/$kver-sparse.log
	make -C "$src" KDIR="$build" clean >/dev/null 2>&1
	make -C "$src" KDIR="$build" check >"$log" 2>&1 && warning_free sparse "$log" &&
		grep -q '  CHECK ' "$log"
	check "sparse (C=2) clean against $kver" "$log"
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
