# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the vnet selftests (POSIX sh: runs under busybox ash,
# dash or bash).  Source it from tests/NN_name.sh:
#
#	. "$(dirname "$0")/../lib.sh"
#
# A test calls check_* for every assertion (each prints PASS/FAIL with what
# was expected and what it got, and a FAIL makes the test fail at the
# end), skip "reason" to skip, and ksft_done at the end.  Cleanup runs from
# an EXIT trap: define test_cleanup() for extra steps.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

KSFT_DIR=$(cd "$(dirname "$0")/.." && pwd)
TEST_NAME=$(basename "$0" .sh)
ERRORS=0
CHECKS=0
BG_PIDS=""
OUT=""
RC=0

export LC_ALL=C
KSFT_SH=${KSFT_SH:-sh}

# Under busybox sh with standalone applets, "ip" would be busybox's: refuse
# to run with an ip that is not iproute2 rather than fail confusingly.
case "$(ip -V 2>&1)" in
*iproute2*) ;;
*) echo "SKIP: ip is not iproute2 (run with bash or a shell without busybox applets)"; exit 4 ;;
esac

log() { echo "$*"; }

# ------------------------------------------------------------------
# binaries

# ksft_bin NAME: path of a selftest client: $VNET_KSFT_BIN/NAME, then
# $PATH (lab/run --add), then the host build directory.
ksft_bin() {
	if [ -n "$VNET_KSFT_BIN" ] && [ -x "$VNET_KSFT_BIN/$1" ]; then
		echo "$VNET_KSFT_BIN/$1"
	elif command -v "$1" >/dev/null 2>&1; then
		command -v "$1"
	elif [ -x "$KSFT_DIR/build/$1" ]; then
		echo "$KSFT_DIR/build/$1"
	else
		echo "missing-binary-$1"
	fi
}

VNET_IOCTL=$(ksft_bin vnet_ioctl)
VNET_GENL=$(ksft_bin vnet_genl)
VNET_NL_ECHO=$(ksft_bin vnet_nl_echo)
VNET_RTNL=$(ksft_bin vnet_rtnl)
PKTLOOP=$(ksft_bin pktloop)
UDPCSUM=$(ksft_bin udpcsum)
TAPREAD=$(ksft_bin tapread)

# ------------------------------------------------------------------
# results

fail() {
	ERRORS=$((ERRORS + 1))
	echo "FAIL: $*"
}

pass() {
	echo "PASS: $*"
}

skip() {
	echo "SKIP: $*"
	exit $KSFT_SKIP
}

# ksft_done: exit 0 if every check passed, 1 otherwise.
ksft_done() {
	if [ "$ERRORS" -gt 0 ]; then
		echo "$TEST_NAME: $ERRORS of $CHECKS checks failed"
		exit $KSFT_FAIL
	fi
	if [ "$CHECKS" -eq 0 ]; then
		echo "$TEST_NAME: no checks ran"
		exit $KSFT_FAIL
	fi
	echo "$TEST_NAME: all $CHECKS checks passed"
	exit $KSFT_PASS
}

# need CMD...: skip the test unless every command exists.
need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not available"
	done
}

is_int() {
	case "$1" in
	''|*[!0-9-]*|?*-*) return 1 ;;
	esac
	return 0
}

# check_eq DESC EXPECTED GOT
check_eq() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then
		pass "$1 (= $3)"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_ne DESC UNEXPECTED GOT
check_ne() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" != "$3" ]; then
		pass "$1 ($3 != $2)"
	else
		fail "$1: expected anything but '$2', got '$3'"
	fi
}

# check_range DESC LOW HIGH GOT: LOW <= GOT <= HIGH, integers.
check_range() {
	CHECKS=$((CHECKS + 1))
	if ! is_int "$4"; then
		fail "$1: expected an integer in [$2, $3], got '$4'"
	elif [ "$4" -ge "$2" ] && [ "$4" -le "$3" ]; then
		pass "$1 ($4 in [$2, $3])"
	else
		fail "$1: expected a value in [$2, $3], got $4"
	fi
}

