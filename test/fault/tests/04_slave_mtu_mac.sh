#!/bin/sh
# The slave's MTU and MAC change under a flood, ITER times: vnet0 follows
# both every time and counts every frame.
. "$(dirname "$0")/../lib.sh"

vnet_reload
pg_reset
slave_veth fv0
check_errno "attach fv0, percent 70" 0 "$VNET_GENL" set vnet0 mode=percent arg1=70 slave=fv0
ip link set vnet0 up
"$VNET_IOCTL" vnet0 reset >/dev/null
pg_add vnet0
flood_begin
i=0 mtu_ok=0 mac_ok=0
while [ $i -lt "$ITER" ]; do
	mtu=$((1000 + i * 20))
	mac=$(printf '02:fa:00:00:%02x:%02x' $((i / 256)) $((i % 256)))
	ip link set fv0 mtu $mtu
	ip link set fv0 address "$mac"
	[ "$(dev_mtu vnet0)" = $mtu ] && mtu_ok=$((mtu_ok + 1))
	[ "$(dev_mac vnet0)" = "$mac" ] && mac_ok=$((mac_ok + 1))
	sleep 0.1
	i=$((i + 1))
done
ip link set fv0 mtu 1500
flood_end vnet0
echo "iterations=$ITER"
check_eq "vnet0 followed every MTU change" "$ITER" "$mtu_ok"
check_eq "vnet0 followed every MAC change" "$ITER" "$mac_ok"
check_eq "the admin's 1500 is back when the slave is" 1500 "$(dev_mtu vnet0)"
balance vnet0 "MTU/MAC x$ITER (percent 70)"
module_works "after MTU/MAC changes"
ip link del fv0
ksft_done
