#!/bin/sh
# Loopback mode leaves checksums to the stack, as loopback and veth do: a
# looped UDP datagram with a wrong checksum is dropped (InCsumErrors) and a
# correct one is delivered.
. "$(dirname "$0")/../lib.sh"
need ip

ADDR=10.9.0.1
SRC=10.9.0.2
PORT=9000
out=/tmp/vnet-ksft-19-recv

# udp_stat NAME: a field of the "Udp:" lines of /proc/net/snmp.
udp_stat() {
	awk -v f="$1" '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) n[i] = $i; h = 1; next }
		$1 == "Udp:" { for (i = 2; i <= NF; i++) if (n[i] == f) print $i }' /proc/net/snmp
}

test_cleanup() {
	rm -f $out
}

vnet_reload
ip addr add $ADDR/24 dev vnet0
ip link set vnet0 up
sysctl_w net.ipv4.conf.vnet0.rp_filter 0
sysctl_w net.ipv4.conf.all.rp_filter 0
wait_oper vnet0

# recv_during COUNT CMD...: start a receiver for COUNT datagrams on
# ADDR:PORT, run CMD, print how many arrived.
recv_during() {
	__n=$1
	shift
	: > $out
	"$UDPCSUM" recv $ADDR $PORT 5000 "$__n" > $out 2>&1 &
	__pid=$!
	wait_line $out '^ready' 50 || fail "receiver did not start"
	"$@" >/dev/null
	wait $__pid
	kv received "$(cat $out)"
}

csum0=$(udp_stat InCsumErrors)
check_eq "10 datagrams with a good checksum are delivered" 10 \
	"$(recv_during 10 "$UDPCSUM" send vnet0 $SRC $ADDR $PORT good 10)"
check_eq "good checksums: InCsumErrors unchanged" "$csum0" "$(udp_stat InCsumErrors)"

check_eq "10 datagrams with a wrong checksum are not delivered" 0 \
	"$(recv_during 10 "$UDPCSUM" send vnet0 $SRC $ADDR $PORT bad 10)"
check_eq "wrong checksums: InCsumErrors grew by 10" $((csum0 + 10)) \
	"$(udp_stat InCsumErrors)"

ksft_done
