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
# host_ping DST COUNT INTERVAL: ping DST from the host (loss is the point)
host_ping() {
	printf '$ ping -c %s -i %s -q %s\n' "$2" "$3" "$1"
	$PING -n -c "$2" -i "$3" -W 1 -q "$1" | grep -E 'transmitted'
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

step "Burst loss: gemodel"
say "# gemodel P R is netem's Gilbert-Elliott model: from the good state a packet"
say "# moves to the bad state with P%, back with R%; the bad state loses them all."
say "# insanely states what that means: loss P/(P+R), in bursts of 1/R packets."
run insanely --seed 7 veth0 gemodel 5 25
peer_ping 100 0.02
say "# about 1/6 lost, in runs of about 4 (vnetconfig -d counts them as gemodel drops)."

step "A policy per destination: two vnet devices on one slave"
say "# Any number of vnet devices can relay to veth0, each with its own address"
say "# and policy. vnet1 gets 10.0.0.3 and the route to a second peer address,"
say "# 10.0.0.200; vnet0 keeps the route to 10.0.0.100."
run $IP link add vnet1 link veth0 type vnet
run $IP -n $PEER addr add 10.0.0.200/24 dev veth1
run $IP -n $PEER addr add 10.0.0.150/24 dev veth1
run vnet-up vnet1 10.0.0.3/32
run $IP route add 10.0.0.200/32 dev vnet1 src 10.0.0.3
run insanely -i vnet0 veth0 pass
run insanely -i vnet1 veth0 percent 0
say "# Two routes, two policies at once: 10.0.0.100 through vnet0 (pass)..."
host_ping 10.0.0.100 10 0.05
say "# ...and 10.0.0.200 through vnet1 (percent 0: nothing gets through)."
host_ping 10.0.0.200 10 0.05
say "# The slave's own traffic (10.0.0.150 is routed through no vnet device) is untouched."
host_ping 10.0.0.150 10 0.05
run vnetconfig vnet1
say "# Deleting vnet1 leaves vnet0 relaying through veth0."
run $IP link del vnet1

step "Auto-revert: impair without locking yourself out"
say "# --for makes the KERNEL put the policy back to pass when the time is up,"
say "# even if insanely (or the SSH session through the impaired link) is gone."
say "# vnet-monitor, started first, shows the kernel's event."
mon=/tmp/demo-monitor.$$
vnet-monitor vnet0 > "$mon" 2>&1 &
mpid=$!
# it has subscribed once it reports a statistics reset (those lines are left out below)
i=0
until [ -s "$mon" ] || [ $i -ge 100 ]; do
	vnet-reset-stats -q vnet0
	sleep 0.2
	i=$((i + 1))
done
run insanely --for 10s veth0 percent 0
peer_ping 10 0.05
say "# insanely shows the time left:"
run insanely
say "# ...and after 10 s the kernel has reverted it:"
i=0
until grep -q reverted "$mon" || [ $i -ge 100 ]; do
	sleep 0.2
	i=$((i + 1))
done
kill -TERM $mpid
wait $mpid
printf '$ vnet-monitor vnet0\n'
grep -v 'statistics reset' "$mon"
rm -f "$mon"
run insanely
peer_ping 10 0.05

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
say "no loss, ~50% loss (percent 50), ~1/3 passing (time 50 100) and burst loss"
say "(gemodel); with a second device on the same slave, two destinations got two"
say "policies at once; a 10 s outage (--for 10s) was reverted by the kernel; it"
say "counted its drops, reset them, and went back to loopback mode and down."
say "See the man pages in docs/man/ for everything else (insanely --rx and --both"
say "impair what comes in too; vnet-up takes IPv6 addresses)."
