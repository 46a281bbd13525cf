#!/bin/sh
# Generic netlink "vnet_nl": ECHO (seed-002 libnl client unchanged, and the
# size limit), GET doit/dumpit, SET semantics and atomicity, RESET_STATS,
# strict attribute policy, privileges, and the "events" group.
. "$(dirname "$0")/../lib.sh"
need ip setpriv

mon=/tmp/vnet-ksft-10-mon

vnet_reload numdevs=2
topo_veth
idx0=$(dev_ifindex vnet0)
idx1=$(dev_ifindex vnet1)
vidx=$(dev_ifindex veth0)
own=$(dev_mac vnet0)

# The missing attribute of a refused request: its type travels in the
# ack (NLMSGERR_ATTR_MISS_TYPE) where the kernel's netlink core can carry
# it, from 6.1 on (690252f19f0e, "netlink: add support for ext_ack
# missing attributes"); the extack text names it on every kernel.
kver=$(uname -r)
kmaj=${kver%%.*}
kmin=${kver#*.}
kmin=${kmin%%[!0-9]*}
ack_has_miss_type=0
[ "$kmaj" -gt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -ge 1 ]; } && ack_has_miss_type=1
check_missing() {	# check_missing WHAT ATTR_NAME ATTR_TYPE: after run
	check_match "$1: extack text names $2" "$2" "$(kv extack)"
	if [ $ack_has_miss_type -eq 1 ] || [ -n "$(kv extack_miss_type)" ]; then
		check_eq "$1: the ack names the missing $2" "$3" "$(kv extack_miss_type)"
	fi
}

# --- ECHO
check_ok "seed-002 libnl client (vnet_nl_echo)" "$VNET_NL_ECHO" "hello vnet"
check_eq "seed-002 client got its string back" "hello vnet" "$(kv msg)"
check_eq "reply is a VNET_CMD_ECHO message" 1 "$(kv cmd)"
check_ok "seed-002 client, unprivileged" unpriv "$VNET_NL_ECHO" "from nobody"
check_eq "unprivileged echo reply" "from nobody" "$(kv msg)"
check_errno "echo (raw client)" 0 "$VNET_GENL" echo "ping"
check_eq "one reply with the same seq and string" 1 "$(kv match)"
check_errno "echo of VNET_ECHO_MSG_MAX (4096) bytes" 0 "$VNET_GENL" echo --len 4096
check_eq "4096-byte echo comes back whole" 4096 "$(kv msg_len)"
run "$VNET_GENL" echo --len 4097
check_ne "echo of 4097 bytes is refused" 0 "$RC"
check_ne "refused echo: error" "" "$(kv error)"
check_ne "refused echo carries an extack message" "" "$(kv extack)"
check_errno "echo of an empty string" 0 "$VNET_GENL" echo --len 0
check_eq "empty echo comes back empty" "0 1" "$(kv msg_len) $(kv match)"
run "$VNET_GENL" echo --none
check_ne "echo without the message attribute is refused" 0 "$RC"
check_missing "echo without the message" VNET_ATTR_MSG 1
check_errno "echo with an unknown attribute" EINVAL "$VNET_GENL" --unknown-attr echo hi
check_ne "unknown attribute: extack message" "" "$(kv extack)"

# --- GET
check_errno "GET vnet0 by name" 0 "$VNET_GENL" get vnet0
check_eq "GET by name: ifindex" "$idx0" "$(kv ifindex)"
check_eq "GET by name: ifname" vnet0 "$(kv ifname)"
check_eq "GET: pass mode" 0 "$(kv mode)"
check_eq "GET: arg1" 0 "$(kv arg1)"
check_eq "GET: arg2" 0 "$(kv arg2)"
check_nomatch "GET: no slave attributes without a slave" '^slave_(name|ifindex)=' "$OUT"
for s in rx_packets rx_bytes tx_packets tx_bytes rx_dropped tx_dropped \
	tx_drop_percent tx_drop_time tx_drop_no_slave tx_drop_slave slave_lost; do
	check_match "GET carries stats $s" "^$s=[0-9]+\$" "$OUT"
done
check_errno "GET vnet1 by ifindex" 0 "$VNET_GENL" get "$idx1"
check_eq "GET by ifindex: ifname" vnet1 "$(kv ifname)"
check_errno "GET with ifindex of vnet1 and name vnet0" 0 "$VNET_GENL" get "$idx1:vnet0"
check_eq "the index wins" vnet1 "$(kv ifname)"
check_errno "GET lo (not vnet)" ENODEV "$VNET_GENL" get lo
check_ne "GET lo: extack message" "" "$(kv extack)"
check_errno "GET veth0 (not vnet)" ENODEV "$VNET_GENL" get veth0
check_errno "GET missing name" ENODEV "$VNET_GENL" get ksftnodev0
check_ne "GET missing: extack message" "" "$(kv extack)"
check_errno "GET missing ifindex" ENODEV "$VNET_GENL" get 999999
run "$VNET_GENL" get -
check_ne "GET without a device fails" 0 "$RC"
check_ne "GET without a device: extack message" "" "$(kv extack)"
check_errno "GET with an unknown attribute" EINVAL "$VNET_GENL" --unknown-attr get vnet0
check_ne "unknown attribute: extack message" "" "$(kv extack)"
check_errno "unprivileged GET" 0 unpriv "$VNET_GENL" get vnet0