# check_ge DESC MIN GOT
check_ge() {
	CHECKS=$((CHECKS + 1))
	if ! is_int "$3"; then
		fail "$1: expected an integer >= $2, got '$3'"
	elif [ "$3" -ge "$2" ]; then
		pass "$1 ($3 >= $2)"
	else
		fail "$1: expected >= $2, got $3"
	fi
}

# check_gt DESC MIN GOT
check_gt() {
	CHECKS=$((CHECKS + 1))
	if ! is_int "$3"; then
		fail "$1: expected an integer > $2, got '$3'"
	elif [ "$3" -gt "$2" ]; then
		pass "$1 ($3 > $2)"
	else
		fail "$1: expected > $2, got $3"
	fi
}

# check_match DESC ERE TEXT
check_match() {
	CHECKS=$((CHECKS + 1))
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1: expected to match /$2/, got:"
		printf '%s\n' "$3" | sed 's/^/    | /'
	fi
}

# check_nomatch DESC ERE TEXT
check_nomatch() {
	CHECKS=$((CHECKS + 1))
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		fail "$1: expected no match for /$2/, got:"
		printf '%s\n' "$3" | sed 's/^/    | /'
	else
		pass "$1"
	fi
}

# run CMD...: run a command, output in $OUT, status in $RC.
run() {
	OUT=$("$@" 2>&1)
	RC=$?
}

# check_ok DESC CMD...: the command must succeed.
check_ok() {
	__c_d=$1
	shift
	run "$@"
	CHECKS=$((CHECKS + 1))
	if [ "$RC" -eq 0 ]; then
		pass "$__c_d"
	else
		fail "$__c_d: '$*' failed with status $RC:"
		printf '%s\n' "$OUT" | sed 's/^/    | /'
	fi
}

# check_fails DESC CMD...: the command must fail.
check_fails() {
	__c_d=$1
	shift
	run "$@"
	CHECKS=$((CHECKS + 1))
	if [ "$RC" -ne 0 ]; then
		pass "$__c_d (status $RC)"
	else
		fail "$__c_d: '$*' succeeded, expected failure:"
		printf '%s\n' "$OUT" | sed 's/^/    | /'
	fi
}

# check_errno DESC ENAME CMD...: run one of our clients and expect it to
# fail with ENAME ("0" = success).  The clients print error=ENAME.
check_errno() {
	__c_d=$1
	__c_e=$2
	shift 2
	run "$@"
	CHECKS=$((CHECKS + 1))
	__c_got=$(kv error)
	[ "$RC" -eq 0 ] && __c_got=0
	[ -z "$__c_got" ] && __c_got="status $RC"
	if [ "$__c_got" = "$__c_e" ]; then
		pass "$__c_d ($__c_e)"
	else
		fail "$__c_d: expected $__c_e, got $__c_got:"
		printf '%s\n' "$OUT" | sed 's/^/    | /'
	fi
}

