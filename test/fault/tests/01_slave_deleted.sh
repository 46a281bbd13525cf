#!/bin/sh
# The slave is deleted under a flood, ITER times: vnet0 falls back to
# loopback mode every time, counts each loss, and every frame is counted.
. "$(dirname "$0")/../lib.sh"

vnet_reload
pg_reset
ip link set vnet0 up
"$VNET_IOCTL" vnet0 reset >/dev/null
pg_add vnet0
i=0 lost=0
while [ $i -lt "$ITER" ]; do
	slave_veth fv0 || fail "iteration $i: veth"
	"$VNET_GENL" set vnet0 mode=percent arg1=50 slave=fv0 >/dev/null ||
		fail "iteration $i: attach"
	wait_oper vnet0
	flood_begin
	ip link del fv0
	wait_loopback vnet0 && lost=$((lost + 1))
	flood_end vnet0
	i=$((i + 1))
done
echo "iterations=$ITER"
check_eq "vnet0 fell back to loopback mode each time" "$ITER" "$lost"
check_eq "slave_lost counts every loss" "$ITER" "$(ethtool_stat vnet0 slave_lost)"
balance vnet0 "slave deleted x$ITER (percent 50)"
check_gt "percent mode dropped" 0 "$(ethtool_stat vnet0 tx_drop_percent)"
check_eq "no time-mode drops in percent mode" 0 "$(ethtool_stat vnet0 tx_drop_time)"
module_works "after the slave deletions"
ksft_done
