#!/bin/sh
# IPv6 in relay mode, the way ipvlan does it: vnet0 carries only the IPv6
# addresses the admin adds (no link-local of its own, none duplicating the
# slave's); neighbour discovery and unicast for them reach vnet0; the
# slave keeps what it owns, shared addresses included; a host routed
# through vnet0 meets the policy.
#
#   host: veth0 2001:db8::1/64    <->  peer: veth1 2001:db8::100, ::200
#         vnet0 2001:db8::3/64 (its own), route 2001:db8::200 via vnet0
. "$(dirname "$0")/../lib.sh"
need ip ping

P6=2001:db8::100
R6=2001:db8::200
V6=2001:db8::3
H6=2001:db8::1

ping6_count() {   # NS DST COUNT [WAIT]
	if [ "$1" = - ]; then
		ping -6 -c "$3" -i 0.2 -W "${4:-5}" "$2" 2>&1
	else
		ip netns exec "$1" ping -6 -c "$3" -i 0.2 -W "${4:-5}" "$2" 2>&1
	fi | sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p'
}

vnet_reload
topo_veth
ip addr add $H6/64 dev veth0 nodad
ip -n $PEER addr add $P6/64 dev veth1 nodad
ip -n $PEER addr add $R6/64 dev veth1 nodad
check_errno "vnet0 relays to veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
ip link set vnet0 up
wait_oper vnet0
check_ok "an IPv6 address on vnet0" ip addr add $V6/64 dev vnet0
# duplicate address detection runs (through the relay): wait it out
wait_for "$KSFT_SH" -c "! ip -6 addr show dev vnet0 | grep -q tentative"
check_nomatch "the address passed DAD" 'tentative|dadfailed' "$(ip -6 addr show dev vnet0)"
check_nomatch "no link-local address on vnet0" 'fe80' "$(ip -6 addr show dev vnet0)"
ip -6 route add $R6/128 dev vnet0

# --- the peer reaches vnet0's own address: ND and unicast reach vnet0
rx=$(ethtool_stat vnet0 rx_packets)
check_eq "peer -> $V6: 3 of 3" 3 "$(ping6_count $PEER $V6 3)"
check_ge "vnet0 received the solicitation and the echo requests" $((rx + 4)) \
	"$(ethtool_stat vnet0 rx_packets)"
check_match "the peer resolved $V6 to veth0's MAC" "$(dev_mac veth0)" \
	"$(ip -n $PEER -6 neigh show $V6)"

# --- a host routed through vnet0, pass then percent 0 then percent 60
check_eq "host -> $R6 via vnet0 (pass): 5 of 5" 5 "$(ping6_count - $R6 5)"
check_match "route to $R6 is through vnet0" 'dev vnet0' "$(ip -6 route get $R6)"
check_match "vnet0 resolved $R6" "$(ip netns exec $PEER cat /sys/class/net/veth1/address)" \
	"$(ip -6 neigh show $R6 dev vnet0)"
check_eq "the slave's own IPv6: host -> $P6, 3 of 3" 3 "$(ping6_count - $P6 3)"
check_errno "percent 0" 0 "$VNET_IOCTL" vnet0 set veth0 percent 0
check_eq "percent 0: host -> $R6, 0 of 3" 0 "$(ping6_count - $R6 3 1)"
check_eq "percent 0: the slave's own IPv6 still 3 of 3" 3 "$(ping6_count - $P6 3)"
check_errno "percent 60 seed 60" 0 "$VNET_GENL" set vnet0 mode=percent arg1=60 seed=60
got=$(ping6_count - $R6 50 1)
# an echo round trip needs the request through: 60 % of 50 = 30, sd 3.5
check_range "percent 60: about 60 % of 50 answered" 19 41 "$got"
check_errno "pass" 0 "$VNET_IOCTL" vnet0 set veth0 pass

# --- a shared address stays the slave's
check_ok "vnet0 also carries the slave's $H6" ip addr add $H6/64 dev vnet0 nodad
rx=$(ethtool_stat vnet0 rx_packets)
ip -n $PEER -6 neigh flush dev veth1
check_eq "peer -> $H6 (shared): 5 of 5" 5 "$(ping6_count $PEER $H6 5)"
check_range "its echo requests and solicitations stayed on the slave" \
	"$rx" $((rx + 2)) "$(ethtool_stat vnet0 rx_packets)"
ip addr del $H6/64 dev vnet0

# --- vnet0 down: the peer's traffic for its address is the slave's to refuse
ip link set vnet0 down
rx=$(ethtool_stat vnet0 rx_packets)
ping6_count $PEER $V6 2 1 >/dev/null
check_eq "vnet0 down: it received nothing" "$rx" "$(ethtool_stat vnet0 rx_packets)"

# --- an address added while vnet0 is down works once it is up (vnet-up's
# order, and any admin's: "ip addr add" then "ip link set up")
V6B=2001:db8::4
check_ok "an address added while vnet0 is down" ip addr add $V6B/64 dev vnet0
ip link set vnet0 up
wait_oper vnet0
wait_for "$KSFT_SH" -c "! ip -6 addr show dev vnet0 | grep -q tentative"
check_nomatch "it passed DAD once vnet0 was up" 'tentative|dadfailed' "$(ip -6 addr show dev vnet0)"
check_eq "peer -> $V6B: 3 of 3" 3 "$(ping6_count $PEER $V6B 3)"
check_nomatch "still no link-local address on vnet0" 'fe80' "$(ip -6 addr show dev vnet0)"
ksft_done
