#!/usr/bin/env bash
# scripts/setup-prebuild.sh: what packaging and its tests need beyond
# lab/setup, from Debian packages.  Idempotent: returns at once when all is
# there.  Called by npm test's bootstrap (scripts/test-all.sh) and npm run demo.
#
#   cmake, g++             build the addon (npm ci's "prepare", prebuilds/linux-x64)
#   g++-aarch64-linux-gnu  cross-compiles prebuilds/linux-arm64 (scripts/prebuild.js)
#   qemu-user-static       runs arm64 node on this machine (test/package)
#   mmdebstrap             fetches that node: Debian's arm64 nodejs package
#   dkms                   vnet-module's DKMS path (test/package)
#
# The arm64 node: Debian trixie's nodejs (20.x: the Node.js the package
# supports; bookworm's is 18) and the libraries it needs, extracted
# (nothing is configured or run) into .lab-cache/arm64-sysroot; run it as
#   qemu-aarch64-static -L .lab-cache/arm64-sysroot .lab-cache/arm64-sysroot/usr/bin/node
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sysroot=$root/.lab-cache/arm64-sysroot
PKGS=(cmake g++ g++-aarch64-linux-gnu qemu-user-static mmdebstrap dkms)

log() { echo "setup-prebuild: $*" >&2; }

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $st == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
	[[ $(id -u) == 0 ]] || { log "must run as root to install: ${missing[*]}"; exit 1; }
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >&2 || {
		log "apt-get update"
		apt-get update -q -o Dpkg::Use-Pty=0 >&2
		apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >&2
	}
fi

if [[ ! -x $sysroot/usr/bin/node || ! -e $sysroot/.complete ]]; then
	log "Debian trixie's arm64 nodejs into ${sysroot#"$root"/} (mmdebstrap --variant=extract)"
	mkdir -p "$(dirname "$sysroot")"
	tmp=$(mktemp -d "$sysroot.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	mmdebstrap --quiet --variant=extract --architectures=arm64 --include=nodejs \
		trixie "$tmp" http://deb.debian.org/debian >&2
	# the extract variant leaves out the merged-/usr links the loader path needs
	for d in lib bin sbin; do [[ -e $tmp/$d ]] || ln -s "usr/$d" "$tmp/$d"; done
	touch "$tmp/.complete"
	rm -rf "$sysroot"
	mv "$tmp" "$sysroot"
	trap - EXIT
fi
