#!/bin/sh
# Auto-revert: a SET with revert_ms makes the kernel set that direction
# back to pass when the time is up, even if nobody is left to ask; GET
# shows the time left; the revert raises an event naming the direction; a
# later SET cancels it; deleting the device or rmmod with a revert pending
# is clean.
. "$(dirname "$0")/../lib.sh"
need ip

mon=/tmp/vnet-ksft-26-mon
test_cleanup() {
	rm -f $mon
}

vnet_reload
topo_veth
check_errno "attach" 0 "$VNET_IOCTL" vnet0 set veth0 pass

: > $mon
bg "$VNET_GENL" monitor 20000 10 > $mon 2>&1
wait_line $mon '^ready' 100 || fail "monitor did not start"

check_errno "percent 0 for 1500 ms" 0 "$VNET_GENL" set vnet0 mode=percent arg1=0 revert_ms=1500
left=$(genl_stat vnet0 revert_ms)
check_range "GET: time left" 1 1500 "$left"
check_eq "still percent 0 now" 1 "$(genl_stat vnet0 mode)"
sleep 2.5
check_eq "reverted to pass" 0 "$(genl_stat vnet0 mode)"
check_eq "no time left shown" "" "$(genl_stat vnet0 revert_ms)"
wait_line $mon '^event=reverted' 50
check_match "the monitor saw the revert" '^event=reverted' "$(cat $mon)"
check_match "the revert event names the transmit direction" '^direction=0$' "$(cat $mon)"

# the receive direction, and both
check_errno "rx percent 0 for 1 s" 0 "$VNET_GENL" set vnet0 dir=rx mode=percent arg1=0 revert_ms=1000
check_range "GET: rx time left" 1 1000 "$(genl_stat vnet0 rx_revert_ms)"
sleep 2
check_eq "rx reverted to pass" 0 "$(genl_stat vnet0 rx_mode)"
check_errno "both time 5 5 for 1 s" 0 "$VNET_GENL" set vnet0 dir=both mode=time arg1=5 arg2=5 revert_ms=1000
sleep 2
check_eq "both reverted" "0 0" "$(genl_stat vnet0 mode) $(genl_stat vnet0 rx_mode)"

# a later SET cancels it
check_errno "percent 0 for 1 s" 0 "$VNET_GENL" set vnet0 mode=percent arg1=0 revert_ms=1000
check_errno "then percent 20, no revert" 0 "$VNET_GENL" set vnet0 mode=percent arg1=20
sleep 2
check_eq "the later SET stands" "1 20" "$(genl_stat vnet0 mode) $(genl_stat vnet0 arg1)"
check_eq "no revert pending" "" "$(genl_stat vnet0 revert_ms)"
check_errno "percent 0 for 1 s" 0 "$VNET_GENL" set vnet0 mode=percent arg1=0 revert_ms=1000
check_errno "replaced: percent 10 for 60 s" 0 "$VNET_GENL" set vnet0 mode=percent arg1=10 revert_ms=60000
sleep 2
check_eq "the replacement stands" "1 10" "$(genl_stat vnet0 mode) $(genl_stat vnet0 arg1)"
check_range "the new revert is pending" 50000 60000 "$(genl_stat vnet0 revert_ms)"

# validation
check_errno "more than 7 days" EINVAL "$VNET_GENL" set vnet0 mode=pass revert_ms=604800001
check_match "extack says why" "7 days" "$(kv extack)"

# teardown with reverts pending: device deleted, then rmmod
ip link add vr0 type vnet
check_errno "vr0: revert pending" 0 "$VNET_GENL" set vr0 mode=percent arg1=0 revert_ms=30000
check_ok "delete vr0 with a revert pending" ip link del vr0
check_ok "rmmod with a revert pending on vnet0" rmmod vnet
check_ok "modprobe again" modprobe vnet
ksft_done
