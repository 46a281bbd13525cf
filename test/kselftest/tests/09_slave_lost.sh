#!/bin/sh
# Deleting the slave detaches cleanly: back to loopback mode (own MAC,
# NOARP), slave_lost +1, a SLAVE_LOST event; then again under traffic.
. "$(dirname "$0")/../lib.sh"
need ip ethtool

mon=/tmp/vnet-ksft-09-mon

vnet_reload
own=$(dev_mac vnet0)
topo_veth
vnet_attach_canonical
check_eq "attached: veth0's MAC" "$(dev_mac veth0)" "$(dev_mac vnet0)"
check_errno "RESET" 0 "$VNET_IOCTL" vnet0 reset

: > $mon
bg "$VNET_GENL" monitor 60000 > $mon 2>&1
wait_line $mon '^ready' 100 || fail "event monitor did not start"

# --- idle deletion
check_ok "ip link del veth0 (the slave)" timeout 60 ip link del veth0
check_eq "slave gone: own MAC back" "$own" "$(dev_mac vnet0)"
check_eq "slave gone: NOARP back" 1 "$(dev_noarp vnet0)"
check_nomatch "slave gone: no @veth0" 'vnet0@' "$(ip link show dev vnet0)"
check_errno "GET after slave loss" 0 "$VNET_IOCTL" vnet0 get
check_eq "slave gone: no slave" "" "$(kv name)"
check_eq "slave_lost counted once" 1 "$(ethtool_stat vnet0 slave_lost)"
run "$VNET_GENL" get vnet0
check_eq "netlink: slave_lost 1" 1 "$(kv slave_lost)"
check_nomatch "netlink: no slave reported" '^slave_(name|ifindex)=' "$OUT"
wait_line $mon '^event=slave_lost' 50
check_match "SLAVE_LOST event sent" '^event=slave_lost$' "$(cat $mon)"
ev=$(sed -n '/^event=slave_lost$/,/^$/p' $mon)
check_match "SLAVE_LOST event names vnet0" '^ifname=vnet0$' "$ev"
check_nomatch "SLAVE_LOST event shows no slave" '^slave_name=' "$ev"

# loopback mode works again
check_eq "vnet0 still up" 1 $(( $(cat /sys/class/net/vnet0/flags) & 1 ))
run "$PKTLOOP" loop vnet0 count=200 wait_ms=10000
check_eq "back in loopback mode: frames come back" 200 "$(kv received)"
ip netns del $PEER 2>/dev/null

# --- deletion under traffic, both directions
lost=$(ethtool_stat vnet0 slave_lost)
topo_veth
vnet_attach_canonical
check_eq "re-attached" "$(dev_mac veth0)" "$(dev_mac vnet0)"
bg "$PKTLOOP" send vnet0 count=4000000 size=60 > /dev/null 2>&1
bg ip netns exec $PEER ping -f -q -w 60 $VNET_IP > /dev/null 2>&1
bg ip netns exec $PEER "$PKTLOOP" send veth1 count=4000000 dst="$(dev_mac veth0)" > /dev/null 2>&1
sleep 3
tx=$(ethtool_stat vnet0 tx_packets)
check_gt "flood is flowing through vnet0" 0 "$tx"
check_ok "ip link del veth0 under traffic" timeout 60 ip link del veth0
check_eq "under traffic: own MAC back" "$own" "$(dev_mac vnet0)"
check_eq "under traffic: NOARP back" 1 "$(dev_noarp vnet0)"
check_eq "under traffic: slave_lost +1" $((lost + 1)) "$(ethtool_stat vnet0 slave_lost)"
run "$VNET_IOCTL" vnet0 get
check_eq "under traffic: no slave" "" "$(kv name)"
wait_line $mon '^event=slave_lost' 50
check_eq "two SLAVE_LOST events in all" 2 "$(grep -c '^event=slave_lost$' $mon)"
sleep 1
for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
BG_PIDS=""

check_ok "rmmod after slave loss" rmmod vnet
rm -f $mon
ksft_done
