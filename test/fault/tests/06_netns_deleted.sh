#!/bin/sh
# A network namespace holding a relaying vnet device, its slave and a
# pktgen flood is deleted, ITER times; everything in it goes away.
. "$(dirname "$0")/../lib.sh"

test_cleanup() {
	ip netns del fns 2>/dev/null
}

vnet_reload
modprobe pktgen
i=0 gone=0
while [ $i -lt "$ITER" ]; do
	ip netns add fns
	ip netns exec fns sh -c '
		ip link add fv0 type veth peer name fv1 &&
		ip link set fv0 up && ip link set fv1 up &&
		ip link add fn0 link fv0 type vnet &&
		ip link set fn0 up' || fail "iteration $i: namespace setup"
	ip netns exec fns "$VNET_GENL" set fn0 mode=percent arg1=60 >/dev/null
	ip netns exec fns sh -c '
		p=/proc/net/pktgen
		echo rem_device_all > $p/kpktgend_0
		echo "add_device fn0" > $p/kpktgend_0
		echo "count 0" > $p/fn0
		echo "clone_skb 0" > $p/fn0
		echo "dst_mac 02:00:00:00:00:01" > $p/fn0
		echo start > $p/pgctrl' 2>/dev/null &
	flood=$!
	sleep 0.4
	ip netns del fns
	wait $flood 2>/dev/null
	[ -z "$(ip netns list | grep -w fns)" ] && gone=$((gone + 1))
	i=$((i + 1))
done
echo "iterations=$ITER"
check_eq "the namespace went away each time" "$ITER" "$gone"
sleep 1
module_works "after the namespace deletions"
check_ok "rmmod vnet" rmmod vnet
ksft_done
