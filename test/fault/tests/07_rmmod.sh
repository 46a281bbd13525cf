#!/bin/sh
# rmmod and modprobe with devices attached, up and flooded, RMMOD_ITER
# times.
. "$(dirname "$0")/../lib.sh"

slave_veth fv0
i=0 ok=0
while [ $i -lt "$RMMOD_ITER" ]; do
	vnet_unload
	modprobe vnet numdevs=2 link=fv0 || fail "iteration $i: modprobe"
	"$VNET_GENL" set vnet0 mode=percent arg1=50 >/dev/null
	"$VNET_GENL" set vnet1 mode=time arg1=3 arg2=3 >/dev/null
	ip link set vnet0 up
	ip link set vnet1 up
	pg_reset
	pg_add vnet0 0
	pg_add vnet1 1
	pg_start
	if timeout 60 rmmod vnet && ! dev_exists vnet0 && ! dev_exists vnet1; then
		ok=$((ok + 1))
	fi
	pg_wait
	i=$((i + 1))
done
echo "iterations=$RMMOD_ITER"
check_eq "rmmod under a flood succeeded each time" "$RMMOD_ITER" "$ok"
check_ok "the slave survives" ip link show dev fv0
vnet_reload
module_works "after $RMMOD_ITER reloads"
ip link del fv0
ksft_done
