#!/bin/sh
# MTU rules with a slave, as macvlan has them: attaching or a slave change
# only ever lowers vnet0's MTU, and the MTU the admin chose comes back when
# the slave grows again.  A slave whose MTU is below IPv4's 68 is refused,
# and such an MTU is refused on an attached slave.  Through any MTU
# sequence, vnet0 never autoconfigures IPv6.
. "$(dirname "$0")/../lib.sh"
need ip

no_inet6() {
	check_nomatch "$1: no IPv6 address on vnet0" 'inet6' "$(ip -6 addr show dev vnet0)"
}

vnet_reload
topo_veth
ip link set vnet0 up

# --- the admin's MTU is never raised by the slave
check_ok "admin sets vnet0 MTU 1400" ip link set vnet0 mtu 1400
check_ok "veth0 MTU 9000" ip link set veth0 mtu 9000
check_errno "attach to veth0 (MTU 9000)" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_eq "attach did not raise the admin's 1400" 1400 "$(dev_mtu vnet0)"
check_ok "veth0 MTU 1000" ip link set veth0 mtu 1000
check_eq "slave dipped to 1000: vnet0 follows down" 1000 "$(dev_mtu vnet0)"
check_ok "veth0 MTU 1500" ip link set veth0 mtu 1500
check_eq "slave grew to 1500: vnet0 back at the admin's 1400" 1400 "$(dev_mtu vnet0)"
check_ok "veth0 MTU 9000 again" ip link set veth0 mtu 9000
check_eq "slave grew to 9000: vnet0 still 1400" 1400 "$(dev_mtu vnet0)"
check_ok "admin raises vnet0 to 9000 (the slave allows it)" ip link set vnet0 mtu 9000
check_ok "veth0 MTU 1500" ip link set veth0 mtu 1500
check_eq "slave at 1500: vnet0 1500" 1500 "$(dev_mtu vnet0)"
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
check_eq "detached: the admin's 9000 again" 9000 "$(dev_mtu vnet0)"
no_inet6 "after MTU changes in loopback mode"

# --- a slave below IPv4's minimum MTU
modprobe dummy numdummies=0 2>/dev/null
check_ok "dummy d1" ip link add d1 type dummy
check_ok "d1 MTU 60" ip link set d1 mtu 60
check_errno "ioctl: attaching d1 (MTU 60) refused" EINVAL "$VNET_IOCTL" vnet0 set d1 pass
check_errno "netlink: attaching d1 (MTU 60) refused" EINVAL \
	"$VNET_GENL" set vnet0 mode=pass slave=d1
# names the slave's MTU where the kernel formats extack text (6.2+)
check_match "extack says the MTU is too small" "MTU.*below 68" "$(kv extack)"
check_nomatch "extack is not the Ethernet text" "not an Ethernet" "$(kv extack)"
check_eq "vnet0 still in loopback mode" "" "$(genl_stat vnet0 slave_name)"
check_ok "d1 MTU 1500" ip link set d1 mtu 1500
check_errno "attach d1 at MTU 1500" 0 "$VNET_IOCTL" vnet0 set d1 pass
check_fails "d1 MTU 60 refused while vnet0 relays to it" ip link set d1 mtu 60
check_eq "d1 kept its MTU" 1500 "$(dev_mtu d1)"
check_range "vnet0 MTU within the slave's" 68 1500 "$(dev_mtu vnet0)"
check_ok "d1 MTU 68 is fine" ip link set d1 mtu 68
check_eq "vnet0 follows d1 down to 68" 68 "$(dev_mtu vnet0)"
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
ip link del d1

# --- IPv6: an MTU dip below 1280 and back must not bring addrconf back
check_errno "attach to veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
ip link set veth0 mtu 1500
ip link set vnet0 mtu 1500
sleep 1
no_inet6 "attached"
ip link set veth0 mtu 1000
ip link set veth0 mtu 1500
ip link set vnet0 mtu 1500
sleep 2
no_inet6 "after the slave's MTU went 1000 and back"
check_nomatch "no addrgenmode eui64 after the dip" 'addrgenmode eui64' \
	"$(ip -d link show dev vnet0)"
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
ip link set vnet0 mtu 68
ip link set vnet0 mtu 65535
sleep 2
no_inet6 "loopback mode, MTU 68 then 65535"
check_nomatch "loopback mode: no addrgenmode eui64" 'addrgenmode eui64' \
	"$(ip -d link show dev vnet0)"
ip link set vnet0 down
ip link set vnet0 up
sleep 2
no_inet6 "after down/up"
check_nomatch "vnet0 carries no SLAVE flag (the < 6.2 guard is transient)" \
	'SLAVE' "$(ip link show dev vnet0)"

ksft_done
