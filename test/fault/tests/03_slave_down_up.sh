#!/bin/sh
# The slave goes down and up under a flood, ITER times: frames meeting a
# down slave are tx_drop_no_slave, the rest are relayed, all are counted;
# carrier follows the slave each time.  pktgen itself stops a device whose
# carrier goes, so each iteration is a flood of its own.
. "$(dirname "$0")/../lib.sh"

vnet_reload
pg_reset
slave_veth fv0
check_errno "attach fv0, pass" 0 "$VNET_GENL" set vnet0 mode=pass slave=fv0
ip link set vnet0 up
wait_oper vnet0
"$VNET_IOCTL" vnet0 reset >/dev/null
pg_add vnet0
i=0 down=0 up=0
while [ $i -lt "$ITER" ]; do
	flood_begin
	ip link set fv0 down
	wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/operstate)" = lowerlayerdown ]' &&
		down=$((down + 1))
	flood_end vnet0
	ip link set fv0 up
	wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/operstate)" = up ]' &&
		up=$((up + 1))
	i=$((i + 1))
done
echo "iterations=$ITER"
check_eq "operstate followed every down" "$ITER" "$down"
check_eq "operstate followed every up" "$ITER" "$up"
# (pktgen stops a device when its carrier goes: the frames that met the
# down slave are those already past pktgen's check)
check_gt "frames were relayed" 0 "$(ethtool_stat vnet0 tx_packets)"
balance vnet0 "slave down/up x$ITER (pass)"
check_eq "pass mode: no policy drops" 0 \
	$(( $(ethtool_stat vnet0 tx_drop_percent) + $(ethtool_stat vnet0 tx_drop_time) ))
module_works "after down/up"
ip link del fv0
ksft_done
