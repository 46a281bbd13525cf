#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The two halves of test/kernel/install.sh (see there):
#
#	install-steps.sh build OUT SRC	in the kernel's toolchain (lab/toolchain
#					--scratch: KVER and KDIR are set)
#	install-steps.sh guest OUT	in a lab guest of that kernel, --no-module
#
# Prints "ok - ..." / "not ok - ..." lines.
set -u

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
step() {	# step DESC CMD...: CMD's output is shown only if it fails
	d=$1
	shift
	if so=$("$@" 2>&1); then
		ok "$d"
	else
		notok "$d"
		printf '%s\n' "$so" | tail -n 15 | sed 's/^/#   /'
		return 1
	fi
}

# keep_install DIR MODULE: the installed module and depmod's output as
# they are under /lib/modules/$KVER, into DIR at the same path.
keep_install() {
	[ -f "$2" ] || return 1
	mkdir -p "$1/lib/modules/$KVER"
	cp --parents "$2" "$1" &&
		cp -a "/lib/modules/$KVER"/modules.* "$1/lib/modules/$KVER/"
}

build() {
	out=$1 src=$2 mods=/lib/modules/$KVER
	rm -rf "$out"
	mkdir -p "$out"

	# make install: extra/vnet.ko, then depmod
	if step "$KVER: make -C kernel install" make -C "$src" install KVER="$KVER"; then
		f=$(modinfo -k "$KVER" -F filename vnet 2>&1)
		case $f in
		"$mods"/extra/vnet.ko*) ok "$KVER: modinfo finds the installed module ($f)" ;;
		*) notok "$KVER: modinfo finds the installed module: got '$f'" ;;
		esac
		vm=$(modinfo -k "$KVER" -F vermagic vnet 2>&1)
		case $vm in
		"$KVER "*) ok "$KVER: its vermagic is the kernel's" ;;
		*) notok "$KVER: its vermagic is the kernel's: got '$vm'" ;;
		esac
		keep_install "$out/make" "$f"
		# (gone again, so that what follows is dkms's alone)
		rm -f "$f"
		depmod -a "$KVER"
	fi

	# make dkms-install: dkms add, dkms build, dkms install; again (an
	# upgrade in place: the module is added already)
	if step "$KVER: make -C kernel dkms-install (dkms add, build, install)" \
			make -C "$src" dkms-install KVER="$KVER" &&
		step "$KVER: make -C kernel dkms-install again (upgrade in place)" \
			make -C "$src" dkms-install KVER="$KVER"; then
		st=$(dkms status -m vnet -v 0.1.0 -k "$KVER" 2>&1)
		case $st in
		*installed*) ok "$KVER: dkms status says installed" ;;
		*) notok "$KVER: dkms status says installed: got '$st'" ;;
		esac
		f=$(modinfo -k "$KVER" -F filename vnet 2>&1)
		case $f in
		"$mods"/*/vnet.ko*) ok "$KVER: modinfo finds dkms's module ($f)" ;;
		*) notok "$KVER: modinfo finds dkms's module: got '$f'" ;;
		esac
		keep_install "$out/dkms" "$f"
	fi
}

# In the guest: each install, as made, under this kernel's /lib/modules,
# then plain modprobe, as after a reboot.
guest() {
	out=$1 kver=$(uname -r) mods=/lib/modules/$(uname -r)
	mkdir -p /tmp/orig
	cp -a "$mods"/modules.* /tmp/orig/
	for kind in make dkms; do
		if [ ! -d "$out/$kind$mods" ]; then
			notok "$kver: $kind: nothing was installed"
			continue
		fi
		cp -a "$out/$kind$mods/." "$mods/"
		f=$(cd "$out/$kind" && find ".$mods" -name 'vnet.ko*' | sed 's/^\.//')
		step "$kver: $kind: modprobe vnet" modprobe vnet || continue
		step "$kver: $kind: vnet0 exists" ip link show vnet0
		want=$(modinfo -F srcversion "$f")
		got=$(cat /sys/module/vnet/srcversion 2>&1)
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			ok "$kver: $kind: the loaded module is $f"
		else
			notok "$kver: $kind: the loaded module is $f: srcversion '$got', file '$want'"
		fi
		step "$kver: $kind: ip link add type vnet" ip link add ksft0 type vnet
		step "$kver: $kind: rmmod vnet" rmmod vnet
		rm -f "$f"
		cp -a /tmp/orig/. "$mods/"
	done
}

case ${1:-} in
build) build "$2" "$3" ;;
guest) guest "$2" ;;
*) echo "usage: $0 build OUT SRC | guest OUT" >&2; exit 2 ;;
esac
