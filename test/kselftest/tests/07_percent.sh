#!/bin/sh
# Percent mode: arg1 is the share PASSED.  With a seed the user chose, the
# k-th frame's decision is a hash of the seed and k, so the same seed gives
# the same decisions for the same transmits, on whichever CPU they run.
# Raw test frames go out vnet0 (relay to veth0) and are counted on veth1
# in the peer namespace.
. "$(dirname "$0")/../lib.sh"
need ip ethtool

N=1000
out=/tmp/vnet-ksft-07-recv

relay_frames_setup

# relay_run SETCMD...: configure, reset, send N frames, collect.  Sets
# R_SENT R_RECV R_HASH R_TX R_DROP R_DROPPED.
relay_run() {
	run "$@"
	[ "$RC" -eq 0 ] || fail "'$*' failed: $OUT"
	"$VNET_IOCTL" vnet0 reset >/dev/null || fail "reset"
	peer_recv_start $out $N
	run $SEND_ON "$PKTLOOP" send vnet0 count=$N size=100
	R_SENT=$(kv sent_ok)
	R=$(peer_recv_finish $out)
	R_RECV=$(kv received "$R")
	R_HASH=$(kv seq_hash "$R")
	R_TX=$(ethtool_stat vnet0 tx_packets)
	R_DROP=$(ethtool_stat vnet0 tx_drop_percent)
	R_DROPPED=$(ethtool_stat vnet0 tx_dropped)
	echo "run '$*': sent=$R_SENT tx_packets=$R_TX tx_drop_percent=$R_DROP tx_dropped=$R_DROPPED peer_received=$R_RECV hash=$R_HASH"
}

# check_run DESC: the per-run invariants.
check_run() {
	check_eq "$1: all $N sends accepted" $N "$R_SENT"
	check_eq "$1: every frame relayed or dropped by percent" $N $((R_TX + R_DROP))
	check_eq "$1: tx_dropped = tx_drop_percent" "$R_DROP" "$R_DROPPED"
	check_eq "$1: the peer got exactly the relayed frames" "$R_TX" "$R_RECV"
}

# --- percent 30 with a fixed seed: ratio, and reproducible, also when the
# sender runs on another CPU
SEND_ON="taskset -c 0"
relay_run "$VNET_GENL" set vnet0 mode=percent arg1=30 seed=424242
check_run "percent 30 seed 424242"
# 30% of 1000: mean 300, sd 14.5; +-100 is ~7 sd.
check_range "percent 30: passed ~30%" 200 400 "$R_TX"
h1=$R_HASH
c1=$R_TX
run "$VNET_GENL" get vnet0
check_eq "GET reports the seed" 424242 "$(kv seed)"
check_eq "GET reports percent" 1 "$(kv mode)"
check_eq "GET reports 30" 30 "$(kv arg1)"

SEND_ON="taskset -c $(( $(nproc) - 1 ))"
relay_run "$VNET_GENL" set vnet0 mode=percent arg1=30 seed=424242
check_run "percent 30 seed 424242 again, sent from CPU $(( $(nproc) - 1 ))"
check_eq "same seed: same number passed" "$c1" "$R_TX"
check_eq "same seed: the same frames passed" "$h1" "$R_HASH"
SEND_ON=""

same=1
for s in 1 2 3; do
	relay_run "$VNET_GENL" set vnet0 mode=percent arg1=30 seed=$s
	check_run "percent 30 seed $s"
	check_range "percent 30 seed $s: passed ~30%" 200 400 "$R_TX"
	[ "$R_HASH" = "$h1" ] || same=0
done
check_eq "different seeds choose different frames" 0 "$same"

# --- the extremes
relay_run "$VNET_GENL" set vnet0 mode=percent arg1=0 seed=7
check_run "percent 0"
check_eq "percent 0: nothing passed" 0 "$R_TX"
check_eq "percent 0: all dropped" $N "$R_DROP"
relay_run "$VNET_GENL" set vnet0 mode=percent arg1=100 seed=7
check_run "percent 100"
check_eq "percent 100: all passed" $N "$R_TX"
check_eq "percent 100: none dropped" 0 "$R_DROP"

# --- the ioctl path (random seed) and another ratio
relay_run "$VNET_IOCTL" vnet0 set veth0 percent 75
check_run "ioctl percent 75"
check_range "percent 75: passed ~75%" 650 850 "$R_TX"

# --- pass mode: everything, no drop counters
relay_run "$VNET_IOCTL" vnet0 set veth0 pass
check_run "pass"
check_eq "pass: all relayed" $N "$R_TX"

rm -f $out
ksft_done
