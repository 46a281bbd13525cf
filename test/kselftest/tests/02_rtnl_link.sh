#!/bin/sh
# rtnetlink: "ip link add NAME [link DEV] type vnet" and "ip link del" for
# created and load-time devices; the same slave checks as SET.
. "$(dirname "$0")/../lib.sh"
need ip

test_cleanup() {
	for d in vtest0 vtest1 vtest2 vtest3 vtest4; do
		ip link del $d 2>/dev/null
	done
}

vnet_reload
topo_veth

check_ok "ip link add vtest0 type vnet" ip link add vtest0 type vnet
check_match "vtest0 is kind vnet" '"info_kind":"vnet"' "$(ip -d -j link show dev vtest0)"
check_eq "vtest0 starts NOARP (loopback mode)" 1 "$(dev_noarp vtest0)"
check_errno "GET vtest0 by ioctl" 0 "$VNET_IOCTL" vtest0 get
check_eq "vtest0 has no slave" "" "$(kv name)"
run "$VNET_GENL" dump
check_match "netlink dump lists vtest0" '^ifname=vtest0$' "$OUT"
check_match "netlink dump lists vnet0" '^ifname=vnet0$' "$OUT"
check_eq "netlink dump has exactly the 2 vnet devices" 2 "$(kv count)"

check_ok "ip link add vtest1 link veth0 type vnet" ip link add vtest1 link veth0 type vnet
check_match "ip link shows vtest1@veth0" 'vtest1@veth0' "$(ip link show dev vtest1)"
check_errno "GET vtest1" 0 "$VNET_IOCTL" vtest1 get
check_eq "vtest1's slave is veth0" veth0 "$(kv name)"
check_eq "vtest1 took veth0's MAC" "$(dev_mac veth0)" "$(dev_mac vtest1)"
check_eq "vtest1 has ARP on" 0 "$(dev_noarp vtest1)"

check_ok "a second vnet on the same slave shares its port" \
	ip link add vtest2 link veth0 type vnet
check_match "vtest2@veth0" 'vtest2@veth0' "$(ip link show dev vtest2)"
check_ok "ip link del vtest2" ip link del vtest2
check_fails "vnet over another vnet is refused (ELOOP)" \
	ip link add vtest3 link vtest0 type vnet
check_eq "refused vtest3 does not exist" no "$(dev_exists vtest3 && echo yes || echo no)"
check_fails "vnet over lo is refused (not Ethernet)" \
	ip link add vtest4 link lo type vnet
check_eq "refused vtest4 does not exist" no "$(dev_exists vtest4 && echo yes || echo no)"
check_ok "ip link del vtest1" ip link del vtest1
check_eq "vtest1 gone" no "$(dev_exists vtest1 && echo yes || echo no)"
check_errno "attach vnet0 to veth0" 0 \
	"$VNET_IOCTL" vnet0 set veth0 pass
check_match "vnet0@veth0" 'vnet0@veth0' "$(ip link show dev vnet0)"

check_ok "ip link del vnet0 (load-time device, attached)" ip link del vnet0
check_eq "vnet0 gone" no "$(dev_exists vnet0 && echo yes || echo no)"
check_ok "veth0 usable by a new vnet after del" ip link add vtest1 link veth0 type vnet
check_ok "ip link del vtest1" ip link del vtest1
check_ok "ip link del vtest0" ip link del vtest0
run "$VNET_GENL" dump
check_eq "no vnet device left" 0 "$(kv count)"

check_ok "ip link add vtest0 type vnet (for rmmod)" ip link add vtest0 type vnet
check_ok "rmmod with a created device" rmmod vnet
check_eq "rmmod removed vtest0" no "$(dev_exists vtest0 && echo yes || echo no)"

ksft_done
