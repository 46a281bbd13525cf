#!/bin/sh
# Rubini's own recipe (seed 001): the relay device carries the SAME
# address as its slave, and one host is routed through it:
#
#	ifconfig insane borea; route add morgana dev insane
#	insanely eth0 percent 60
#
# Here veth0 and vnet0 both have 10.0.0.1/24; the peer has 10.0.0.100
# (reached through the slave) and 10.0.0.200 (routed through vnet0).  In
# every mode, with vnet0 up or down, the slave's own traffic is untouched
# (it resolves its neighbours, sends and receives); only what the routing
# table sends through vnet0 meets the policy, and vnet0's own neighbour
# entries resolve.  Addresses only vnet0 has keep arriving on vnet0, and
# the split follows address changes on either device.
. "$(dirname "$0")/../lib.sh"
need ip ping

ROUTED=10.0.0.200
ONLY_VNET=10.0.0.2

vnet_reload
topo_veth
ip -n $PEER addr add $ROUTED/24 dev veth1
peer_mac=$(ip netns exec $PEER cat /sys/class/net/veth1/address)
veth0_mac=$(dev_mac veth0)

check_errno "attach vnet0 to veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
sysctl_w net.ipv4.conf.vnet0.rp_filter 0
ip addr add $HOST_IP/24 dev vnet0
ip link set vnet0 up
ip route add $ROUTED/32 dev vnet0
wait_oper vnet0

flush_neigh() {
	ip neigh flush dev veth0 2>/dev/null
	ip neigh flush dev vnet0 2>/dev/null
	ip -n $PEER neigh flush dev veth1 2>/dev/null
}

# slave_untouched WHAT: the slave's own traffic, from scratch (no neighbour
# entries anywhere): the host reaches 10.0.0.100 through veth0, and the peer
# reaches 10.0.0.1.
slave_untouched() {
	flush_neigh
	check_eq "$1: host -> $PEER_IP via the slave: 3 of 3" 3 \
		"$(ping_count - $PEER_IP 3)"
	check_eq "$1: the slave resolved $PEER_IP" "$peer_mac" \
		"$(neigh_mac - veth0 $PEER_IP)"
	check_eq "$1: peer -> $HOST_IP: 3 of 3" 3 \
		"$(ping_count $PEER $HOST_IP 3)"
	check_eq "$1: the peer resolved $HOST_IP" "$veth0_mac" \
		"$(peer_neigh_mac $HOST_IP)"
}

# --- pass: everything works, the routed host through vnet0
slave_untouched "pass"
flush_neigh
tx=$(ethtool_stat vnet0 tx_packets)
check_eq "pass: host -> $ROUTED via vnet0: 3 of 3" 3 "$(ping_count - $ROUTED 3)"
check_eq "pass: vnet0 resolved $ROUTED (its own ARP works)" "$peer_mac" \
	"$(neigh_mac - vnet0 $ROUTED)"
check_ge "pass: the echo requests went out through vnet0" $((tx + 3)) \
	"$(ethtool_stat vnet0 tx_packets)"
check_match "route to $ROUTED is through vnet0" "dev vnet0" \
	"$(ip route get $ROUTED)"
check_match "route to $PEER_IP is through the slave" "dev veth0" \
	"$(ip route get $PEER_IP)"

# --- percent 0 and a time window that never opens again: vnet0 drops all
for mode in "percent 0" "time 1 600000"; do
	check_errno "$mode: SET" 0 "$VNET_IOCTL" vnet0 set veth0 $mode
	slave_untouched "$mode"
	flush_neigh
	drops=$(genl_stat vnet0 tx_dropped)
	check_eq "$mode: host -> $ROUTED via vnet0: 0 of 3" 0 \
		"$(ping_count - $ROUTED 3 1)"
	check_gt "$mode: vnet0 dropped what was routed through it" "$drops" \
		"$(genl_stat vnet0 tx_dropped)"
done

# --- percent 100 again relays the routed host's traffic
check_errno "percent 100: SET" 0 "$VNET_IOCTL" vnet0 set veth0 percent 100
# from scratch: an entry still INCOMPLETE from the drops above may run out
# of probes (and fail the queued echo requests) whatever the policy now is
flush_neigh
check_eq "percent 100: host -> $ROUTED via vnet0: 3 of 3" 3 \
	"$(ping_count - $ROUTED 3)"

