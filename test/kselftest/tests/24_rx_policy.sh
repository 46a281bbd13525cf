#!/bin/sh
# The receive policy: what the slave's receive hook delivers to vnet0 goes
# through a policy of its own (netlink only), counted in rx_drop_* and in
# ip -s link's rx_dropped; the transmit policy is unaffected.  --both sets
# both, each with its own draws.
. "$(dirname "$0")/../lib.sh"
need ip ping

vnet_reload
topo_veth
vnet_attach_canonical
ip -n $PEER addr add 10.0.0.50/24 dev veth1
wait_oper vnet0
# The peer knows 10.0.0.2's MAC already, so that what reaches vnet0 is the
# echo requests alone (the policy would drop ARP as well).
ip -n $PEER neigh replace $VNET_IP lladdr "$(dev_mac veth0)" dev veth1 nud permanent

check_errno "rx percent 0" 0 "$VNET_GENL" set vnet0 dir=rx mode=percent arg1=0
check_eq "GET: rx policy percent 0" "1 0" "$(genl_stat vnet0 rx_mode) $(genl_stat vnet0 rx_arg1)"
check_eq "GET: the transmit policy is still pass" 0 "$(genl_stat vnet0 mode)"
"$VNET_IOCTL" vnet0 reset >/dev/null
check_eq "peer -> 10.0.0.2 with rx percent 0: 0 of 5" 0 "$(ping_count $PEER $VNET_IP 5 1)"
drops=$(genl_stat vnet0 rx_drop_percent)
check_ge "rx_drop_percent counted the echo requests" 5 "$drops"
check_eq "rx_dropped is the sum of the reasons" "$drops" "$(genl_stat vnet0 rx_dropped)"
check_eq "ip -s link rx_dropped counts them" "$drops" "$(ipjson_stat vnet0 rx dropped)"
check_eq "no transmit drops" 0 "$(genl_stat vnet0 tx_dropped)"
check_eq "the slave's own traffic: host -> 10.0.0.50, 3 of 3" 3 \
	"$(ping_count - 10.0.0.50 3)"

check_errno "rx pass" 0 "$VNET_GENL" set vnet0 dir=rx mode=pass
check_eq "rx pass: 5 of 5" 5 "$(ping_count $PEER $VNET_IP 5)"

# rx percent 50 with a seed: about half, reproducible by the ioctl-free path
check_errno "rx percent 50 seed 5" 0 "$VNET_GENL" set vnet0 dir=rx mode=percent arg1=50 seed=5
got=$(ping_count $PEER $VNET_IP 40 1)
check_range "rx percent 50: about half of 40 answered" 8 32 "$got"

# time mode on receive: a window that never opens again
check_errno "rx time 1 600000" 0 "$VNET_GENL" set vnet0 dir=rx mode=time arg1=1 arg2=600000
"$VNET_IOCTL" vnet0 reset >/dev/null
check_eq "rx time, closed window: 0 of 3" 0 "$(ping_count $PEER $VNET_IP 3 1)"
check_ge "rx_drop_time counted them" 3 "$(genl_stat vnet0 rx_drop_time)"

# both directions at once, each its own draws
check_errno "both: percent 70 seed 9" 0 \
	"$VNET_GENL" set vnet0 dir=both mode=percent arg1=70 seed=9
run "$VNET_GENL" get vnet0
check_eq "both: transmit percent 70" "1 70" "$(kv mode) $(kv arg1)"
check_eq "both: receive percent 70" "1 70" "$(kv rx_mode) $(kv rx_arg1)"
check_eq "both: the transmit seed is the given one" 9 "$(kv seed)"
check_eq "both: the receive seed is the next one" 10 "$(kv rx_seed)"

# the ioctl sets the transmit policy only
check_errno "ioctl: pass" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_eq "ioctl left the receive policy alone" "1 70" \
	"$(genl_stat vnet0 rx_mode) $(genl_stat vnet0 rx_arg1)"
check_errno "bad direction" EINVAL "$VNET_GENL" set vnet0 dir=3 mode=pass
check_match "bad direction: extack says so" "direction" "$(kv extack)"
ksft_done
