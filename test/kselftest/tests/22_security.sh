#!/bin/sh
# Who may do what.  Mutating requests (SET, RESET) need CAP_NET_ADMIN over
# the device's network namespace, on both paths; reading (GET, dump, ECHO)
# is open.  A user namespace gives its owner that capability over the
# network namespaces it creates, never over the initial one, and nobody
# reaches a device of another namespace by name or index.
. "$(dirname "$0")/../lib.sh"
need ip unshare setpriv

vnet_reload
topo_veth
check_errno "attach vnet0 to veth0" 0 "$VNET_IOCTL" vnet0 set veth0 percent 50
idx=$(dev_ifindex vnet0)

check_ok "unprivileged user namespaces are available" \
	unpriv unshare -Ur true

# --- nobody, no capabilities, initial namespaces
check_errno "nobody: ioctl SET" EPERM unpriv "$VNET_IOCTL" vnet0 set veth0 pass
check_errno "nobody: ioctl RESET" EPERM unpriv "$VNET_IOCTL" vnet0 reset
check_errno "nobody: netlink SET" EPERM unpriv "$VNET_GENL" set vnet0 mode=pass
check_errno "nobody: netlink RESET" EPERM unpriv "$VNET_GENL" reset vnet0
check_errno "nobody: ioctl GET" 0 unpriv "$VNET_IOCTL" vnet0 get
check_errno "nobody: netlink GET" 0 unpriv "$VNET_GENL" get vnet0
check_errno "nobody: netlink dump" 0 unpriv "$VNET_GENL" dump
check_errno "nobody: ECHO" 0 unpriv "$VNET_GENL" echo hello

# --- capabilities from a child user namespace only, initial netns:
# root of its own user namespace is nobody to the initial netns's owner
for what in "ioctl SET:$VNET_IOCTL vnet0 set veth0 pass" \
	    "ioctl RESET:$VNET_IOCTL vnet0 reset" \
	    "netlink SET:$VNET_GENL set vnet0 mode=pass" \
	    "netlink RESET:$VNET_GENL reset vnet0"; do
	check_errno "child-userns root, initial netns: ${what%%:*}" EPERM \
		unpriv unshare -Ur ${what#*:}
done
check_errno "child-userns root, initial netns: GET" 0 \
	unpriv unshare -Ur "$VNET_GENL" get vnet0
check_errno "child-userns root, initial netns: ECHO" 0 \
	unpriv unshare -Ur "$VNET_GENL" echo hi
check_eq "the policy is untouched" "1 50" \
	"$("$VNET_GENL" get vnet0 | sed -n 's/^mode=//p;s/^arg1=//p' | tr '\n' ' ' | sed 's/ $//')"

# --- its own user + network namespace: everything there, nothing here
run unpriv unshare -Urn "$KSFT_SH" -c "
	ip link set lo up
	ip link add vu0 type vnet || exit 90
	ip link add vs0 type veth peer name vs1 || exit 91
	'$VNET_GENL' set vu0 mode=percent arg1=25 slave=vs0 >/dev/null || exit 92
	'$VNET_IOCTL' vu0 reset >/dev/null || exit 93
	'$VNET_GENL' reset vu0 >/dev/null || exit 94
	'$VNET_IOCTL' vu0 set vs0 time 10 20 >/dev/null || exit 95
	'$VNET_IOCTL' vu0 get
	'$VNET_GENL' get vnet0; echo get_name=\$?
	'$VNET_GENL' get $idx; echo get_index=\$?
	'$VNET_GENL' set $idx mode=pass; echo set_index=\$?
	'$VNET_IOCTL' vnet0 reset; echo reset_name=\$?
	echo dump_count=\$('$VNET_GENL' dump | grep -c '^ifname=')
	exit 0"
check_eq "own netns: create, attach, SET and RESET on both paths" 0 "$RC"
check_eq "own netns: the configuration applied" "vs0 2 10 20" \
	"$(kv name) $(kv mode) $(kv arg1) $(kv arg2)"
check_eq "own netns: vnet0 of the initial netns is not found by name" 19 "$(kv get_name)"
check_eq "own netns: nor by index $idx" 19 "$(kv get_index)"
check_eq "own netns: SET by index $idx finds nothing" 19 "$(kv set_index)"
check_eq "own netns: ioctl RESET on vnet0 finds nothing" 19 "$(kv reset_name)"
check_eq "own netns: dump lists only its own vu0" 1 "$(kv dump_count)"
check_eq "the initial vnet0 is untouched" "1 50" \
	"$("$VNET_GENL" get vnet0 | sed -n 's/^mode=//p;s/^arg1=//p' | tr '\n' ' ' | sed 's/ $//')"

ksft_done
