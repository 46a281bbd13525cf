#!/bin/sh
# Loopback mode (no slave): what vnet0 transmits comes back as received,
# counted on both sides; a flood is either delivered, counted as dropped
# or refused to the sender -- never lost silently.
. "$(dirname "$0")/../lib.sh"
need ip ethtool

vnet_reload
check_eq "loopback mode is NOARP" 1 "$(dev_noarp vnet0)"
ip link set vnet0 up
wait_oper vnet0
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

# --- no qdisc of its own (IFF_NO_QUEUE): queued once, by the slave's
check_match "qdisc: noqueue" 'qdisc noqueue' "$(tc qdisc show dev vnet0)"

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

# --- with a qdisc the admin adds, a full queue stops the TX queue and the
# qdisc holds the backlog: nothing is dropped at the driver
check_ok "tc: a pfifo root qdisc on vnet0" tc qdisc add dev vnet0 root pfifo limit 200000
check_errno "RESET" 0 "$VNET_IOCTL" vnet0 reset
run "$PKTLOOP" loop vnet0 count=20000 size=60 wait_ms=20000
ok=$(kv sent_ok)
sleep 1
tx=$(ethtool_stat vnet0 tx_packets)
echo "pfifo flood: sent_ok=$ok tx_packets=$tx rx_packets=$(ethtool_stat vnet0 rx_packets) rx_dropped=$(ethtool_stat vnet0 rx_dropped)"
check_eq "with a qdisc: every accepted frame reached the driver" "$ok" "$tx"
check_eq "with a qdisc: no drop at a full queue" 0 "$(ethtool_stat vnet0 rx_dropped)"
check_eq "with a qdisc: every frame came back" "$tx" "$(ethtool_stat vnet0 rx_packets)"
tc qdisc del dev vnet0 root

# --- pktgen flood: straight into ndo_start_xmit, no socket backpressure,
# so only the driver's own queue stop/wake bounds what is in flight
modprobe pktgen 2>/dev/null
check_ok "pktgen available" test -e /proc/net/pktgen/pgctrl
if [ -e /proc/net/pktgen/pgctrl ]; then
	check_errno "RESET" 0 "$VNET_IOCTL" vnet0 reset
	pg() { echo "$2" > "/proc/net/pktgen/$1"; }
	pg kpktgend_0 "rem_device_all"
	pg kpktgend_0 "add_device vnet0"
	pg vnet0 "count 100000"
	pg vnet0 "pkt_size 60"
	pg vnet0 "clone_skb 0"
	pg vnet0 "delay 0"
	pg vnet0 "dst_mac $(dev_mac vnet0)"
	mem0=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	timeout 300 sh -c 'echo start > /proc/net/pktgen/pgctrl'
	# "start" returns once no pktgen thread runs, but gives the thread
	# only 125 ms to begin: on a loaded machine it can return at once,
	# with the run still ahead.  pktgen's own result line says when done.
	i=0
	while ! grep -q '^Result: OK' /proc/net/pktgen/vnet0 && [ $i -lt 1500 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	mem1=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	res=$(cat /proc/net/pktgen/vnet0)
	printf '%s\n' "$res" | grep -E 'Result|sofar'
	sofar=$(printf '%s\n' "$res" | sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p' | head -n 1)
	pgerr=$(printf '%s\n' "$res" | sed -n 's/.*errors: \([0-9]*\).*/\1/p' | head -n 1)
	sleep 2
	tx=$(ethtool_stat vnet0 tx_packets)
	rx=$(ethtool_stat vnet0 rx_packets)
	rxd=$(ethtool_stat vnet0 rx_dropped)
	txd=$(ethtool_stat vnet0 tx_dropped)
	echo "pktgen: sofar=$sofar errors=$pgerr tx_packets=$tx tx_dropped=$txd rx_packets=$rx rx_dropped=$rxd MemAvailable ${mem0} -> ${mem1} kB"
	check_eq "pktgen sent its 100000 frames" 100000 "$sofar"
	check_eq "pktgen: every frame counted as sent or dropped by vnet0" \
		$((sofar - ${pgerr:-0})) $((tx + txd))
	check_eq "pktgen: tx_packets = rx_packets + rx_dropped" "$tx" $((rx + rxd))
	# 100000 queued skbs would take well over 30 MB; a bounded queue
	# leaves MemAvailable where it was (plus what a debug kernel's KASAN
	# quarantine and kmemleak hold on to: mem_slack_kb).
	check_range "pktgen: memory did not balloon (MemAvailable drop, kB)" \
		-1000000 $((30000 + $(mem_slack_kb))) $((mem0 - mem1))
	pg kpktgend_0 "rem_device_all"
	rmmod pktgen 2>/dev/null
fi

# --- down device transmits nothing
ip link set vnet0 down
run "$PKTLOOP" send vnet0 count=10
check_eq "sends on a down vnet0 fail" 0 "$(kv sent_ok)"
check_eq "down vnet0 counted nothing" "$tx" "$(ethtool_stat vnet0 tx_packets)"

ksft_done
