#!/bin/sh
# A network namespace holding a relaying vnet device, its slave and a
# pktgen flood is deleted, ITER times; everything in it goes away.
. "$(dirname "$0")/../lib.sh"

test_cleanup() {
	ip netns del fns 2>/dev/null
}

ns_flooding() {
	[ "$(ip netns exec fns cat /proc/net/pktgen/fn0 2>/dev/null |
		sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p')" -gt 0 ] 2>/dev/null
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
	# pktgen's threads are per namespace; the process that starts them
	# is killed, so that deleting the namespace's name drops its last
	# reference with the flood still running in the kernel
	ip netns exec fns sh -c '
		p=/proc/net/pktgen
		echo rem_device_all > $p/kpktgend_0
		echo "add_device fn0" > $p/kpktgend_0
		echo "count 0" > $p/fn0
		echo "clone_skb 0" > $p/fn0
		echo "dst_mac 02:00:00:00:00:01" > $p/fn0
		exec sh -c "echo start > $p/pgctrl"' 2>/dev/null &
	flood=$!
	# the flood must be running when the namespace goes (a debug
	# kernel takes seconds to start pktgen's thread in a new netns)
	wait_for ns_flooding || wait_for ns_flooding || wait_for ns_flooding ||
		fail "iteration $i: no flood in the namespace after 15 s"
	kill "$flood" 2>/dev/null
	wait "$flood" 2>/dev/null
	ip netns del fns
	i=$((i + 1))
done
echo "iterations=$ITER"
# The namespaces' teardown (cleanup_net) runs after the last reference:
# their devices must all go, or rmmod would wait for them forever.
sleep 2
check_eq "no namespace left" "" "$(ip netns list)"
module_works "after the namespace deletions"
check_ok "rmmod vnet: every device of the deleted namespaces is gone" timeout 60 rmmod vnet
ksft_done
