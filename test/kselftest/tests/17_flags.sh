#!/bin/sh
# Attach and detach change only the flags they mean to (IFF_NOARP): the
# counted IFF_PROMISC/IFF_ALLMULTI bits that tcpdump and multicast users
# hold are not turned into the admin's own flags, so nothing stays
# promiscuous after tcpdump exits; and the admin's own promisc/allmulticast
# settings survive mode changes.
. "$(dirname "$0")/../lib.sh"
need ip tcpdump

# promiscuity DEV / allmulti DEV: the counters "ip -d link" shows.
promiscuity() {
	ip -d link show dev "$1" | sed -n 's/.* promiscuity \([0-9]*\).*/\1/p'
}
allmulti() {
	ip -d link show dev "$1" | sed -n 's/.* allmulti \([0-9]*\).*/\1/p'
}
# flag_set DEV BIT: 1 if the IFF_ bit (hex) is in /sys/class/net/DEV/flags.
flag_set() {
	echo $(( ($(cat /sys/class/net/$1/flags) & $2) != 0 ))
}
IFF_PROMISC=0x100
IFF_ALLMULTI=0x200

# switch_modes: attach, change mode, detach, attach, detach.
switch_modes() {
	"$VNET_IOCTL" vnet0 set veth0 pass >/dev/null || fail "attach"
	"$VNET_IOCTL" vnet0 set veth0 percent 50 >/dev/null || fail "percent"
	"$VNET_IOCTL" vnet0 set "" pass >/dev/null || fail "detach"
	"$VNET_IOCTL" vnet0 set veth0 time 10 10 >/dev/null || fail "attach (time)"
	"$VNET_IOCTL" vnet0 set "" pass >/dev/null || fail "detach"
}

vnet_reload
topo_veth
ip link set vnet0 up
check_eq "start: promiscuity 0" 0 "$(promiscuity vnet0)"

# --- tcpdump while the mode changes
out=/tmp/vnet-ksft-17-tcpdump
bg tcpdump -i vnet0 -n -w /dev/null > $out 2>&1
wait_line $out 'listening on' 100 || fail "tcpdump did not start"
check_eq "tcpdump running: promiscuity 1" 1 "$(promiscuity vnet0)"
switch_modes
check_eq "tcpdump running, after mode changes: promiscuity 1" 1 "$(promiscuity vnet0)"
for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
BG_PIDS=""
check_eq "tcpdump stopped: promiscuity 0" 0 "$(promiscuity vnet0)"
check_eq "tcpdump stopped: no PROMISC flag" 0 "$(flag_set vnet0 $IFF_PROMISC)"
check_nomatch "ip link shows no PROMISC" 'PROMISC' "$(ip link show dev vnet0)"

# --- the same while attached at the start and at the end
"$VNET_IOCTL" vnet0 set veth0 pass >/dev/null
bg tcpdump -i vnet0 -n -w /dev/null > $out 2>&1
wait_line $out 'listening on' 100 || fail "tcpdump did not start"
"$VNET_IOCTL" vnet0 set "" pass >/dev/null
"$VNET_IOCTL" vnet0 set veth0 pass >/dev/null
for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
BG_PIDS=""
check_eq "attached, tcpdump stopped: promiscuity 0" 0 "$(promiscuity vnet0)"
"$VNET_IOCTL" vnet0 set "" pass >/dev/null

# --- the admin's own promisc and allmulticast survive mode changes
ip link set vnet0 promisc on
ip link set vnet0 allmulticast on
switch_modes
check_eq "admin promisc on kept: promiscuity 1" 1 "$(promiscuity vnet0)"
check_eq "admin promisc on kept: PROMISC flag" 1 "$(flag_set vnet0 $IFF_PROMISC)"
check_eq "admin allmulticast on kept" 1 "$(flag_set vnet0 $IFF_ALLMULTI)"
ip link set vnet0 promisc off
ip link set vnet0 allmulticast off
check_eq "admin promisc off: promiscuity 0" 0 "$(promiscuity vnet0)"
check_eq "admin allmulticast off: allmulti 0" 0 "$(allmulti vnet0)"
switch_modes
check_eq "after more mode changes: promiscuity 0" 0 "$(promiscuity vnet0)"
check_eq "after more mode changes: allmulti 0" 0 "$(allmulti vnet0)"

rm -f $out
ksft_done
