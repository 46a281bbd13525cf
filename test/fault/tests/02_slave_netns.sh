#!/bin/sh
# The slave moves to another network namespace and back under a flood,
# ITER times: each move is a loss of the slave; nothing is miscounted.
. "$(dirname "$0")/../lib.sh"

test_cleanup() {
	ip netns del fns 2>/dev/null
}

vnet_reload
pg_reset
ip netns add fns
slave_veth fv0
ip link set vnet0 up
"$VNET_IOCTL" vnet0 reset >/dev/null
pg_add vnet0
i=0 lost=0
while [ $i -lt "$ITER" ]; do
	"$VNET_GENL" set vnet0 mode=time arg1=5 arg2=5 slave=fv0 >/dev/null ||
		fail "iteration $i: attach"
	wait_oper vnet0
	flood_begin
	ip link set fv0 netns fns
	wait_loopback vnet0 && lost=$((lost + 1))
	flood_end vnet0
	ip -n fns link set fv0 netns 1
	ip link set fv0 up
	i=$((i + 1))
done
echo "iterations=$ITER"
check_eq "each move to another netns detached the slave" "$ITER" "$lost"
check_eq "slave_lost counts every move" "$ITER" "$(ethtool_stat vnet0 slave_lost)"
balance vnet0 "slave moved x$ITER (time 5 5)"
check_gt "time mode dropped in its windows" 0 "$(ethtool_stat vnet0 tx_drop_time)"
check_eq "no percent-mode drops in time mode" 0 "$(ethtool_stat vnet0 tx_drop_percent)"
module_works "after the moves"
ip link del fv0
ksft_done
