#!/bin/sh
# rmmod while every device is up, attached or looping, and flooded from
# both sides: must complete, remove every device and leave the slaves
# working (run.sh also fails the test on any kernel warning).
. "$(dirname "$0")/../lib.sh"
need ip ping

test_cleanup() {
	ip link del vethb0 2>/dev/null
}

vnet_reload numdevs=3
topo_veth
vnet_attach_canonical
ip link add vethb0 type veth peer name vethb1
ip link set vethb0 up
ip link set vethb1 up
check_errno "vnet2 relays to vethb0 in time mode" 0 "$VNET_GENL" set vnet2 mode=time arg1=5 arg2=5 slave=vethb0
ip link set vnet2 up
ip link set vnet1 up
check_errno "vnet1 loopback in percent mode" 0 "$VNET_GENL" set vnet1 mode=percent arg1=50
ip link add vtest0 type vnet
ip link set vtest0 up
sleep 1

bg "$PKTLOOP" send vnet0 count=4000000 size=60 > /dev/null 2>&1
bg "$PKTLOOP" send vnet1 count=4000000 size=60 > /dev/null 2>&1
bg "$PKTLOOP" send vnet2 count=4000000 size=60 > /dev/null 2>&1
bg "$PKTLOOP" send vtest0 count=4000000 size=1000 > /dev/null 2>&1
bg ip netns exec $PEER ping -f -q -w 120 $VNET_IP > /dev/null 2>&1
bg ip netns exec $PEER "$PKTLOOP" send veth1 count=4000000 dst="$(dev_mac veth0)" > /dev/null 2>&1
sleep 3
check_gt "vnet0 is relaying" 0 "$(ethtool_stat vnet0 tx_packets)"
check_gt "vnet1 is looping" 0 "$(ethtool_stat vnet1 tx_packets)"
check_gt "vnet0 is receiving the peer's flood" 0 "$(ethtool_stat vnet0 rx_packets)"

check_ok "rmmod vnet under traffic" timeout 120 rmmod vnet
for d in vnet0 vnet1 vnet2 vtest0; do
	check_eq "$d removed" no "$(dev_exists $d && echo yes || echo no)"
done
check_eq "module gone" no "$([ -d /sys/module/vnet ] && echo yes || echo no)"
for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
BG_PIDS=""
check_ok "veth0 survives" ip link show dev veth0
ip route flush cache 2>/dev/null
check_ok "peer still reaches the slave's own address" \
	ip netns exec $PEER ping -c 3 -W 5 $HOST_IP
check_ok "vethb0 survives" ip link show dev vethb0

check_ok "module loads again" modprobe vnet link=veth0
check_match "vnet0@veth0 after reload" 'vnet0@veth0' "$(ip link show dev vnet0)"
check_ok "rmmod idle" rmmod vnet
ksft_done