# kv KEY [TEXT]: the value of the first KEY=value line of TEXT ($OUT).
kv() {
	if [ $# -ge 2 ]; then
		printf '%s\n' "$2"
	else
		printf '%s\n' "$OUT"
	fi | sed -n "s/^$1=//p" | head -n 1
}

# ------------------------------------------------------------------
# privileges

# unpriv CMD...: run as nobody with no capabilities.
unpriv() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# ------------------------------------------------------------------
# devices

dev_exists() { [ -e "/sys/class/net/$1" ]; }
dev_mac() { cat "/sys/class/net/$1/address" 2>/dev/null; }
dev_mtu() { cat "/sys/class/net/$1/mtu" 2>/dev/null; }
dev_operstate() { cat "/sys/class/net/$1/operstate" 2>/dev/null; }
dev_ifindex() { cat "/sys/class/net/$1/ifindex" 2>/dev/null; }

# dev_noarp DEV: prints 1 if IFF_NOARP is set, 0 if not.
dev_noarp() {
	__nf=$(cat "/sys/class/net/$1/flags" 2>/dev/null) || { echo "?"; return; }
	echo $(( (__nf & 0x80) != 0 ))
}

# ethtool_stat DEV NAME: one counter of "ethtool -S".
ethtool_stat() {
	ethtool -S "$1" 2>/dev/null | awk -v n="$2:" '$1 == n { print $2; exit }'
}

# genl_stat DEV NAME: one counter of the netlink GET.
genl_stat() {
	"$VNET_GENL" get "$1" 2>/dev/null | sed -n "s/^$2=//p" | head -n 1
}

# sysfs_stat DEV NAME: /sys/class/net/DEV/statistics/NAME.
sysfs_stat() {
	cat "/sys/class/net/$1/statistics/$2" 2>/dev/null
}

# procnet_stat DEV FIELD: FIELD is rx_bytes rx_packets rx_dropped tx_bytes
# tx_packets tx_dropped, from /proc/net/dev.
procnet_stat() {
	awk -v d="$1" -v f="$2" '
	{
		line = $0
		sub(/^ */, "", line)
		if (index(line, d ":") != 1)
			next
		sub(/^[^:]*:/, "", line)
		split(line, v, " ")
		if (f == "rx_bytes") print v[1]
		if (f == "rx_packets") print v[2]
		if (f == "rx_dropped") print v[4]
		if (f == "tx_bytes") print v[9]
		if (f == "tx_packets") print v[10]
		if (f == "tx_dropped") print v[12]
	}' /proc/net/dev
}

# ipjson_stat DEV rx|tx FIELD: from "ip -s -j link show DEV" (stats64).
ipjson_stat() {
	ip -s -j link show dev "$1" 2>/dev/null |
		sed -n "s/.*\"stats64\":{.*\"$2\":{\([^}]*\)}.*/\1/p" |
		tr ',' '\n' | sed -n "s/^\"$3\"://p" | head -n 1
}

# wait_for COND_CMD... : retry a command for up to 5 s (50 x 0.1 s).
wait_for() {
	__wf_i=0
	while [ $__wf_i -lt 50 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		__wf_i=$((__wf_i + 1))
	done
	return 1
}

# wait_oper DEV: wait until DEV's operstate has left "down" (up, unknown
# or lowerlayerdown: the device itself is up).
wait_oper() {
	wait_for "$KSFT_SH" -c "[ \"\$(cat /sys/class/net/$1/operstate)\" != down ]"
}

# wait_line FILE ERE [TENTHS]: wait until FILE has a line matching ERE.
wait_line() {
	__wl_i=0
	__wl_n=${3:-100}
	while [ $__wl_i -lt "$__wl_n" ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		__wl_i=$((__wl_i + 1))
	done
	return 1
}

# bg CMD...: start CMD in the background, remembered for cleanup.
bg() {
	"$@" &
	BG_PIDS="$BG_PIDS $!"
}

# ------------------------------------------------------------------
# module and topology

# vnet_reload [PARAMS...]: rmmod vnet if loaded, then modprobe with PARAMS.
vnet_reload() {
	vnet_unload
	if ! modprobe vnet "$@"; then
		fail "modprobe vnet $*"
		ksft_done
	fi
}

vnet_unload() {
	if [ -d /sys/module/vnet ]; then
		rmmod vnet || fail "rmmod vnet"
	fi
}

# sysctl_w KEY VALUE
sysctl_w() {
	echo "$2" > "/proc/sys/$(echo "$1" | tr . /)" 2>/dev/null
}

# topo_veth: veth0 (10.0.0.1/24) here <-> veth1 (10.0.0.100/24) in netns
# "peer", both up, reverse-path filtering off (the host routes the peer
# through vnet0 while the peer's packets arrive on veth0).
PEER=peer
HOST_IP=10.0.0.1
VNET_IP=10.0.0.2
PEER_IP=10.0.0.100

topo_veth() {
	modprobe veth 2>/dev/null
	ip netns add $PEER || { fail "ip netns add $PEER"; ksft_done; }
	ip link add veth0 type veth peer name veth1 ||
		{ fail "ip link add veth0 type veth"; ksft_done; }
	ip link set veth1 netns $PEER
	ip addr add $HOST_IP/24 dev veth0
	ip link set veth0 up
	ip -n $PEER link set lo up
	ip -n $PEER addr add $PEER_IP/24 dev veth1
	ip -n $PEER link set veth1 up
	for k in all default veth0; do
		sysctl_w net.ipv4.conf.$k.rp_filter 0
	done
	ip netns exec $PEER sh -c 'echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter'
	wait_for $KSFT_SH -c '[ "$(cat /sys/class/net/veth0/operstate)" = up ]'
}

# vnet_attach_canonical: vnet0 relays to veth0, 10.0.0.2/32, up, and the
# host reaches the peer through vnet0.
# relay_frames_setup: a fresh module, the veth topology, and vnet0 up and
# relaying to veth0 in pass mode, for tests that send raw frames out vnet0
# and count them on veth1.
relay_frames_setup() {
	vnet_reload
	topo_veth
	check_errno "attach vnet0 to veth0" 0 "$VNET_IOCTL" vnet0 set veth0 pass
	ip link set vnet0 up
	wait_oper vnet0
	sleep 1
}

vnet_attach_canonical() {
	"$VNET_IOCTL" vnet0 set veth0 pass >/dev/null ||
		{ fail "attach vnet0 to veth0"; ksft_done; }
	for k in vnet0; do
		sysctl_w net.ipv4.conf.$k.rp_filter 0
	done
	ip addr replace $VNET_IP/32 dev vnet0
	ip link set vnet0 up
	ip route replace $PEER_IP/32 dev vnet0 src $VNET_IP ||
		fail "ip route replace $PEER_IP/32 dev vnet0"
}

# ping_count NS DST COUNT [WAIT]: number of replies to COUNT echo requests
# (0.2 s apart, WAIT seconds for the last reply, default 5), from netns NS
# or from here with NS "-".
ping_count() {
	if [ "$1" = - ]; then
		ping -c "$3" -i 0.2 -W "${4:-5}" "$2" 2>&1
	else
		ip netns exec "$1" ping -c "$3" -i 0.2 -W "${4:-5}" "$2" 2>&1
	fi | sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p'
}

# neigh_mac NS DEV IP: the link-layer address of IP in DEV's neighbour
# table (netns NS, "-" for here); empty while unresolved.
neigh_mac() {
	if [ "$1" = - ]; then
		ip neigh show "$3" dev "$2"
	else
		ip -n "$1" neigh show "$3" dev "$2"
	fi | sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p'
}

peer_neigh_mac() {
	neigh_mac $PEER veth1 "$1"
}

ksft_cleanup() {
	_rc=$?
	trap - EXIT
	for p in $BG_PIDS; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	if command -v test_cleanup >/dev/null 2>&1; then
		test_cleanup
	fi
	ip netns del $PEER 2>/dev/null
	ip link del veth0 2>/dev/null
	exit $_rc
}
trap ksft_cleanup EXIT
trap 'exit 1' INT TERM

# Every test starts from a guest with no leftovers of an earlier one.
ip netns del $PEER 2>/dev/null
ip link del veth0 2>/dev/null

# ------------------------------------------------------------------
# relayed raw frames: pktloop sends out vnet0, the peer counts on veth1

STOP_TAG=999

# peer_recv_start FILE COUNT: receive up to COUNT test frames on veth1 in
# the peer namespace, in the background, results into FILE.
peer_recv_start() {
	: > "$1"
	bg ip netns exec $PEER "$PKTLOOP" recv veth1 count="$2" \
		stop_tag=$STOP_TAG timeout_ms=180000 > "$1" 2>&1
	wait_line "$1" '^ready' 100 || fail "receiver in $PEER did not start"
}

# peer_recv_finish FILE: send the sentinel straight out of veth0 and wait
# for the receiver's report.
peer_recv_finish() {
	sleep 0.5
	"$PKTLOOP" send veth0 count=1 tag=$STOP_TAG >/dev/null 2>&1
	wait_line "$1" '^seq_hash=' 200 || fail "receiver in $PEER did not report"
	cat "$1"
}

# qdisc_drops DEV: packets the qdiscs of DEV dropped (0 without tc).
qdisc_drops() {
	if command -v tc >/dev/null 2>&1; then
		tc -s qdisc show dev "$1" 2>/dev/null |
			sed -n 's/.*(dropped \([0-9]*\),.*/\1/p' |
			awk '{ s += $1 } END { print s + 0 }'
	else
		echo 0
	fi
}
