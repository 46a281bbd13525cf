#!/bin/sh
# Two vnet devices share a slave's port under a flood; one of them leaves
# (deleted, or detached) and comes back, ITER times, while the other's
# flood runs on: the port stays, the other device never misses a frame's
# count, and policies with an auto-revert expire under the flood.
. "$(dirname "$0")/../lib.sh"

vnet_reload numdevs=2
pg_reset
slave_veth fv0
check_errno "vnet0 on fv0, percent 40" 0 \
	"$VNET_GENL" set vnet0 mode=percent arg1=40 slave=fv0
ip link set vnet0 up
wait_oper vnet0
"$VNET_IOCTL" vnet0 reset >/dev/null
pg_add vnet0
flood_begin
i=0 ok=0
while [ $i -lt "$ITER" ]; do
	if [ $((i % 2)) -eq 0 ]; then
		ip link add fp1 link fv0 type vnet
		ip link set fp1 up
		"$VNET_GENL" set fp1 mode=time arg1=2 arg2=2 >/dev/null
		sleep 0.1
		ip link del fp1
	else
		"$VNET_GENL" set vnet1 mode=percent arg1=90 slave=fv0 >/dev/null
		sleep 0.1
		"$VNET_GENL" set vnet1 mode=pass slave= >/dev/null
	fi
	# the policy under the flood: percent 0 for 100 ms, back to pass
	"$VNET_GENL" set vnet0 mode=percent arg1=0 revert_ms=100 >/dev/null
	sleep 0.3
	[ "$(genl_stat vnet0 mode)" = 0 ] && ok=$((ok + 1))
	[ "$(genl_stat vnet0 slave_name)" = fv0 ] || fail "iteration $i: vnet0 lost its slave"
	i=$((i + 1))
done
flood_end vnet0
echo "iterations=$ITER"
check_eq "every auto-revert happened under the flood" "$ITER" "$ok"
check_gt "percent 0 dropped" 0 "$(ethtool_stat vnet0 tx_drop_percent)"
balance vnet0 "port churn x$ITER"
check_eq "vnet0 never lost its slave" 0 "$(ethtool_stat vnet0 slave_lost)"
module_works "after the port churn"
ip link del fv0
ksft_done
