#!/bin/sh
# netconsole bound to vnet0: kernel messages reach the far end of the
# slave (netpoll on vnet0 is netpoll on its slave, as for VLAN and
# macvlan), whatever the drop policy, follow a change of slave, stop
# cleanly in loopback mode and when the slave or vnet goes away; nothing
# in the kernel log complains (run.sh fails the test on a WARNING).
#
# The slaves are taps whose far end is tapread (as a VM's would be): veth
# refuses netpoll since 6.x, taps take it on every kernel of the matrix.
. "$(dirname "$0")/../lib.sh"
need ip

NC_PORT=6666
PEER_MAC=02:00:00:00:00:64
out0=/tmp/vnet-ksft-18-tap0
out1=/tmp/vnet-ksft-18-tap1

test_cleanup() {
	rmmod netconsole 2>/dev/null
	ip link del tap0 2>/dev/null
	ip link del tap1 2>/dev/null
	rm -f $out0 $out1
}

# tap_start NAME FILE: a tap with a reader at its far end, up, no IPv6.
tap_start() {
	ip tuntap add "$1" mode tap || fail "ip tuntap add $1"
	sysctl_w "net.ipv6.conf.$1.disable_ipv6" 1
	: > "$2"
	bg "$TAPREAD" "$1" 600000 > "$2" 2>&1
	wait_line "$2" '^ready' 100 || fail "tapread $1 did not start"
	ip link set "$1" up
}

# nc_send TAG COUNT: COUNT kernel messages "vnet-ksft-nc TAG i" at KERN_CRIT
# (dmesg -n 7 lets every level out to the consoles).
nc_send() {
	__i=1
	while [ $__i -le "$2" ]; do
		echo "<2>vnet-ksft-nc $1 $__i" > /dev/kmsg
		__i=$((__i + 1))
		sleep 0.05
	done
}

# nc_seen TAG: how many distinct "vnet-ksft-nc TAG i" the taps' far ends got.
nc_seen() {
	sleep 1
	cat $out0 $out1 2>/dev/null | grep -o "vnet-ksft-nc $1 [0-9]*" |
		sort -u | wc -l
}

nc_load() {
	modprobe netconsole \
		"netconsole=6665@$VNET_IP/vnet0,$NC_PORT@$PEER_IP/$PEER_MAC"
}

vnet_reload
modprobe tun 2>/dev/null
tap_start tap0 $out0
check_errno "attach vnet0 to tap0" 0 "$VNET_IOCTL" vnet0 set tap0 pass
ip addr add $VNET_IP/24 dev vnet0
ip link set vnet0 up
wait_oper vnet0
dmesg -n 7 2>/dev/null

check_ok "netconsole on vnet0 (relaying to tap0)" nc_load
nc_send relay 10
check_eq "relay: tap0's far end got 10 of 10 messages" 10 "$(nc_seen relay)"
check_match "the frames carry UDP to the console port" "vnet-ksft-nc relay 1" \
	"$(cat $out0)"

# --- the policy does not apply to the console: percent 0 still carries it
check_errno "percent 0" 0 "$VNET_IOCTL" vnet0 set tap0 percent 0
nc_send lossy 10
check_eq "percent 0: the console still gets through, 10 of 10" 10 \
	"$(nc_seen lossy)"

# --- a new slave: netpoll moves with it
tap_start tap1 $out1
check_errno "vnet0 relays to tap1 now" 0 "$VNET_IOCTL" vnet0 set tap1 pass
nc_send moved 10
check_eq "new slave: 10 of 10 messages" 10 "$(nc_seen moved)"
check_nomatch "none went to the old slave" "vnet-ksft-nc moved" "$(cat $out0)"

# --- loopback mode: messages go nowhere, and nothing breaks
check_errno "detach: loopback mode" 0 "$VNET_IOCTL" vnet0 set "" pass
nc_send loop 5
check_eq "loopback mode: nothing reaches a tap" 0 "$(nc_seen loop)"
check_errno "attach tap0 again" 0 "$VNET_IOCTL" vnet0 set tap0 pass
nc_send back 10
check_eq "attached again: 10 of 10" 10 "$(nc_seen back)"

# --- the slave goes away under netconsole
check_ok "delete tap0 while netconsole relays through it" ip link del tap0
nc_send gone 3
check_eq "slave deleted: vnet0 is back in loopback mode" "" \
	"$(genl_stat vnet0 slave_name)"
check_ok "rmmod netconsole" rmmod netconsole

# --- rmmod vnet with netconsole bound
check_errno "attach tap1" 0 "$VNET_IOCTL" vnet0 set tap1 pass
check_ok "netconsole on vnet0 again" nc_load

# --- a slave that cannot carry netpoll is refused while netconsole runs.
# veth dropped netpoll in 6.x: ask netconsole itself (a dynamic target
# straight on the veth) which kind this kernel's veth is.
modprobe veth 2>/dev/null
ip link add vnp0 type veth peer name vnp1
ip link set vnp0 up
ip link set vnp1 up
mount -t configfs none /sys/kernel/config 2>/dev/null
nct=/sys/kernel/config/netconsole/vnet-ksft
if mkdir $nct 2>/dev/null; then
	echo vnp0 > $nct/dev_name
	echo 10.9.9.1 > $nct/local_ip
	echo 10.9.9.2 > $nct/remote_ip
	if echo 1 > $nct/enabled 2>/dev/null; then
		veth_netpoll=yes
		echo 0 > $nct/enabled
	else
		veth_netpoll=no
	fi
	rmdir $nct
	if [ $veth_netpoll = yes ]; then
		check_errno "veth carries netpoll here: vnet0 may relay to it" 0 \
			"$VNET_GENL" set vnet0 mode=pass slave=vnp0
		check_errno "back to tap1" 0 "$VNET_IOCTL" vnet0 set tap1 pass
	else
		check_errno "veth has no netpoll here: refused under netconsole" \
			EOPNOTSUPP "$VNET_GENL" set vnet0 mode=pass slave=vnp0
		check_match "extack says why" "netpoll" "$(kv extack)"
		check_eq "vnet0 still relays to tap1" tap1 "$(genl_stat vnet0 slave_name)"
	fi
else
	check_ok "netconsole's configfs (CONFIG_NETCONSOLE_DYNAMIC)" false
fi
ip link del vnp0
nc_send last 3
check_eq "before rmmod: 3 of 3" 3 "$(nc_seen last)"
check_ok "rmmod vnet while netconsole uses vnet0" rmmod vnet
check_ok "rmmod netconsole" rmmod netconsole

ksft_done
