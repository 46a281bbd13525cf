#!/bin/sh
# What attaching a slave does to the device: MAC, ARP, MTU, carrier,
# IPv6 link-local, upper-device display; and what detaching restores.
. "$(dirname "$0")/../lib.sh"
need ip

vnet_reload
topo_veth

own=02:11:22:33:44:55
check_ok "loopback-mode vnet0 accepts a user MAC" ip link set vnet0 address $own
check_eq "user MAC set" $own "$(dev_mac vnet0)"
check_eq "loopback mode: NOARP" 1 "$(dev_noarp vnet0)"

check_errno "attach veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_eq "attached: vnet0 has veth0's MAC" "$(dev_mac veth0)" "$(dev_mac vnet0)"
check_eq "attached: ARP on" 0 "$(dev_noarp vnet0)"
check_match "ip link shows vnet0@veth0" 'vnet0@veth0' "$(ip link show dev vnet0)"

ip link set vnet0 up
wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/operstate)" = up ]'
check_match "attached, slave up: operstate up/unknown" '^(up|unknown)$' "$(dev_operstate vnet0)"
check_nomatch "attached, slave up: carrier" 'NO-CARRIER' "$(ip link show dev vnet0)"
sleep 2
check_nomatch "no IPv6 link-local address on vnet0" 'inet6' "$(ip -6 addr show dev vnet0)"
check_match "addrgenmode none" 'addrgenmode none' "$(ip -d link show dev vnet0)"

# --- MAC
check_fails "user MAC change refused while attached" \
	ip link set vnet0 address 02:66:77:88:99:aa
check_eq "MAC unchanged after refused change" "$(dev_mac veth0)" "$(dev_mac vnet0)"
check_ok "change veth0's MAC" ip link set veth0 address 02:aa:bb:cc:dd:01
wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/address)" = 02:aa:bb:cc:dd:01 ]'
check_eq "vnet0 follows the slave's new MAC" 02:aa:bb:cc:dd:01 "$(dev_mac vnet0)"

# --- MTU
check_eq "veth0 MTU" 1500 "$(dev_mtu veth0)"
check_fails "vnet0 MTU above the slave's refused" ip link set vnet0 mtu 1600
check_range "vnet0 MTU still <= slave's" 68 1500 "$(dev_mtu vnet0)"
check_ok "vnet0 MTU below the slave's accepted" ip link set vnet0 mtu 1400
check_eq "vnet0 MTU 1400" 1400 "$(dev_mtu vnet0)"
check_ok "lower veth0 MTU to 1300" ip link set veth0 mtu 1300
wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/mtu)" = 1300 ]'
check_eq "vnet0 follows the slave's MTU down" 1300 "$(dev_mtu vnet0)"
check_fails "vnet0 MTU 1400 now above the slave's" ip link set vnet0 mtu 1400
check_ok "raise veth0 MTU to 1500" ip link set veth0 mtu 1500
sleep 0.5
check_range "vnet0 MTU <= slave's after it grew" 68 1500 "$(dev_mtu vnet0)"

# attaching to a slave with a smaller MTU lowers vnet0's
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
ip link set veth0 mtu 1280
check_errno "attach to veth0 with MTU 1280" 0 "$VNET_IOCTL" vnet0 set veth0 pass
check_range "vnet0 MTU <= 1280 after attach" 68 1280 "$(dev_mtu vnet0)"
ip link set veth0 mtu 1500

# --- carrier follows the slave
ip link set vnet0 up
check_ok "veth0 down" ip link set veth0 down
wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/operstate)" = lowerlayerdown ]'
check_eq "slave down: vnet0 operstate" lowerlayerdown "$(dev_operstate vnet0)"
check_match "slave down: vnet0 NO-CARRIER" 'NO-CARRIER' "$(ip link show dev vnet0)"
check_ok "veth0 up" ip link set veth0 up
wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/operstate)" = up ]'
check_eq "slave up again: vnet0 operstate" up "$(dev_operstate vnet0)"
check_nomatch "slave up again: carrier back" 'NO-CARRIER' "$(ip link show dev vnet0)"

# --- detach restores the device's own MAC and NOARP
check_errno "detach" 0 "$VNET_IOCTL" vnet0 set "" pass
check_eq "detached: own MAC restored" $own "$(dev_mac vnet0)"
check_eq "detached: NOARP again" 1 "$(dev_noarp vnet0)"
check_nomatch "detached: no @veth0" 'vnet0@' "$(ip link show dev vnet0)"
check_match "detached: operstate up/unknown in loopback mode" '^(up|unknown)$' "$(dev_operstate vnet0)"
check_nomatch "detached: carrier on in loopback mode" 'NO-CARRIER' "$(ip link show dev vnet0)"
check_ok "detached: user MAC change allowed again" ip link set vnet0 address 02:11:22:33:44:66
check_eq "detached: MAC changed" 02:11:22:33:44:66 "$(dev_mac vnet0)"
check_eq "veth0 kept its own MAC" 02:aa:bb:cc:dd:01 "$(dev_mac veth0)"

ksft_done
