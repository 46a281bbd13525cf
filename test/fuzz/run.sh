#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run vnet's three fuzzers INSIDE the lab guest, as root and as an
# unprivileged user, then check that the kernel is fine.
#
#	test/fuzz/run.sh [--seed N] [--duration SECONDS] [--ioctl N] [--genl N] [--rtnl N]
#
# Each fuzzer runs at least its count (default ioctl 100000, genl 100000,
# rtnl 20000, as root; a tenth of ioctl and genl again as nobody), in
# rounds (seed, seed+1, ...) until --duration has passed.  Afterwards: no
# WARNING/BUG/KASAN/refcount line in the kernel log, no more than a few
# kernel log lines at all (nothing an unprivileged user can flood), ECHO,
# SET, GET and looped traffic still work.  Prints the fuzzers' counts and
# "N passed, N failed"; exit 1 if anything failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
KSFT=$HERE/../kselftest/build
FUZZ=$HERE/build/vnet_fuzz
SEED=${VNET_FUZZ_SEED:-$(( $(date +%s) % 1000000 ))}
DURATION=0
N_IOCTL=${VNET_FUZZ_IOCTL:-100000}
N_GENL=${VNET_FUZZ_GENL:-100000}
N_RTNL=${VNET_FUZZ_RTNL:-20000}
BAD='WARNING:|BUG:|Oops|refcount_t|unregister_netdevice: waiting|KASAN|UBSAN|general protection|kernel BUG|list_add corruption|list_del corruption|kmemleak|INFO: task .* blocked|possible recursive locking|circular locking|suspicious RCU'

while [ $# -gt 0 ]; do
	case $1 in
	--seed) SEED=$2; shift 2 ;;
	--duration) DURATION=$2; shift 2 ;;
	--ioctl) N_IOCTL=$2; shift 2 ;;
	--genl) N_GENL=$2; shift 2 ;;
	--rtnl) N_RTNL=$2; shift 2 ;;
	*) echo "usage: run.sh [--seed N] [--duration S] [--ioctl N] [--genl N] [--rtnl N]" >&2; exit 2 ;;
	esac
done

passed=0 failed=0
check() {   # check DESC CMD...
	local d=$1
	shift
	if "$@"; then
		passed=$((passed + 1)); echo "ok - $d"
	else
		failed=$((failed + 1)); echo "not ok - $d"
	fi
}

echo "fuzz: seed $SEED, duration ${DURATION}s, kernel $(uname -r)"
rmmod vnet 2>/dev/null
modprobe vnet numdevs=2 || { echo "0 passed, 1 failed"; exit 1; }
modprobe veth; modprobe dummy numdummies=0; modprobe macvlan
ip link add veth0 type veth peer name veth1
ip link add dummy0 type dummy
ip link add link veth1 name macvlan0 type macvlan
for d in veth0 veth1 dummy0 vnet0 vnet1; do ip link set "$d" up; done
DEVS="vnet0 vnet1 lo veth0 veth1 dummy0 macvlan0 nosuch0 fz0 fz1 fz2"

marker="vnet-fuzz: start $SEED $$"
echo "$marker" > /dev/kmsg
t0=$(date +%s)
round=0
out=$(mktemp /tmp/vnet-fuzz.XXXXXX)
# one_run NAME COUNT [PREFIX...]: a fuzzer, its lines kept, failure noted
one_run() {
	local what=$1 n=$2 t=$(date +%s)
	shift 2
	"$@" "$FUZZ" "$what" $((SEED + round)) "$n" $DEVS > "$out" 2>&1
	local rc=$?
	sed "s/^/  /" "$out"
	echo "  ${what}_seconds=$(( $(date +%s) - t ))"
	[ $rc -eq 0 ]
}
while :; do
	priv="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --"
	check "round $round: ioctl fuzzer as root (seed $((SEED + round)))" one_run ioctl "$N_IOCTL"
	check "round $round: ioctl fuzzer as nobody" one_run ioctl $((N_IOCTL / 10)) $priv
	check "round $round: genl fuzzer as root" one_run genl "$N_GENL"
	check "round $round: genl fuzzer as nobody" one_run genl $((N_GENL / 10)) $priv
	check "round $round: rtnl fuzzer as root" one_run rtnl "$N_RTNL"
	round=$((round + 1))
	[ $(( $(date +%s) - t0 )) -lt "$DURATION" ] || break
done
echo "fuzz: $round round(s) in $(( $(date +%s) - t0 )) s"
rm -f "$out"

# --- the kernel afterwards
log=$(dmesg | sed -n "/$marker/,\$p" | sed 1d)
nlines=$(printf '%s' "$log" | grep -c .)
# The netlink core's own warnings about malformed attributes ("attribute
# type N has an invalid length", "N bytes leftover after parsing
# attributes") are printed by the core's parser before any family sees
# the request, for every family, and are rate-limited there (10 per 5 s
# per call site, then "callbacks suppressed"): counted, shown, not vnet's.
CORE='\] netlink: |(validate_nla|__nla_validate_parse|nla_[a-z_]*): [0-9]+ callbacks suppressed'
ncore=$(printf '%s\n' "$log" | grep -Ec "$CORE")
nown=$((nlines - ncore))
echo "fuzz: kernel log lines during the run: $nlines ($ncore from the netlink core's rate-limited parser)"
printf '%s\n' "$log" | grep -Ev "$CORE" | head -20 | sed 's/^/  | /'
printf '%s\n' "$log" | grep -E "$CORE" | head -5 | sed 's/^/  | core: /'
check "no WARNING/BUG/KASAN/lockdep/refcount line in the kernel log" \
	sh -c "! printf '%s\n' \"\$1\" | grep -Eq '$BAD'" _ "$log"
check "no log flooding: at most 20 kernel log lines of vnet's or any other source but the netlink core's rate-limited parser ($nown)" [ "$nown" -le 20 ]
check "ECHO still works" sh -c "'$KSFT/vnet_genl' echo still-alive | grep -q '^msg=still-alive$'"
check "SET still works" "$KSFT/vnet_ioctl" vnet0 set "" percent 100
check "GET still works" sh -c "'$KSFT/vnet_genl' get vnet0 | grep -q '^mode=1$'"
ip link set vnet0 up
check "looped traffic still flows" sh -c \
	"'$KSFT/pktloop' loop vnet0 count=200 | grep -q '^received=200$'"
check "rmmod vnet" rmmod vnet

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