# --- vnet0 down: the slave still works alone
ip link set vnet0 down
slave_untouched "vnet0 down"
ip link set vnet0 up
ip route replace $ROUTED/32 dev vnet0
wait_oper vnet0

# --- an address only vnet0 has is delivered to vnet0, as before
check_errno "pass: SET" 0 "$VNET_IOCTL" vnet0 set veth0 pass
ip addr add $ONLY_VNET/32 dev vnet0
rx=$(ethtool_stat vnet0 rx_packets)
check_eq "peer -> $ONLY_VNET (vnet0's alone): 3 of 3" 3 \
	"$(ping_count $PEER $ONLY_VNET 3)"
check_ge "vnet0 received the echo requests for $ONLY_VNET" $((rx + 3)) \
	"$(ethtool_stat vnet0 rx_packets)"
ip addr del $ONLY_VNET/32 dev vnet0

# --- the shared address is the slave's: vnet0 does not receive it
rx=$(ethtool_stat vnet0 rx_packets)
check_eq "peer -> $HOST_IP (shared): 5 of 5" 5 "$(ping_count $PEER $HOST_IP 5)"
check_range "echo requests for the shared $HOST_IP stay on the slave" \
	"$rx" $((rx + 2)) "$(ethtool_stat vnet0 rx_packets)"

# --- the slave drops its copy of the address: now it is vnet0's alone
ip addr del $HOST_IP/24 dev veth0
rx=$(ethtool_stat vnet0 rx_packets)
ip -n $PEER neigh flush dev veth1
check_eq "slave lost $HOST_IP: peer -> $HOST_IP: 3 of 3" 3 \
	"$(ping_count $PEER $HOST_IP 3)"
check_ge "slave lost $HOST_IP: vnet0 received the echo requests" \
	$((rx + 3)) "$(ethtool_stat vnet0 rx_packets)"

# --- and takes it back: shared again, the slave's traffic again.  (The
# slave's prefix route now comes after vnet0's: re-adding vnet0's address
# puts the order back, as a sysadmin would.)
ip addr add $HOST_IP/24 dev veth0
ip addr del $HOST_IP/24 dev vnet0
ip addr add $HOST_IP/24 dev vnet0
ip route replace $ROUTED/32 dev vnet0
check_match "route to $PEER_IP is through the slave again" "dev veth0" \
	"$(ip route get $PEER_IP)"
slave_untouched "slave has $HOST_IP again"
rx=$(ethtool_stat vnet0 rx_packets)
check_eq "shared again: peer -> $HOST_IP: 5 of 5" 5 \
	"$(ping_count $PEER $HOST_IP 5)"
check_range "shared again: echo requests stay on the slave" \
	"$rx" $((rx + 2)) "$(ethtool_stat vnet0 rx_packets)"

# --- the kernel reports the slave's reverse-path filter (for tools to warn)
check_eq "GET: slave_rp_filter 0" 0 "$(genl_stat vnet0 slave_rp_filter)"
sysctl_w net.ipv4.conf.veth0.rp_filter 1
check_eq "GET: slave_rp_filter 1 (strict on the slave)" 1 \
	"$(genl_stat vnet0 slave_rp_filter)"
sysctl_w net.ipv4.conf.veth0.rp_filter 0
sysctl_w net.ipv4.conf.all.rp_filter 2
check_eq "GET: slave_rp_filter 2 (loose, from 'all')" 2 \
	"$(genl_stat vnet0 slave_rp_filter)"
# Strict filtering drops the replies from the routed host (they arrive on
# the slave while the route back is through vnet0): the 2.3.41 "glitch".
sysctl_w net.ipv4.conf.all.rp_filter 0
sysctl_w net.ipv4.conf.veth0.rp_filter 1
flush_neigh
check_eq "rp_filter=1 on the slave: $ROUTED does not answer through vnet0" 0 \
	"$(ping_count - $ROUTED 3 1)"
sysctl_w net.ipv4.conf.veth0.rp_filter 0
check_eq "rp_filter=0 again: $ROUTED answers" 3 "$(ping_count - $ROUTED 3)"

# --- detached: vnet0 reports no slave and no filter
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
check_eq "detached: no slave_rp_filter" "" "$(genl_stat vnet0 slave_rp_filter)"

ksft_done
