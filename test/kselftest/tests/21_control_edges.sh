#!/bin/sh
# Control-plane edges: RTM_NEWLINK validates the whole request before a
# device exists (a bad request never creates and destroys one) and points
# extack at the offending attribute; drops are visible to drop monitors
# (the skb:kfree_skb tracepoint), relayed frames never are.
. "$(dirname "$0")/../lib.sh"
need ip

mon=/tmp/vnet-ksft-21-monitor
test_cleanup() {
	[ -n "$TRACE" ] && echo 0 > "$TRACE/events/skb/kfree_skb/enable" 2>/dev/null
	[ -n "$TRACE" ] && echo 0 > "$TRACE/events/skb/kfree_skb/filter" 2>/dev/null
	rm -f $mon
}

vnet_reload
topo_veth

# --- bad NEWLINK requests: refused before registration
: > $mon
bg ip -o monitor link > $mon 2>&1
sleep 0.5
check_errno "NEWLINK mode 9 refused" EINVAL "$VNET_RTNL" add vr1 mode=9
check_eq "mode 9: extack points at IFLA_VNET_MODE" 1 "$(kv extack_bad_type)"
check_errno "NEWLINK percent 101 refused" EINVAL "$VNET_RTNL" add vr1 mode=percent arg1=101
check_eq "percent 101: extack points at IFLA_VNET_ARG1" 2 "$(kv extack_bad_type)"
check_errno "NEWLINK time 5 0 refused" EINVAL "$VNET_RTNL" add vr1 mode=time arg1=5 arg2=0
check_eq "time 5 0: extack points at IFLA_VNET_ARG2" 3 "$(kv extack_bad_type)"
check_errno "NEWLINK link=lo refused" EINVAL "$VNET_RTNL" add vr1 link=lo
check_match "link=lo: extack says why" "Ethernet" "$(kv extack)"
check_errno "NEWLINK link=vnet0 refused" ELOOP "$VNET_RTNL" add vr1 link=vnet0
check_errno "a good NEWLINK still works" 0 "$VNET_RTNL" add vr2 link=veth0 mode=percent arg1=50
sleep 0.5
check_nomatch "no device vr1 ever appeared (no NEWLINK/DELLINK)" 'vr1' "$(cat $mon)"
check_match "the monitor did see vr2" 'vr2' "$(cat $mon)"
ip link del vr2

# --- drop monitors see drops, and only drops
TRACE=/sys/kernel/tracing
[ -d $TRACE/events ] || TRACE=/sys/kernel/debug/tracing
if [ ! -d "$TRACE/events/skb/kfree_skb" ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	TRACE=/sys/kernel/tracing
fi
check_ok "the skb:kfree_skb tracepoint exists" test -d "$TRACE/events/skb/kfree_skb"

# Only events raised from vnet's own code: the tracepoint's location (the
# caller of kfree_skb) within the module, from /proc/modules (the trace
# prints it hashed).  The peer drops the test frames too (no handler for
# their ethertype): those do not count.
mod_base=$(awk '$1 == "vnet" { print $6 }' /proc/modules)
mod_size=$(awk '$1 == "vnet" { print $2 }' /proc/modules)
mod_end=$(printf '0x%x' $((mod_base + mod_size)))
check_ok "kfree_skb filter on vnet's text" sh -c \
	"echo 'location >= $mod_base && location < $mod_end' > $TRACE/events/skb/kfree_skb/filter"

# vnet_kfree N MODE...: send N frames out vnet0 in MODE, print how many
# kfree_skb events vnet itself raised.
vnet_kfree() {
	__n=$1
	shift
	"$VNET_IOCTL" vnet0 set veth0 "$@" >/dev/null || fail "SET $*"
	echo > "$TRACE/trace"
	echo 1 > "$TRACE/events/skb/kfree_skb/enable"
	"$PKTLOOP" send vnet0 count="$__n" >/dev/null
	sleep 0.5
	echo 0 > "$TRACE/events/skb/kfree_skb/enable"
	grep -c 'kfree_skb:' "$TRACE/trace"
}

ip link set vnet0 up
"$VNET_IOCTL" vnet0 set veth0 pass >/dev/null
wait_oper vnet0
check_eq "percent 0: every dropped frame is a kfree_skb event" 50 \
	"$(vnet_kfree 50 percent 0)"
check_eq "pass: relayed frames raise no kfree_skb" 0 "$(vnet_kfree 50 pass)"
check_eq "percent 100: no kfree_skb" 0 "$(vnet_kfree 50 percent 100)"

ksft_done
