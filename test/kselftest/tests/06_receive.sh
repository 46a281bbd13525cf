#!/bin/sh
# The canonical topology: veth0 (10.0.0.1) <-> veth1 (10.0.0.100, netns
# peer); vnet0 relays to veth0 with 10.0.0.2.  The peer reaches both
# 10.0.0.2 (through vnet0) and 10.0.0.1 (the slave, which keeps working);
# vnet0 receives only ARP/IPv4 for its own addresses, and nothing while
# it is down.
. "$(dirname "$0")/../lib.sh"
need ip ping

vnet_reload
topo_veth
vnet_attach_canonical
veth0_mac=$(dev_mac veth0)
check_eq "vnet0 shares veth0's MAC" "$veth0_mac" "$(dev_mac vnet0)"
wait_oper vnet0
check_errno "RESET vnet0" 0 "$VNET_IOCTL" vnet0 reset

# --- the peer pings vnet0's address
check_eq "peer -> 10.0.0.2: 5 of 5 replies" 5 "$(ping_count $PEER $VNET_IP 5)"
rx=$(ethtool_stat vnet0 rx_packets)
tx=$(ethtool_stat vnet0 tx_packets)
check_ge "vnet0 received the echo requests" 5 "$rx"
check_ge "vnet0 sent the echo replies" 5 "$tx"
check_eq "peer resolved 10.0.0.2 to veth0's MAC" "$veth0_mac" "$(peer_neigh_mac $VNET_IP)"

# --- the slave's own address keeps answering, without vnet0 receiving it
check_eq "peer -> 10.0.0.1: 5 of 5 replies" 5 "$(ping_count $PEER $HOST_IP 5)"
check_eq "peer resolved 10.0.0.1 to veth0's MAC" "$veth0_mac" "$(peer_neigh_mac $HOST_IP)"
rx2=$(ethtool_stat vnet0 rx_packets)
# At most an ARP refresh for 10.0.0.2 may have arrived meanwhile.
check_range "echo requests to 10.0.0.1 were not delivered on vnet0" \
	"$rx" $((rx + 2)) "$rx2"

# --- the host reaches the peer through vnet0 (ARP over the relay)
check_eq "host -> 10.0.0.100 via vnet0: 3 of 3 replies" 3 "$(ping_count - $PEER_IP 3)"
peer_mac=$(ip netns exec $PEER cat /sys/class/net/veth1/address)
check_eq "host resolved the peer on vnet0" "$peer_mac" \
	"$(neigh_mac - vnet0 $PEER_IP)"

# --- non-IP frames from the peer go to the slave, not to vnet0
rx=$(ethtool_stat vnet0 rx_packets)
out=/tmp/vnet-ksft-06-recv
: > $out
bg "$PKTLOOP" recv veth0 count=100 timeout_ms=30000 idle_ms=3000 > $out 2>&1
wait_line $out '^ready' 100
ip netns exec $PEER "$PKTLOOP" send veth1 count=100 dst="$veth0_mac" >/dev/null
wait_line $out '^seq_hash=' 350
check_eq "raw frames to veth0's MAC reached veth0" 100 "$(kv received "$(cat $out)")"
rx2=$(ethtool_stat vnet0 rx_packets)
check_range "raw frames were not delivered on vnet0" "$rx" $((rx + 2)) "$rx2"

# --- vnet0 down: everything goes to the slave
ip link set vnet0 down
rx=$(ethtool_stat vnet0 rx_packets)
v0=$(sysfs_stat veth0 rx_packets)
check_eq "vnet0 down: peer -> 10.0.0.1 still 5 of 5" 5 "$(ping_count $PEER $HOST_IP 5)"
ping_count $PEER $VNET_IP 3 >/dev/null
check_eq "vnet0 down: it received nothing" "$rx" "$(ethtool_stat vnet0 rx_packets)"
check_ge "vnet0 down: veth0 received the peer's packets" $((v0 + 8)) "$(sysfs_stat veth0 rx_packets)"

# --- and up again
ip link set vnet0 up
ip route replace $PEER_IP/32 dev vnet0 src $VNET_IP
wait_oper vnet0
check_eq "vnet0 up again: peer -> 10.0.0.2 5 of 5" 5 "$(ping_count $PEER $VNET_IP 5)"
check_gt "vnet0 up again: it receives" "$rx" "$(ethtool_stat vnet0 rx_packets)"

# --- a second address added later is served too (inetaddr notifier)
ip addr add 10.0.0.3/32 dev vnet0
check_eq "peer -> 10.0.0.3 (added while up): 3 of 3" 3 "$(ping_count $PEER 10.0.0.3 3)"
check_eq "peer resolved 10.0.0.3 to veth0's MAC" "$veth0_mac" "$(peer_neigh_mac 10.0.0.3)"
ip addr del 10.0.0.3/32 dev vnet0
rx=$(ethtool_stat vnet0 rx_packets)
ping_count $PEER 10.0.0.3 2 >/dev/null
check_range "removed address no longer delivered on vnet0" "$rx" $((rx + 2)) "$(ethtool_stat vnet0 rx_packets)"

rm -f $out
ksft_done