# --- dump
check_errno "dump" 0 "$VNET_GENL" dump
check_eq "dump: exactly the two vnet devices" 2 "$(kv count)"
check_match "dump lists vnet0" '^ifname=vnet0$' "$OUT"
check_match "dump lists vnet1" '^ifname=vnet1$' "$OUT"
check_nomatch "dump lists no other device" '^ifname=(lo|veth0)$' "$OUT"
check_errno "unprivileged dump" 0 unpriv "$VNET_GENL" dump
check_eq "unprivileged dump: two devices" 2 "$(kv count)"

# --- events monitor for the rest
: > $mon
bg "$VNET_GENL" monitor 120000 > $mon 2>&1
wait_line $mon '^ready' 100 || fail "event monitor did not start"

# --- SET
check_errno "SET percent 40 seed 12345 slave veth0" 0 \
	"$VNET_GENL" set vnet0 mode=percent arg1=40 seed=12345 slave=veth0
check_eq "SET reply: mode" 1 "$(kv mode)"
check_eq "SET reply: arg1" 40 "$(kv arg1)"
check_eq "SET reply: arg2 absent = 0" 0 "$(kv arg2)"
check_eq "SET reply: seed" 12345 "$(kv seed)"
check_eq "SET reply: slave_name" veth0 "$(kv slave_name)"
check_eq "SET reply: slave_ifindex" "$vidx" "$(kv slave_ifindex)"
check_errno "ioctl GET agrees" 0 "$VNET_IOCTL" vnet0 get
check_eq "ioctl GET: slave" veth0 "$(kv name)"
check_eq "ioctl GET: percent 40" "1 40" "$(kv mode) $(kv arg1)"
check_eq "attached by netlink: veth0's MAC" "$(dev_mac veth0)" "$(dev_mac vnet0)"
wait_line $mon '^event=config' 50
ev=$(sed -n '/^event=config$/,/^$/p' $mon | head -n 30)
check_match "CONFIG event after netlink SET" '^event=config$' "$ev"
check_match "CONFIG event: ifname" '^ifname=vnet0$' "$ev"
check_match "CONFIG event: new mode" '^mode=1$' "$ev"
check_match "CONFIG event: new slave" '^slave_name=veth0$' "$ev"

check_errno "SET time 100 200, slave absent (keep)" 0 \
	"$VNET_GENL" set vnet0 mode=time arg1=100 arg2=200
check_eq "slave kept" veth0 "$(kv slave_name)"
check_eq "time 100 200" "2 100 200" "$(kv mode) $(kv arg1) $(kv arg2)"
check_errno "SET percent, args absent" 0 "$VNET_GENL" set vnet0 mode=percent
check_eq "absent arg1 = 0" 0 "$(kv arg1)"
check_eq "absent arg2 = 0" 0 "$(kv arg2)"
seed1=$(kv seed)
check_errno "SET percent 50 without a seed" 0 "$VNET_GENL" set vnet0 mode=percent arg1=50
seed2=$(kv seed)
check_errno "SET percent 50 without a seed, again" 0 "$VNET_GENL" set vnet0 mode=percent arg1=50
seed3=$(kv seed)
check_ne "absent seed is random (1st vs 2nd)" "$seed1" "$seed2"
check_ne "absent seed is random (2nd vs 3rd)" "$seed2" "$seed3"

# atomicity: invalid requests change nothing
check_errno "SET time 100 200 (known state)" 0 "$VNET_GENL" set vnet0 mode=time arg1=100 arg2=200 seed=99
for bad in "mode=percent arg1=101" "mode=percent arg1=-1" "mode=time arg1=0 arg2=5" \
	"mode=time arg1=5 arg2=0" "mode=4" "mode=-1" "arg1=5" \
	"mode=percent arg1=150 slave=" "mode=time arg1=0 arg2=5 slave_ifindex=0"; do
	# shellcheck disable=SC2086
	check_errno "invalid SET ($bad)" EINVAL "$VNET_GENL" set vnet0 $bad
	check_ne "invalid SET ($bad): extack message" "" "$(kv extack)"
