# SPDX-License-Identifier: GPL-2.0
# The fault matrix's helpers, on top of the selftests' lib.sh: a pktgen
# flood straight into a device's ndo_start_xmit, the counter balance that
# must hold exactly after it, and "the module still works".
#
#	. "$(dirname "$0")/../lib.sh"
#
# FAULT_ITER (default 20) and FAULT_RMMOD_ITER (default 50) set the
# iterations; test/fault/run.sh passes them on.

VNET_KSFT_BIN=${VNET_KSFT_BIN:-$(cd "$(dirname "$0")/../../kselftest/build" && pwd)}
. "$(dirname "$0")/../../kselftest/lib.sh"

ITER=${FAULT_ITER:-20}
RMMOD_ITER=${FAULT_RMMOD_ITER:-50}
PG=/proc/net/pktgen
PG_PID=""

pg() { echo "$2" > "$PG/$1"; }

# pg_add DEV [THREAD] [COUNT]: DEV on pktgen thread THREAD (default 0),
# COUNT frames (0 = until stopped), 60 bytes, a fresh skb each.
pg_add() {
	pg "kpktgend_${2:-0}" "add_device $1"
	pg "$1" "count ${3:-0}"
	pg "$1" "pkt_size 60"
	pg "$1" "clone_skb 0"
	pg "$1" "delay 0"
	pg "$1" "dst_mac 02:00:00:00:00:01"
}

pg_reset() {
	modprobe pktgen 2>/dev/null
	[ -e $PG/pgctrl ] || { fail "pktgen unavailable"; ksft_done; }
	for t in $PG/kpktgend_*; do echo rem_device_all > "$t"; done
}

# pg_start: run every thread's devices, in the background.
pg_start() {
	( echo start > $PG/pgctrl ) 2>/dev/null &
	PG_PID=$!
	BG_PIDS="$BG_PIDS $PG_PID"
	sleep 0.3
}

# pg_wait: the flood has ended (its devices stopped or went away).
pg_wait() {
	wait "$PG_PID" 2>/dev/null
}

pg_stop() {
	echo stop > $PG/pgctrl 2>/dev/null
	pg_wait
}

# pg_sofar DEV: frames pktgen handed to DEV's ndo_start_xmit in its last run.
pg_sofar() {
	sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p' "$PG/$1" | head -n 1
}

# pktgen stops a device for good when its carrier goes (every change of
# slave is a carrier event), so a flood across faults is a run per
# iteration: flood_begin, the fault, flood_end DEV, which adds the run's
# frames to FLOOD_TOTAL.
FLOOD_TOTAL=0
flood_begin() {
	pg_start
}
flood_end() {
	pg_stop
	FLOOD_TOTAL=$((FLOOD_TOTAL + $(pg_sofar "$1")))
}

# balance DEV WHAT [SENT]: after floods from counters reset to zero, every
# frame pktgen handed to vnet's xmit (SENT, default FLOOD_TOTAL) is
# counted exactly once:
#	SENT = tx_packets + tx_drop_percent + tx_drop_time
#	       + tx_drop_no_slave + tx_drop_slave
# (tx_dropped is the sum of the four reasons).  In loopback mode every
# frame is a tx_packet.
balance() {
	sleep 0.5
	__s=${3:-$FLOOD_TOTAL}
	__tx=$(ethtool_stat "$1" tx_packets)
	__dp=$(ethtool_stat "$1" tx_drop_percent)
	__dt=$(ethtool_stat "$1" tx_drop_time)
	__dn=$(ethtool_stat "$1" tx_drop_no_slave)
	__ds=$(ethtool_stat "$1" tx_drop_slave)
	__d=$(ethtool_stat "$1" tx_dropped)
	echo "balance $1: sofar=$__s tx_packets=$__tx percent=$__dp time=$__dt no_slave=$__dn slave=$__ds"
	check_gt "$2: pktgen sent" 0 "$__s"
	check_eq "$2: sent = tx_packets + the four drop reasons" "$__s" \
		$((__tx + __dp + __dt + __dn + __ds))
	check_eq "$2: tx_dropped = the four reasons" "$__d" $((__dp + __dt + __dn + __ds))
}

# module_works: ECHO, a SET and looped traffic on a fresh device.
module_works() {
	check_ok "$1: ECHO" sh -c "'$VNET_GENL' echo alive | grep -q '^msg=alive$'"
	ip link del fw0 2>/dev/null
	check_ok "$1: a new device" ip link add fw0 type vnet
	check_errno "$1: SET" 0 "$VNET_GENL" set fw0 mode=percent arg1=100
	ip link set fw0 up
	run "$PKTLOOP" loop fw0 count=100
	check_eq "$1: traffic loops" 100 "$(kv received)"
	ip link del fw0
}

# slave_veth NAME: a veth pair NAME/NAMEp, both up.
slave_veth() {
	ip link add "$1" type veth peer name "${1}p" || return 1
	ip link set "$1" up && ip link set "${1}p" up
}

# wait_loopback DEV: DEV has no slave (within 5 s).
wait_loopback() {
	wait_for "$KSFT_SH" -c "! '$VNET_GENL' get $1 | grep -q '^slave_name='"
}
