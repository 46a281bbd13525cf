#!/bin/sh
# IFLA_VNET_* in IFLA_INFO_DATA: optional on RTM_NEWLINK (validated like
# SET), always reported by RTM_GETLINK, and in step with ioctl/netlink.
. "$(dirname "$0")/../lib.sh"
need ip

test_cleanup() {
	for d in vr0 vr1 vr2; do ip link del $d 2>/dev/null; done
}

vnet_reload
topo_veth

check_errno "RTM_GETLINK vnet0" 0 "$VNET_RTNL" get vnet0
check_eq "kind" vnet "$(kv kind)"
check_eq "IFLA_INFO_DATA present" 1 "$(kv has_data)"
check_eq "IFLA_VNET_MODE pass" 0 "$(kv mode)"
check_eq "IFLA_VNET_ARG1 0" 0 "$(kv arg1)"
check_eq "IFLA_VNET_ARG2 0" 0 "$(kv arg2)"
check_match "IFLA_VNET_SEED reported" '^seed=[0-9]+$' "$OUT"

check_errno "NEWLINK vr0 link veth0 percent 40 seed 777" 0 \
	"$VNET_RTNL" add vr0 link=veth0 mode=percent arg1=40 seed=777
check_errno "RTM_GETLINK vr0" 0 "$VNET_RTNL" get vr0
check_eq "vr0 mode percent" 1 "$(kv mode)"
check_eq "vr0 arg1 40" 40 "$(kv arg1)"
check_eq "vr0 arg2 0" 0 "$(kv arg2)"
check_eq "vr0 seed 777" 777 "$(kv seed)"
check_eq "vr0 IFLA_LINK = veth0" "$(dev_ifindex veth0)" "$(kv link_ifindex)"
check_errno "netlink GET vr0" 0 "$VNET_GENL" get vr0
check_eq "netlink agrees: slave" veth0 "$(kv slave_name)"
check_eq "netlink agrees: mode/arg1/seed" "1 40 777" "$(kv mode) $(kv arg1) $(kv seed)"

check_errno "NEWLINK time 0 5 refused" EINVAL "$VNET_RTNL" add vr1 mode=time arg1=0 arg2=5
check_eq "refused vr1 not created" no "$(dev_exists vr1 && echo yes || echo no)"
check_errno "NEWLINK percent 101 refused" EINVAL "$VNET_RTNL" add vr1 mode=percent arg1=101
check_errno "NEWLINK mode 4 refused" EINVAL "$VNET_RTNL" add vr1 mode=4
check_eq "refused vr1 still not created" no "$(dev_exists vr1 && echo yes || echo no)"
check_errno "NEWLINK vr1 time 10 20, no link" 0 "$VNET_RTNL" add vr1 mode=time arg1=10 arg2=20
check_errno "ioctl GET vr1" 0 "$VNET_IOCTL" vr1 get
check_eq "ioctl sees time 10 20 without slave" "2 10 20 " "$(kv mode) $(kv arg1) $(kv arg2) $(kv name)"

check_errno "netlink SET vr0 time 5 6" 0 "$VNET_GENL" set vr0 mode=time arg1=5 arg2=6 seed=1
check_errno "RTM_GETLINK vr0 after SET" 0 "$VNET_RTNL" get vr0
check_eq "GETLINK follows SET" "2 5 6 1" "$(kv mode) $(kv arg1) $(kv arg2) $(kv seed)"
check_errno "ioctl SET vr0 pass" 0 "$VNET_IOCTL" vr0 set veth0 pass
check_errno "RTM_GETLINK vr0 after ioctl" 0 "$VNET_RTNL" get vr0
check_eq "GETLINK follows ioctl SET" "0 0 0" "$(kv mode) $(kv arg1) $(kv arg2)"

# the same seed through rtnetlink and genl gives the same decisions
ip link del vr0
check_errno "NEWLINK vr0 percent 50 seed 4242" 0 \
	"$VNET_RTNL" add vr0 link=veth0 mode=percent arg1=50 seed=4242
ip link set vr0 up
"$PKTLOOP" send vr0 count=300 >/dev/null
a=$(ethtool_stat vr0 tx_drop_percent)
check_range "percent 50 over 300: drops ~150" 90 210 "$a"
check_errno "genl SET vr0 percent 50 seed 4242" 0 "$VNET_GENL" set vr0 mode=percent arg1=50 seed=4242
"$VNET_IOCTL" vr0 reset >/dev/null
"$PKTLOOP" send vr0 count=300 >/dev/null
check_eq "same seed via genl: same drops as via rtnetlink" "$a" "$(ethtool_stat vr0 tx_drop_percent)"

ksft_done
