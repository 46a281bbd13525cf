#!/bin/sh
# SIOCDEVPRIVATE ioctls: SET/GET round trips, every documented error,
# privileges, detaching with "".
. "$(dirname "$0")/../lib.sh"
need ip setpriv

test_cleanup() {
	ip link del mv0 2>/dev/null
	ip link del vethm0 2>/dev/null
	ip link del br0 2>/dev/null
	ip link del vethb0 2>/dev/null
}

vnet_reload numdevs=2
topo_veth

expect_cfg() { # DESC NAME MODE ARG1 ARG2
	run "$VNET_IOCTL" vnet0 get
	check_eq "$1: GET succeeds" 0 "$RC"
	check_eq "$1: slave" "$2" "$(kv name)"
	check_eq "$1: mode" "$3" "$(kv mode)"
	check_eq "$1: arg1" "$4" "$(kv arg1)"
	check_eq "$1: arg2" "$5" "$(kv arg2)"
}

expect_cfg "fresh" "" 0 0 0

check_errno "SET veth0 pass" 0 "$VNET_IOCTL" vnet0 set veth0 pass
expect_cfg "after pass" veth0 0 0 0
check_errno "SET veth0 pass 5 7" 0 "$VNET_IOCTL" vnet0 set veth0 pass 5 7
expect_cfg "pass ignores its args (read back as 0)" veth0 0 0 0
check_errno "SET veth0 percent 50" 0 "$VNET_IOCTL" vnet0 set veth0 percent 50
expect_cfg "percent 50" veth0 1 50 0
check_errno "SET veth0 percent 50 9 (arg2 ignored)" 0 "$VNET_IOCTL" vnet0 set veth0 percent 50 9
expect_cfg "percent ignores arg2" veth0 1 50 0
check_errno "SET percent 0" 0 "$VNET_IOCTL" vnet0 set veth0 percent 0
check_errno "SET percent 100" 0 "$VNET_IOCTL" vnet0 set veth0 percent 100
check_errno "SET veth0 time 300 700" 0 "$VNET_IOCTL" vnet0 set veth0 time 300 700
expect_cfg "time 300 700" veth0 2 300 700
check_errno "SET time 1 1 (smallest)" 0 "$VNET_IOCTL" vnet0 set veth0 time 1 1
check_errno "SET veth0 time 300 700 again" 0 "$VNET_IOCTL" vnet0 set veth0 time 300 700

# bad modes and arguments: EINVAL, and nothing changes
check_errno "percent 101" EINVAL "$VNET_IOCTL" vnet0 set veth0 percent 101
check_errno "percent -1" EINVAL "$VNET_IOCTL" vnet0 set veth0 percent -1
check_errno "time 0 100" EINVAL "$VNET_IOCTL" vnet0 set veth0 time 0 100
check_errno "time 100 0" EINVAL "$VNET_IOCTL" vnet0 set veth0 time 100 0
check_errno "time -5 10" EINVAL "$VNET_IOCTL" vnet0 set veth0 time -5 10
check_errno "time 0 0" EINVAL "$VNET_IOCTL" vnet0 set veth0 time 0 0
check_errno "mode 4" EINVAL "$VNET_IOCTL" vnet0 set veth0 4
check_errno "mode -1" EINVAL "$VNET_IOCTL" vnet0 set veth0 -1
check_errno "detach with a bad mode" EINVAL "$VNET_IOCTL" vnet0 set "" 4
check_errno "slave name not NUL-terminated" EINVAL "$VNET_IOCTL" vnet0 set-noterm pass
expect_cfg "invalid SETs changed nothing" veth0 2 300 700

# bad slaves
check_errno "missing slave" ENODEV "$VNET_IOCTL" vnet0 set ksftnodev0 pass
check_errno "slave = itself" ELOOP "$VNET_IOCTL" vnet0 set vnet0 pass
check_errno "slave = another vnet" ELOOP "$VNET_IOCTL" vnet0 set vnet1 pass
check_errno "slave = lo (not Ethernet)" EINVAL "$VNET_IOCTL" vnet0 set lo pass
check_errno "vnet1 -> vnet0 (a vnet is never a slave)" ELOOP "$VNET_IOCTL" vnet1 set vnet0 pass
check_errno "vnet1 -> vnet0 (a vnet with a slave)" ELOOP "$VNET_IOCTL" vnet1 set vnet0 pass
expect_cfg "bad slaves changed nothing" veth0 2 300 700

modprobe macvlan 2>/dev/null
ip link add vethm0 type veth peer name vethm1 2>/dev/null
check_ok "macvlan mv0 on vethm0" ip link add mv0 link vethm0 type macvlan
check_errno "slave is a macvlan lower" EBUSY "$VNET_IOCTL" vnet1 set vethm0 pass
modprobe bridge 2>/dev/null
ip link add vethb0 type veth peer name vethb1 2>/dev/null
check_ok "bridge br0" ip link add br0 type bridge
check_ok "vethb0 enslaved to br0" ip link set vethb0 master br0
check_errno "slave is enslaved to a bridge" EBUSY "$VNET_IOCTL" vnet1 set vethb0 pass
check_errno "vnet1 -> vethb1 (free veth) works" 0 "$VNET_IOCTL" vnet1 set vethb1 pass
check_errno "vnet1 detach" 0 "$VNET_IOCTL" vnet1 set "" pass

# unknown command, bad pointers, wrong device
check_errno "SIOCDEVPRIVATE+3 is unknown" EOPNOTSUPP "$VNET_IOCTL" vnet0 raw 3
check_errno "SIOCDEVPRIVATE+15 is unknown" EOPNOTSUPP "$VNET_IOCTL" vnet0 raw 15
check_errno "SET with a bad pointer" EFAULT "$VNET_IOCTL" vnet0 badptr 1
check_errno "GET with a bad pointer" EFAULT "$VNET_IOCTL" vnet0 badptr 2
check_errno "GET on a missing device" ENODEV "$VNET_IOCTL" ksftnodev0 get
expect_cfg "bad pointers changed nothing" veth0 2 300 700

# privileges
check_errno "unprivileged GET works" 0 unpriv "$VNET_IOCTL" vnet0 get
check_eq "unprivileged GET sees the slave" veth0 "$(kv name)"
check_eq "unprivileged GET sees the mode" 2 "$(kv mode)"
check_errno "unprivileged SET" EPERM unpriv "$VNET_IOCTL" vnet0 set veth0 pass
check_errno "unprivileged detach" EPERM unpriv "$VNET_IOCTL" vnet0 set "" pass
check_errno "unprivileged RESET" EPERM unpriv "$VNET_IOCTL" vnet0 reset
expect_cfg "unprivileged SETs changed nothing" veth0 2 300 700
check_errno "privileged RESET" 0 "$VNET_IOCTL" vnet0 reset

# detach
check_errno "SET \"\" detaches" 0 "$VNET_IOCTL" vnet0 set "" pass
expect_cfg "detached" "" 0 0 0
check_eq "detached vnet0 is NOARP again" 1 "$(dev_noarp vnet0)"

ksft_done
