#!/bin/sh
# Module parameters: numdevs, ifname, link (present and missing), debug;
# what a freshly loaded device looks like (kind, driver, NOARP, no slave).
. "$(dirname "$0")/../lib.sh"
need ip ethtool modprobe rmmod dmesg

# --- defaults: one device "vnet0", loopback mode
vnet_reload
check_eq "default load creates vnet0" yes "$(dev_exists vnet0 && echo yes || echo no)"
check_eq "default load creates only one device" no "$(dev_exists vnet1 && echo yes || echo no)"
check_match "ip -d link reports kind vnet" '"info_kind":"vnet"' "$(ip -d -j link show dev vnet0)"
check_match "ip -d link (text) shows vnet" '^ +vnet( |$)' "$(ip -d link show dev vnet0)"
check_match "ethtool -i says driver vnet" '^driver: vnet$' "$(ethtool -i vnet0 2>&1)"
check_eq "loopback-mode device has IFF_NOARP" 1 "$(dev_noarp vnet0)"
mac=$(dev_mac vnet0)
check_match "vnet0 has a unicast, non-zero MAC" '^[0-9a-f][02468ace]:' "$mac"
check_ne "vnet0 MAC is not all zeros" 00:00:00:00:00:00 "$mac"
check_errno "GET on a fresh device" 0 "$VNET_IOCTL" vnet0 get
check_eq "fresh device has no slave" "" "$(kv name)"
check_eq "fresh device is in pass mode" 0 "$(kv mode)"

# --- numdevs
vnet_reload numdevs=3
for d in vnet0 vnet1 vnet2; do
	check_eq "numdevs=3 creates $d" yes "$(dev_exists $d && echo yes || echo no)"
done
check_eq "numdevs=3 creates no vnet3" no "$(dev_exists vnet3 && echo yes || echo no)"
check_ne "vnet0 and vnet1 have different MACs" "$(dev_mac vnet0)" "$(dev_mac vnet1)"

# --- ifname
vnet_reload numdevs=2 ifname=ksft%d
check_eq "ifname=ksft%d creates ksft0" yes "$(dev_exists ksft0 && echo yes || echo no)"
check_eq "ifname=ksft%d creates ksft1" yes "$(dev_exists ksft1 && echo yes || echo no)"
check_eq "ifname=ksft%d creates no vnet0" no "$(dev_exists vnet0 && echo yes || echo no)"
check_match "ksft0 is a vnet device" '"info_kind":"vnet"' "$(ip -d -j link show dev ksft0)"

# --- debug
vnet_reload debug=1
check_eq "debug=1 loads" yes "$(dev_exists vnet0 && echo yes || echo no)"

# --- link=MISSING: load fails with ENODEV and says why
vnet_unload
echo "vnet-ksft: link=missing probe" > /dev/kmsg
run modprobe vnet link=ksftnodev0
CHECKS=$((CHECKS + 1))
if [ "$RC" -ne 0 ]; then pass "modprobe vnet link=ksftnodev0 fails"; else fail "modprobe vnet link=ksftnodev0 succeeded"; fi
check_match "modprobe reports ENODEV" 'No such device' "$OUT"
check_eq "module not loaded after failed load" no "$([ -d /sys/module/vnet ] && echo yes || echo no)"
kmsg=$(dmesg | sed -n '/vnet-ksft: link=missing probe/,$p')
check_match "dmesg names the missing link device" 'ksftnodev0' "$kmsg"

# load_refused WHAT PARAMS...: modprobe vnet PARAMS fails (not kmod's
# "already loaded" success), the module is not left loaded, and the
# kernel log says WHAT was wrong.
load_refused() {
	__lr_what=$1
	shift
	vnet_unload
	echo "vnet-ksft: probe $*" > /dev/kmsg
	run modprobe vnet "$@"
	CHECKS=$((CHECKS + 1))
	if [ "$RC" -ne 0 ]; then
		pass "modprobe vnet $* fails (status $RC)"
	else
		fail "modprobe vnet $* exited 0"
	fi
	check_eq "$*: module not loaded" no "$([ -d /sys/module/vnet ] && echo yes || echo no)"
	check_match "$*: the log says why" "$__lr_what" \
		"$(dmesg | sed -n "/vnet-ksft: probe $*/,\$p")"
}

# --- a name that is taken: not "success" (kmod reads EEXIST as loaded)
modprobe dummy numdummies=0 2>/dev/null
ip link add vnet0 type dummy
load_refused 'vnet0.*(exists|taken|in use)' ifname=vnet0
ip link del vnet0
load_refused 'lo.*(exists|taken|in use)' ifname=lo

# --- names made of digits only ("%d" alone gives "0")
load_refused 'ifname' ifname=%d
load_refused 'ifname' ifname=123

# --- link= without a device to attach
topo_veth
load_refused 'link=.*numdevs' numdevs=0 link=veth0

# --- link=veth0: vnet0 attached at load
vnet_reload numdevs=2 link=veth0
check_match "ip link shows vnet0@veth0" 'vnet0@veth0' "$(ip link show dev vnet0)"
check_errno "GET vnet0 after link=veth0" 0 "$VNET_IOCTL" vnet0 get
check_eq "slave is veth0" veth0 "$(kv name)"
check_eq "mode is pass" 0 "$(kv mode)"
check_eq "vnet0 took veth0's MAC" "$(dev_mac veth0)" "$(dev_mac vnet0)"
check_eq "attached vnet0 has ARP on" 0 "$(dev_noarp vnet0)"
check_errno "GET vnet1" 0 "$VNET_IOCTL" vnet1 get
check_eq "link= only attaches vnet0" "" "$(kv name)"
check_eq "vnet1 stays NOARP" 1 "$(dev_noarp vnet1)"

# --- rmmod while attached leaves the slave working
check_ok "rmmod with an attached device" rmmod vnet
check_eq "vnet0 gone after rmmod" no "$(dev_exists vnet0 && echo yes || echo no)"
check_eq "veth0 survives rmmod" yes "$(dev_exists veth0 && echo yes || echo no)"
check_ok "peer still reaches veth0 after rmmod" ip netns exec $PEER ping -c 2 -W 5 $HOST_IP
check_ok "module loads again with link=veth0" modprobe vnet link=veth0
check_match "vnet0@veth0 again" 'vnet0@veth0' "$(ip link show dev vnet0)"

ksft_done
