#!/bin/sh
# A relaying vnet device is deleted under a flood and re-created, ITER
# times; pktgen lets go of it each time, the slave survives.
. "$(dirname "$0")/../lib.sh"

vnet_reload
pg_reset
slave_veth fv0
i=0 gone=0
while [ $i -lt "$ITER" ]; do
	ip link add fd0 link fv0 type vnet || fail "iteration $i: create"
	"$VNET_GENL" set fd0 mode=percent arg1=50 >/dev/null
	ip link set fd0 up
	pg_add fd0
	pg_start
	[ "$(ethtool_stat fd0 tx_packets)" -gt 0 ] || fail "iteration $i: fd0 is not relaying"
	ip link del fd0
	pg_wait
	[ ! -e $PG/fd0 ] && ! dev_exists fd0 && gone=$((gone + 1))
	i=$((i + 1))
done
echo "iterations=$ITER"
check_eq "fd0 and its pktgen entry went away each time" "$ITER" "$gone"
check_ok "the slave survives" ip link show dev fv0
check_ok "and takes a new vnet" "$VNET_IOCTL" vnet0 set fv0 pass
module_works "after the deletions"
ip link del fv0
ksft_done
