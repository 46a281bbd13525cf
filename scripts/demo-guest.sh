#!/bin/sh
# scripts/demo-guest.sh: the narrated vnet session, run as root INSIDE the
# lab VM by scripts/demo.sh (npm run demo), with the npm-installed commands
# first on PATH.  POSIX sh; system tools are called by absolute path so
# that no shell's builtin applet can stand in for them.
IP=/sbin/ip
PING=/usr/bin/ping
PEER=peer

n=0
# say TEXT...: a narration line
say() { printf '%s\n' "$*"; }
# step TITLE: a numbered section
step() {
	n=$((n + 1))
	printf '\n==== %d. %s\n' "$n" "$*"
}
# run CMD...: show the command, run it; a failure ends the demo
run() {
	printf '$ %s\n' "$*"
	"$@"
	rc=$?
	if [ $rc -ne 0 ]; then
		printf 'demo: "%s" failed (exit %d)\n' "$*" "$rc" >&2
		exit 1
	fi
}
# peer_ping COUNT INTERVAL: ping vnet0's address from the peer namespace;
# loss is the point here, so the exit status is not checked
peer_ping() {
	printf '$ ip netns exec %s ping -c %s -i %s -q 10.0.0.2\n' "$PEER" "$1" "$2"
	$IP netns exec $PEER $PING -n -c "$1" -i "$2" -W 1 -q 10.0.0.2 | grep -E 'transmitted|rtt'
}
# quiet CMD...: setup a newcomer need not read
quiet() { "$@" > /dev/null 2>&1 || { printf 'demo: setup "%s" failed\n' "$*" >&2; exit 1; }; }

say "vnet demo on Linux $(uname -r), vnet.ko loaded: $(grep -c '^vnet ' /proc/modules) module"
say "the commands come from the npm-installed package: $(command -v vnetconfig)"

step "What is there"
say "# vnetconfig is ifconfig for vnet devices; -a also shows the ones that are down."
say "# Loading the module created vnet0, down, in loopback mode (no slave)."
run vnetconfig -a

step "Loopback mode"
say "# Loopback mode: vnet0 sends to itself. vnet-up sets the address the"
say "# ifconfig way (SIOCSIFADDR, SIOCSIFNETMASK) and brings the device up."
run vnet-up vnet0 192.168.50.1/24

step "Talking to the module over generic netlink"
say "# vnet-echo pings the kernel's vnet_nl family: each message must come back intact."
run vnet-echo -c 3 -i 0.2 "hello kernel"

step "A slave for relay mode"
say "# Relay mode needs a slave: a veth pair, veth0 here (10.0.0.1) and veth1"
say "# in a network namespace 'peer' (10.0.0.100), a stand-in for another machine."
quiet /sbin/modprobe veth
run $IP netns add $PEER
run $IP link add veth0 type veth peer name veth1
run $IP link set veth1 netns $PEER
run $IP addr add 10.0.0.1/24 dev veth0
run $IP link set veth0 up
run $IP -n $PEER addr add 10.0.0.100/24 dev veth1
run $IP -n $PEER link set veth1 up
quiet $IP -n $PEER link set lo up

step "insanely: relay everything to veth0"
say "# insanely is Rubini's tool: vnet0 now transmits through veth0 (and takes"
say "# its MAC); what veth0 receives for vnet0's own address goes to vnet0."
run insanely -i vnet0 veth0 pass
run vnet-up vnet0 10.0.0.2/32
say "# and the host reaches the peer through vnet0:"
run $IP route add 10.0.0.100/32 dev vnet0 src 10.0.0.2
run insanely

step "Traffic through the relay"
say "# The peer pings vnet0 (10.0.0.2): requests come in via veth0, replies"
say "# leave through vnet0's drop policy. In pass mode nothing is lost."
peer_ping 20 0.05

step "Percent mode: drop half, reproducibly"
say "# percent N relays N% of the packets (the share PASSED, as in the original)."
say "# --seed makes the random drops repeatable."
run insanely --seed 1 veth0 percent 50
peer_ping 40 0.05
say "# about half of the replies were dropped by vnet0."

step "Time mode: relay 0.5 s, drop 1 s"
say "# time ON OFF counts in the original's 10 ms ticks: 50 100 = 500 ms on, 1 s off."
run insanely veth0 time 50 100
peer_ping 30 0.1
say "# about a third got through: the 0.5 s windows out of every 1.5 s."

step "Counters"
say "# vnetconfig -d adds the driver's own counters: drops by reason;"
say "# vnetconfig -s is ifconfig -s, one line per device."
run vnetconfig -d vnet0
run vnetconfig -s
say "# vnet-reset-stats zeroes them."
run vnet-reset-stats vnet0
say "# The same device as JSON (iproute2 key names), for scripts:"
printf '$ vnetconfig -j | head\n'
vnetconfig -j | head

step "Back to loopback mode, and down"
say "# 'insanely none' detaches the slave: vnet0 loops its packets back again."
run insanely none
run insanely
run vnet-down vnet0
say "# (deleting the namespace deletes veth1, and with it veth0)"
run $IP netns del $PEER

printf '\n==== Done\n'
say "vnet0 looped, echoed through generic netlink, relayed to a veth peer with"
say "no loss, ~50% loss (percent 50) and ~1/3 passing (time 50 100), counted its"
say "drops, reset them, and went back to loopback mode and down.  See the man"
say "pages in docs/man/ for everything else."
