#!/bin/sh
# Loopback mode (no slave): what vnet0 transmits comes back as received,
# counted on both sides; a flood is either delivered, counted as dropped
# or refused to the sender -- never lost silently.
. "$(dirname "$0")/../lib.sh"
need ip ethtool

vnet_reload
check_eq "loopback mode is NOARP" 1 "$(dev_noarp vnet0)"
ip link set vnet0 up
wait_for "$KSFT_SH" -c '[ "$(cat /sys/class/net/vnet0/operstate)" != down ]'
check_nomatch "no IPv6 link-local address on vnet0" 'inet6 fe80' "$(ip -6 addr show dev vnet0)"
sleep 1
check_errno "RESET" 0 "$VNET_IOCTL" vnet0 reset

# --- 1000 frames of 100 bytes come back
N=1000
run "$PKTLOOP" loop vnet0 count=$N size=100 wait_ms=10000
echo "$OUT"
check_eq "all $N sends accepted" $N "$(kv sent_ok)"
check_eq "all $N frames received back on vnet0" $N "$(kv received)"
check_eq "no duplicates" 0 "$(kv dups)"
check_eq "tx_packets" $N "$(ethtool_stat vnet0 tx_packets)"
check_eq "rx_packets" $N "$(ethtool_stat vnet0 rx_packets)"
check_eq "tx_bytes (100-byte frames)" $((N * 100)) "$(ethtool_stat vnet0 tx_bytes)"
rxb=$(ethtool_stat vnet0 rx_bytes)
# With or without the 14-byte Ethernet header, but per frame.
check_range "rx_bytes counts each frame" $((N * 86)) $((N * 100)) "$rxb"
check_eq "rx_dropped" 0 "$(ethtool_stat vnet0 rx_dropped)"
check_eq "tx_dropped" 0 "$(ethtool_stat vnet0 tx_dropped)"
check_eq "tx_drop_no_slave (loopback needs none)" 0 "$(ethtool_stat vnet0 tx_drop_no_slave)"

# --- flood: 100k minimum-size frames as fast as possible
check_errno "RESET" 0 "$VNET_IOCTL" vnet0 reset
qd0=$(qdisc_drops vnet0)
N=100000
run "$PKTLOOP" loop vnet0 count=$N size=60 wait_ms=20000
echo "$OUT"
ok=$(kv sent_ok)
errs=$(kv send_errors)
enobufs=$(kv err_ENOBUFS)
check_eq "every send either accepted or refused" $N $((ok + errs))
check_eq "refused sends are ENOBUFS backpressure only" "${errs}" "${enobufs:-0}"
sleep 1
tx=$(ethtool_stat vnet0 tx_packets)
rx=$(ethtool_stat vnet0 rx_packets)
rxd=$(ethtool_stat vnet0 rx_dropped)
qd=$(( $(qdisc_drops vnet0) - qd0 ))
echo "flood: sent_ok=$ok tx_packets=$tx rx_packets=$rx rx_dropped=$rxd qdisc_drops=$qd"
# A qdisc may drop an accepted frame (fq_codel answers NET_XMIT_CN), but it
# counts it: tx_packets <= accepted <= tx_packets + qdisc drops.
check_range "accepted sends all reached the driver or a counted qdisc drop" \
	"$tx" $((tx + qd)) "$ok"
check_eq "tx_packets = rx_packets + rx_dropped (nothing lost silently)" "$tx" $((rx + rxd))
check_ge "most of the flood came back" $((ok / 2)) "$rx"
check_ge "socket saw no more than the device received" "$(kv received)" "$rx"
sleep 1
check_eq "counters settled (tx)" "$tx" "$(ethtool_stat vnet0 tx_packets)"
check_eq "counters settled (rx)" "$rx" "$(ethtool_stat vnet0 rx_packets)"

# --- down device transmits nothing
ip link set vnet0 down
run "$PKTLOOP" send vnet0 count=10
check_eq "sends on a down vnet0 fail" 0 "$(kv sent_ok)"
check_eq "down vnet0 counted nothing" "$tx" "$(ethtool_stat vnet0 tx_packets)"

ksft_done