done
run "$VNET_GENL" set vnet0 arg1=5
check_missing "SET without mode" VNET_ATTR_MODE 4
check_errno "SET pass with a missing slave" ENODEV "$VNET_GENL" set vnet0 mode=pass slave=ksftnodev0
check_errno "SET pass with slave = itself" ELOOP "$VNET_GENL" set vnet0 mode=pass slave=vnet0
check_errno "SET pass with slave = vnet1" ELOOP "$VNET_GENL" set vnet0 mode=pass slave=vnet1
check_errno "SET pass with slave = lo" EINVAL "$VNET_GENL" set vnet0 mode=pass slave=lo
check_errno "SET with an unknown attribute" EINVAL "$VNET_GENL" --unknown-attr set vnet0 mode=pass
check_errno "SET on a non-vnet device" ENODEV "$VNET_GENL" set veth0 mode=pass
check_errno "GET after the invalid SETs" 0 "$VNET_GENL" get vnet0
check_eq "config unchanged: mode/args" "2 100 200" "$(kv mode) $(kv arg1) $(kv arg2)"
check_eq "config unchanged: seed" 99 "$(kv seed)"
check_eq "config unchanged: slave" veth0 "$(kv slave_name)"
check_eq "config unchanged: MAC" "$(dev_mac veth0)" "$(dev_mac vnet0)"

check_errno "vnet1 SET slave vnet0 (a vnet device)" ELOOP "$VNET_GENL" set vnet1 mode=pass slave=vnet0

# detach, then a valid slave with a bad percent changes nothing
check_errno "SET slave_ifindex=0 detaches" 0 "$VNET_GENL" set vnet0 mode=pass slave_ifindex=0
check_nomatch "detached: no slave attributes" '^slave_(name|ifindex)=' "$OUT"
check_eq "detached: own MAC" "$own" "$(dev_mac vnet0)"
check_errno "valid slave + percent 150" EINVAL "$VNET_GENL" set vnet0 mode=percent arg1=150 slave=veth0
check_errno "GET" 0 "$VNET_GENL" get vnet0
check_nomatch "still detached" '^slave_(name|ifindex)=' "$OUT"
check_eq "still pass" 0 "$(kv mode)"
check_eq "still own MAC" "$own" "$(dev_mac vnet0)"
check_eq "still NOARP" 1 "$(dev_noarp vnet0)"
check_errno "attach by slave_ifindex" 0 "$VNET_GENL" set vnet0 mode=pass slave_ifindex="$vidx"
check_eq "attached by ifindex" veth0 "$(kv slave_name)"
check_errno "SET slave=\"\" detaches" 0 "$VNET_GENL" set vnet0 mode=pass slave=
check_nomatch "detached by empty name" '^slave_(name|ifindex)=' "$OUT"

# --- privileges
check_errno "unprivileged SET" EPERM unpriv "$VNET_GENL" set vnet0 mode=percent arg1=10
check_errno "unprivileged RESET" EPERM unpriv "$VNET_GENL" reset vnet0
check_errno "GET after unprivileged SET" 0 "$VNET_GENL" get vnet0
check_eq "unprivileged SET changed nothing" 0 "$(kv mode)"

# --- RESET_STATS, and the STATS_RESET event
ip link set vnet1 up
sleep 0.5
"$PKTLOOP" loop vnet1 count=50 >/dev/null
check_ge "vnet1 has traffic" 50 "$(genl_stat vnet1 tx_packets)"
check_errno "netlink RESET vnet1" 0 "$VNET_GENL" reset vnet1
check_eq "RESET reply: tx_packets 0" 0 "$(kv tx_packets)"
check_eq "RESET reply: rx_packets 0" 0 "$(kv rx_packets)"
check_eq "RESET reply: names vnet1" vnet1 "$(kv ifname)"
check_eq "after RESET: ip -s tx packets" 0 "$(ipjson_stat vnet1 tx packets)"
check_errno "RESET with an unknown attribute" EINVAL "$VNET_GENL" --unknown-attr reset vnet1
check_errno "RESET on lo" ENODEV "$VNET_GENL" reset lo
wait_line $mon '^event=stats_reset' 50
ev=$(sed -n '/^event=stats_reset$/,/^$/p' $mon)
check_match "STATS_RESET event after netlink RESET" '^ifname=vnet1$' "$ev"

# --- events from the ioctl path
n_cfg=$(grep -c '^event=config$' $mon)
n_rst=$(grep -c '^event=stats_reset$' $mon)
check_errno "ioctl SET vnet1 percent 20" 0 "$VNET_IOCTL" vnet1 set "" percent 20
check_errno "ioctl RESET vnet1" 0 "$VNET_IOCTL" vnet1 reset
sleep 1
check_eq "ioctl SET sent a CONFIG event" $((n_cfg + 1)) "$(grep -c '^event=config$' $mon)"
check_eq "ioctl RESET sent a STATS_RESET event" $((n_rst + 1)) "$(grep -c '^event=stats_reset$' $mon)"
check_match "events carry the VNET_CMD_EVENT command (5)" '^event_cmd=5$' "$(cat $mon)"
check_nomatch "no event of an unknown kind" '^event=(unknown|unspec)$' "$(cat $mon)"

rm -f $mon
ksft_done
