#!/bin/sh
# Devices stacked on vnet0 can never become its slave: a macvlan or VLAN
# created on vnet0, a bridge that has vnet0 as a port, would make every
# frame circle vnet0 -> slave -> vnet0.  The slave is vnet0's lower device
# (sysfs upper_/lower_ links), so the core knows the stack; both SET paths
# refuse a loop with ELOOP and extack text.  A device stacked elsewhere
# keeps EBUSY, and a device that takes no receive handler (ipvlan) says so.
. "$(dirname "$0")/../lib.sh"
need ip

vnet_reload
topo_veth
modprobe macvlan 2>/dev/null
modprobe 8021q 2>/dev/null
modprobe bridge 2>/dev/null
modprobe ipvlan 2>/dev/null
modprobe bonding max_bonds=0 2>/dev/null

test_cleanup() {
	for d in mv0 vnet0.10 mvb br0 ipvl0 ksbond0 mvslave; do
		ip link del "$d" 2>/dev/null
	done
}

# --- the upper/lower relation is visible
check_errno "attach vnet0 to veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_ok "sysfs: veth0 has vnet0 as upper" test -e /sys/class/net/veth0/upper_vnet0
check_ok "sysfs: vnet0 has veth0 as lower" test -e /sys/class/net/vnet0/lower_veth0
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
check_fails "detached: no upper link left" test -e /sys/class/net/veth0/upper_vnet0
check_fails "detached: no lower link left" test -e /sys/class/net/vnet0/lower_veth0

# loop_refused NAME WHAT: vnet0 may not relay to NAME, on either path.
loop_refused() {
	check_errno "ioctl: vnet0 -> $1 ($2) is a loop" ELOOP \
		"$VNET_IOCTL" vnet0 set "$1" pass
	check_errno "netlink: vnet0 -> $1 ($2) is a loop" ELOOP \
		"$VNET_GENL" set vnet0 mode=pass slave="$1"
	# names both devices where the kernel formats extack text (6.2+)
	check_match "netlink: extack says it would loop" "stacked.*loop" \
		"$(kv extack)"
	check_eq "vnet0 still in loopback mode" "" "$(genl_stat vnet0 slave_name)"
}

# --- a macvlan on vnet0
check_ok "macvlan mv0 on vnet0" ip link add link vnet0 name mv0 type macvlan mode bridge
loop_refused mv0 "macvlan on vnet0"
ip link del mv0

# --- a VLAN on vnet0
check_ok "VLAN vnet0.10 on vnet0" ip link add link vnet0 name vnet0.10 type vlan id 10
loop_refused vnet0.10 "VLAN on vnet0"
ip link del vnet0.10

# --- a bridge with vnet0 as a port
check_ok "bridge br0" ip link add br0 type bridge
check_ok "vnet0 is a port of br0" ip link set vnet0 master br0
loop_refused br0 "bridge over vnet0"
ip link set vnet0 nomaster
ip link del br0

# --- stacked elsewhere: a bond port keeps EBUSY.  Not "bond0": a built-in
# bonding driver (the debug kernel's) creates that one at boot.
if ip link add ksbond0 type bond 2>/dev/null; then
	ip link set veth0 down
	check_ok "veth0 enslaved to ksbond0" ip link set veth0 master ksbond0
	check_errno "ioctl: a bond port is busy" EBUSY "$VNET_IOCTL" vnet0 set veth0 pass
	check_errno "netlink: a bond port is busy" EBUSY \
		"$VNET_GENL" set vnet0 mode=pass slave=veth0
	check_match "netlink: extack says it has a receive handler" "receive handler" \
		"$(kv extack)"
	ip link set veth0 nomaster
	ip link del ksbond0
	ip link set veth0 up
else
	check_ok "bonding module available" false
fi

# --- a macvlan's lower device keeps EBUSY
check_ok "macvlan mvslave on veth0" ip link add link veth0 name mvslave type macvlan
check_errno "ioctl: a macvlan's lower is busy" EBUSY "$VNET_IOCTL" vnet0 set veth0 pass
ip link del mvslave

# --- ipvlan devices take no receive handler: their own message
if ip link add link veth0 name ipvl0 type ipvlan mode l2 2>/dev/null; then
	check_errno "netlink: ipvlan cannot be a slave" EOPNOTSUPP \
		"$VNET_GENL" set vnet0 mode=pass slave=ipvl0
	check_nomatch "extack is not the busy-handler text" "already has a receive handler" \
		"$(kv extack)"
	check_match "extack says why" "ipvlan|VRF|no receive handler|cannot" "$(kv extack)"
	check_errno "ioctl: ipvlan cannot be a slave" EOPNOTSUPP \
		"$VNET_IOCTL" vnet0 set ipvl0 pass
	ip link del ipvl0
else
	check_ok "ipvlan module available" false
fi

# --- built after the attach: vnet0 relays to a macvlan on bridge br0; then
# making vnet0 a port of br0 would close the loop vnet0 -> mvb -> br0 ->
# vnet0.  The core refuses it because it knows the stack.
check_ok "bridge br0" ip link add br0 type bridge
check_ok "macvlan mvb on br0" ip link add link br0 name mvb type macvlan mode bridge
check_errno "attach vnet0 to mvb" 0 "$VNET_IOCTL" vnet0 set mvb pass
check_fails "vnet0 cannot become a port of br0 now" ip link set vnet0 master br0
check_eq "vnet0 still relays to mvb" mvb "$(genl_stat vnet0 slave_name)"
check_fails "vnet0 has no master" test -e /sys/class/net/vnet0/master
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
ip link del mvb
ip link del br0
check_errno "attach vnet0 to veth0 again" 0 "$VNET_IOCTL" vnet0 set veth0 pass

# --- the slave is released on every path: delete vnet0 while attached
check_ok "delete vnet0 while attached" ip link del vnet0
check_fails "no upper link left on veth0" test -e /sys/class/net/veth0/upper_vnet0
check_ok "veth0 takes a bridge now" ip link add br0 type bridge
check_ok "veth0 joins br0" ip link set veth0 master br0
ip link set veth0 nomaster

ksft_done
