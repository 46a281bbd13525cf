#!/bin/sh
# Several vnet devices on one slave (one port, one rx_handler): vnet0
# (10.0.0.2) and vnet1 (10.0.0.3) both relay to veth0; the host routes
# 10.0.0.100 through vnet0 and 10.0.0.200 through vnet1, with two policies
# at once, while the slave's own traffic (10.0.0.1 <-> 10.0.0.50) passes
# untouched.  Each device receives its own address's traffic; the port
# lives as long as one device uses it.
. "$(dirname "$0")/../lib.sh"
need ip ping

vnet_reload numdevs=2
topo_veth
ip -n $PEER addr add 10.0.0.200/24 dev veth1
ip -n $PEER addr add 10.0.0.50/24 dev veth1
for d in vnet0 vnet1; do sysctl_w net.ipv4.conf.$d.rp_filter 0; done

check_errno "vnet0 relays to veth0, pass" 0 "$VNET_GENL" set vnet0 mode=pass slave=veth0
check_errno "vnet1 relays to veth0 too, percent 0" 0 \
	"$VNET_GENL" set vnet1 mode=percent arg1=0 slave=veth0
check_ok "sysfs: veth0 has vnet0 as upper" test -e /sys/class/net/veth0/upper_vnet0
check_ok "sysfs: veth0 has vnet1 as upper" test -e /sys/class/net/veth0/upper_vnet1
check_eq "both took veth0's MAC" "$(dev_mac veth0) $(dev_mac veth0)" \
	"$(dev_mac vnet0) $(dev_mac vnet1)"
ip addr add 10.0.0.2/32 dev vnet0
ip addr add 10.0.0.3/32 dev vnet1
ip link set vnet0 up
ip link set vnet1 up
ip route add 10.0.0.100/32 dev vnet0 src 10.0.0.2
ip route add 10.0.0.200/32 dev vnet1 src 10.0.0.3
wait_oper vnet0
wait_oper vnet1

check_eq "through vnet0 (pass): 3 of 3" 3 "$(ping_count - 10.0.0.100 3)"
check_eq "through vnet1 (percent 0): 0 of 3" 0 "$(ping_count - 10.0.0.200 3 1)"
check_gt "vnet1 dropped what was routed through it" 0 "$(genl_stat vnet1 tx_drop_percent)"
check_eq "the slave's own traffic: 3 of 3" 3 "$(ping_count - 10.0.0.50 3)"
check_eq "the peer reaches the slave: 3 of 3" 3 "$(ping_count $PEER $HOST_IP 3)"

# each device receives its own address's traffic
check_errno "vnet1: pass now" 0 "$VNET_GENL" set vnet1 mode=pass
rx0=$(ethtool_stat vnet0 rx_packets)
rx1=$(ethtool_stat vnet1 rx_packets)
check_eq "peer -> 10.0.0.2: 3 of 3" 3 "$(ping_count $PEER 10.0.0.2 3)"
check_ge "vnet0 received its echo requests" $((rx0 + 3)) "$(ethtool_stat vnet0 rx_packets)"
check_range "vnet1 did not receive vnet0's" "$rx1" $((rx1 + 2)) "$(ethtool_stat vnet1 rx_packets)"
rx0=$(ethtool_stat vnet0 rx_packets)
check_eq "peer -> 10.0.0.3: 3 of 3" 3 "$(ping_count $PEER 10.0.0.3 3)"
check_ge "vnet1 received its echo requests" $((rx1 + 3)) "$(ethtool_stat vnet1 rx_packets)"
check_range "vnet0 did not receive vnet1's" "$rx0" $((rx0 + 2)) "$(ethtool_stat vnet0 rx_packets)"

# a third device on the same port from rtnetlink
check_ok "ip link add vnet2 link veth0 type vnet" ip link add vnet2 link veth0 type vnet
check_eq "vnet2 relays to veth0" veth0 "$(genl_stat vnet2 slave_name)"
check_ok "ip link del vnet2" ip link del vnet2

# the port lives while one device uses it
check_errno "vnet0 detaches" 0 "$VNET_IOCTL" vnet0 set "" pass
check_eq "vnet1 still relays: 3 of 3" 3 "$(ping_count - 10.0.0.200 3)"
check_fails "veth0 cannot join a bridge while vnet1 uses it" sh -c \
	'ip link add fbr0 type bridge && ip link set veth0 master fbr0'
ip link del fbr0 2>/dev/null
check_errno "vnet0 attaches again" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_ok "delete vnet1 while attached" ip link del vnet1
check_eq "vnet0 still relays: 3 of 3" 3 "$(ping_count - 10.0.0.100 3)"
check_errno "vnet0 detaches: the port is gone" 0 "$VNET_IOCTL" vnet0 set "" pass
check_ok "veth0 joins a bridge now" sh -c 'ip link add fbr0 type bridge && ip link set veth0 master fbr0'
ip link set veth0 nomaster
ip link del fbr0

# the slave goes away under two devices
ip link add vnet1 type vnet
check_errno "vnet0 on veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_errno "vnet1 on veth0" 0 "$VNET_IOCTL" vnet1 set veth0 percent 50
check_ok "delete the slave" ip link del veth0
check_eq "vnet0 back in loopback mode" "" "$(genl_stat vnet0 slave_name)"
check_eq "vnet1 back in loopback mode" "" "$(genl_stat vnet1 slave_name)"
check_eq "vnet0 counted the loss" 1 "$(ethtool_stat vnet0 slave_lost)"
check_eq "vnet1 counted the loss" 1 "$(ethtool_stat vnet1 slave_lost)"
check_ok "rmmod" rmmod vnet
ksft_done
