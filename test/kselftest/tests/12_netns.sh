#!/bin/sh
# Network namespaces: an attached device cannot move, a detached one can;
# netlink GET/dump and events only see the caller's namespace; slaves are
# looked up in the device's namespace; CAP_NET_ADMIN over a namespace
# (user namespace owner) is enough to SET there.
. "$(dirname "$0")/../lib.sh"
need ip

NS=vnetns
mon0=/tmp/vnet-ksft-12-mon0
mon1=/tmp/vnet-ksft-12-mon1

test_cleanup() {
	ip netns del $NS 2>/dev/null
}

vnet_reload numdevs=2
topo_veth
ip netns add $NS

check_errno "attach vnet0 to veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_fails "attached vnet0 cannot move to another netns" ip link set vnet0 netns $NS
check_eq "vnet0 still here" yes "$(dev_exists vnet0 && echo yes || echo no)"
check_match "vnet0 still attached" 'vnet0@veth0' "$(ip link show dev vnet0)"

check_ok "detached vnet1 moves" ip link set vnet1 netns $NS
check_eq "vnet1 gone from init netns" no "$(dev_exists vnet1 && echo yes || echo no)"
check_ok "vnet1 in $NS" ip -n $NS link show dev vnet1

run "$VNET_GENL" dump
check_eq "init netns dump: one device" 1 "$(kv count)"
check_nomatch "init netns dump does not list vnet1" '^ifname=vnet1$' "$OUT"
run ip netns exec $NS "$VNET_GENL" dump
check_eq "$NS dump: one device" 1 "$(kv count)"
check_match "$NS dump lists vnet1" '^ifname=vnet1$' "$OUT"
check_errno "GET vnet1 from init netns" ENODEV "$VNET_GENL" get vnet1
check_errno "GET vnet1 inside $NS" 0 ip netns exec $NS "$VNET_GENL" get vnet1
check_errno "ioctl GET inside $NS" 0 ip netns exec $NS "$VNET_IOCTL" vnet1 get

# events are per namespace
: > $mon0
: > $mon1
bg "$VNET_GENL" monitor 30000 > $mon0 2>&1
bg ip netns exec $NS "$VNET_GENL" monitor 30000 > $mon1 2>&1
wait_line $mon0 '^ready' 100 || fail "monitor (init) did not start"
wait_line $mon1 '^ready' 100 || fail "monitor ($NS) did not start"

# the slave is looked up in the device's namespace
check_errno "vnet1 cannot use veth0 (other netns)" ENODEV \
	ip netns exec $NS "$VNET_IOCTL" vnet1 set veth0 pass
ip -n $NS link add vx0 type veth peer name vx1
check_errno "vnet1 attaches to vx0 in $NS" 0 \
	ip netns exec $NS "$VNET_GENL" set vnet1 mode=percent arg1=10 slave=vx0
check_eq "netlink reply names vx0" vx0 "$(kv slave_name)"
wait_line $mon1 '^event=config' 50
check_match "$NS monitor saw vnet1's CONFIG event" '^ifname=vnet1$' "$(cat $mon1)"
sleep 1
check_nomatch "init monitor did not see vnet1's event" '^ifname=vnet1$' "$(cat $mon0)"
check_errno "SET vnet0 in init netns" 0 "$VNET_GENL" set vnet0 mode=pass
wait_line $mon0 '^ifname=vnet0$' 50
check_match "init monitor saw vnet0's event" '^ifname=vnet0$' "$(cat $mon0)"
sleep 1
check_nomatch "$NS monitor did not see vnet0's event" '^ifname=vnet0$' "$(cat $mon1)"

# detach, then vnet0 can move
check_errno "detach vnet0" 0 "$VNET_IOCTL" vnet0 set "" pass
check_ok "detached vnet0 moves" ip link set vnet0 netns $NS
run ip netns exec $NS "$VNET_GENL" dump
check_eq "$NS dump: two devices" 2 "$(kv count)"
run "$VNET_GENL" dump
check_eq "init dump: none" 0 "$(kv count)"
check_ok "move vnet0 back" ip -n $NS link set vnet0 netns 1

# CAP_NET_ADMIN over a namespace owned by an unprivileged user namespace
# (22_security covers who may do what in more detail)
need unshare
run unpriv unshare -Urn "$KSFT_SH" -c "
	ip link add vu0 type vnet || exit 90
	'$VNET_GENL' set vu0 mode=percent arg1=25 >/dev/null || exit 91
	'$VNET_IOCTL' vu0 set '' time 10 20 || exit 92
	'$VNET_IOCTL' vu0 get"
echo "$OUT"
check_eq "user-ns root: create, netlink SET, ioctl SET" 0 "$RC"
check_eq "user-ns root: config applied" "2 10 20" "$(kv mode) $(kv arg1) $(kv arg2)"

ip netns del $NS
sleep 1
check_ok "rmmod after netns teardown" rmmod vnet
ksft_done
