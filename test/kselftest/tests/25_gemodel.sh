#!/bin/sh
# Burst loss, netem's "loss gemodel" (Gilbert-Elliott): P = 1 %, R = 20 %,
# 1-H = 100 % (the default), 1-K = 0.  Stationary loss P/(P+R) = 4.76 %,
# mean burst 1/R = 5 frames.  N frames relayed to the peer, who counts
# the missing sequence numbers and the runs they form.
#
# Bounds (3 sigma): the loss ratio's variance is the binomial one times
# (1 + 2 rho / (1 - rho)), rho = 1 - P - R = 0.79 (the chain's memory):
# sd = sqrt(N * 0.0476 * 0.9524 * 8.52) = 88 frames for N = 20000, so
# 952 +- 264.  About N * 0.952 * P = 190 bursts of geometric length
# (mean 5, sd 4.5): their mean is within 5 +- 1.
. "$(dirname "$0")/../lib.sh"
need ip

N=20000
out=/tmp/vnet-ksft-25-recv

relay_frames_setup
check_errno "gemodel p=1% r=20%" 0 "$VNET_GENL" set vnet0 mode=gemodel \
	arg1=10000 arg2=200000 seed=2024
run "$VNET_GENL" get vnet0
check_eq "GET: gemodel, p, r, 1-h defaulted to 100%, 1-k 0" "3 10000 200000 1000000 0" \
	"$(kv mode) $(kv arg1) $(kv arg2) $(kv arg3) $(kv arg4)"
"$VNET_IOCTL" vnet0 reset >/dev/null
peer_recv_start $out $N
run "$PKTLOOP" send vnet0 count=$N size=60
R=$(peer_recv_finish $out)
recv=$(kv received "$R")
lost=$(kv lost "$R")
runs=$(kv loss_runs "$R")
drops=$(ethtool_stat vnet0 tx_drop_gemodel)
echo "gemodel: received=$recv lost=$lost runs=$runs tx_drop_gemodel=$drops"
check_eq "every frame relayed or dropped by gemodel" $N \
	$(( $(ethtool_stat vnet0 tx_packets) + drops ))
check_eq "the peer got exactly the relayed frames" "$(ethtool_stat vnet0 tx_packets)" "$recv"
check_range "loss ~4.76 % of $N (952 +- 264)" 688 1216 "$drops"
check_gt "losses come in bursts" 0 "$runs"
# mean burst lost/runs in [4, 6]: 4 runs <= lost <= 6 runs
check_range "mean burst ~5 frames (lost/runs in [4, 6]): lost" \
	$((runs * 4)) $((runs * 6)) "$lost"

# the same seed, the same losses
h1=$(kv seq_hash "$R")
check_errno "gemodel again, seed 2024" 0 "$VNET_GENL" set vnet0 mode=gemodel \
	arg1=10000 arg2=200000 seed=2024
peer_recv_start $out $N
run "$PKTLOOP" send vnet0 count=$N size=60
R=$(peer_recv_finish $out)
check_eq "same seed: the same frames lost" "$h1" "$(kv seq_hash "$R")"

# 1-k: loss in the good state; 1-h below 100 %
check_errno "gemodel p=0 1-k=50%" 0 "$VNET_GENL" set vnet0 mode=gemodel \
	arg1=0 arg2=0 arg3=0 arg4=500000 seed=1
"$VNET_IOCTL" vnet0 reset >/dev/null
run "$PKTLOOP" send vnet0 count=2000 size=60
check_range "1-k 50 % in the good state: ~1000 of 2000 lost" 850 1150 \
	"$(ethtool_stat vnet0 tx_drop_gemodel)"

# validation and the ioctl
check_errno "p above 100 %" EINVAL "$VNET_GENL" set vnet0 mode=gemodel arg1=1000001 arg2=1
check_match "extack names p" "gemodel: p" "$(kv extack)"
check_errno "1-h negative" EINVAL "$VNET_GENL" set vnet0 mode=gemodel arg1=1 arg2=1 arg3=-1
check_errno "ioctl: gemodel p r" 0 "$VNET_IOCTL" vnet0 set veth0 3 10000 200000
run "$VNET_GENL" get vnet0
check_eq "ioctl gemodel: 1-h 100 %, 1-k 0" "3 10000 200000 1000000 0" \
	"$(kv mode) $(kv arg1) $(kv arg2) $(kv arg3) $(kv arg4)"
rm -f $out
ksft_done
