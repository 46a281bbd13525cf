#!/bin/sh
# Statistics: ethtool -S names and order, and every view (ethtool, netlink
# GET, ip -s -j, /proc/net/dev, sysfs) agreeing; drop reasons summing to
# tx_dropped; RESET (ioctl and netlink) zeroing what "ip -s link" shows.
. "$(dirname "$0")/../lib.sh"
need ip ethtool

out=/tmp/vnet-ksft-11-recv

vnet_reload
ip link set vnet0 up
sleep 1
check_errno "RESET" 0 "$VNET_IOCTL" vnet0 reset

names=$(ethtool -S vnet0 | sed -n 's/^ *\([a-z_]*\): .*/\1/p' | tr '\n' ' ')
check_eq "ethtool -S counter names, in order" \
	"rx_packets rx_bytes tx_packets tx_bytes rx_dropped tx_dropped tx_drop_percent tx_drop_time tx_drop_no_slave tx_drop_slave slave_lost tx_drop_gemodel rx_drop_delivery rx_drop_percent rx_drop_time rx_drop_gemodel " \
	"$names"
check_match "ethtool -i driver vnet" '^driver: vnet$' "$(ethtool -i vnet0)"

# agree: ethtool NAME, netlink NAME, ip json DIR FIELD, proc FIELD, sysfs NAME
agree() {
	e=$(ethtool_stat vnet0 "$1")
	check_eq "netlink GET $1 = ethtool" "$e" "$(genl_stat vnet0 "$1")"
	check_eq "ip -s -j $2 $3 = ethtool $1" "$e" "$(ipjson_stat vnet0 "$2" "$3")"
	check_eq "/proc/net/dev $4 = ethtool $1" "$e" "$(procnet_stat vnet0 "$4")"
	check_eq "sysfs $1 = ethtool $1" "$e" "$(sysfs_stat vnet0 "$4")"
}

"$PKTLOOP" loop vnet0 count=500 size=200 >/dev/null
sleep 0.5
check_eq "loopback traffic counted" 500 "$(ethtool_stat vnet0 tx_packets)"
agree rx_packets rx packets rx_packets
agree rx_bytes rx bytes rx_bytes
agree tx_packets tx packets tx_packets
agree tx_bytes tx bytes tx_bytes
agree rx_dropped rx dropped rx_dropped
agree tx_dropped tx dropped tx_dropped

# --- drops in relay mode: percent 0 drops everything
topo_veth
check_errno "attach percent 0" 0 "$VNET_GENL" set vnet0 mode=percent arg1=0 seed=1 slave=veth0
wait_oper vnet0
tx0=$(ethtool_stat vnet0 tx_packets)
"$PKTLOOP" send vnet0 count=100 size=100 >/dev/null
check_eq "percent 0: tx_drop_percent" 100 "$(ethtool_stat vnet0 tx_drop_percent)"
check_eq "percent 0: tx_dropped" 100 "$(ethtool_stat vnet0 tx_dropped)"
check_eq "percent 0: tx_packets unchanged" "$tx0" "$(ethtool_stat vnet0 tx_packets)"
sum=$(( $(ethtool_stat vnet0 tx_drop_percent) + $(ethtool_stat vnet0 tx_drop_time) + \
	$(ethtool_stat vnet0 tx_drop_no_slave) + $(ethtool_stat vnet0 tx_drop_slave) ))
check_eq "tx_dropped = sum of the four reasons" "$(ethtool_stat vnet0 tx_dropped)" "$sum"
agree tx_dropped tx dropped tx_dropped
agree tx_packets tx packets tx_packets

# --- RESET by ioctl: ip -s shows zeros
check_errno "ioctl RESET" 0 "$VNET_IOCTL" vnet0 reset
for f in packets bytes dropped; do
	check_eq "after ioctl RESET: ip -s rx $f" 0 "$(ipjson_stat vnet0 rx $f)"
	check_eq "after ioctl RESET: ip -s tx $f" 0 "$(ipjson_stat vnet0 tx $f)"
done
for s in rx_packets rx_bytes tx_packets tx_bytes rx_dropped tx_dropped \
	tx_drop_percent tx_drop_time tx_drop_no_slave tx_drop_slave slave_lost; do
	check_eq "after ioctl RESET: ethtool $s" 0 "$(ethtool_stat vnet0 $s)"
done
check_match "after ioctl RESET: ip -s link text shows zero RX" \
	'^ +0 +0 +0 +0 ' "$(ip -s link show dev vnet0 | sed -n '/RX:/{n;p;}')"
check_match "after ioctl RESET: ip -s link text shows zero TX" \
	'^ +0 +0 +0 +0 ' "$(ip -s link show dev vnet0 | sed -n '/TX:/{n;p;}')"

# counting resumes from zero
check_errno "pass mode" 0 "$VNET_GENL" set vnet0 mode=pass seed=1
"$PKTLOOP" send vnet0 count=10 size=100 >/dev/null
check_eq "after RESET counting restarts: tx_packets" 10 "$(ethtool_stat vnet0 tx_packets)"
check_eq "after RESET counting restarts: tx_bytes" 1000 "$(ethtool_stat vnet0 tx_bytes)"

# --- RESET by netlink
check_errno "netlink RESET" 0 "$VNET_GENL" reset vnet0
check_eq "after netlink RESET: ip -s tx packets" 0 "$(ipjson_stat vnet0 tx packets)"
check_eq "after netlink RESET: ip -s tx bytes" 0 "$(ipjson_stat vnet0 tx bytes)"
check_eq "after netlink RESET: /proc/net/dev tx packets" 0 "$(procnet_stat vnet0 tx_packets)"
check_eq "after netlink RESET: netlink tx_packets" 0 "$(genl_stat vnet0 tx_packets)"

# --- slave_lost is reset too
ip link del veth0
check_eq "slave_lost after losing veth0" 1 "$(ethtool_stat vnet0 slave_lost)"
check_errno "RESET" 0 "$VNET_IOCTL" vnet0 reset
check_eq "slave_lost after RESET" 0 "$(ethtool_stat vnet0 slave_lost)"

rm -f $out
ksft_done
