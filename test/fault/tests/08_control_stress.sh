#!/bin/sh
# For STRESS_S seconds (default 60), several processes hammer the control
# plane — SET in every mode on both paths, RESET, GET, dump, ECHO, event
# subscriptions — while a flood runs through vnet0 to its slave.  Then the
# module still works and counts a fresh flood exactly.
. "$(dirname "$0")/../lib.sh"

STRESS_S=${FAULT_STRESS_S:-60}
dir=/tmp/vnet-fault-08
test_cleanup() {
	rm -rf $dir
}

vnet_reload numdevs=2
pg_reset
slave_veth fv0
slave_veth fv1
check_errno "attach vnet0 to fv0" 0 "$VNET_GENL" set vnet0 mode=pass slave=fv0
ip link set vnet0 up
ip link set vnet1 up
pg_add vnet0 0
pg_add vnet1 1
pg_start
mkdir -p $dir
end=$(( $(date +%s) + STRESS_S ))

# loop NAME CMD...: run CMD until the end, count runs and failures
loop() {
	__n=$1
	shift
	(
		runs=0 errs=0
		while [ "$(date +%s)" -lt $end ]; do
			"$@" >/dev/null 2>&1 || errs=$((errs + 1))
			runs=$((runs + 1))
		done
		echo "$__n runs=$runs errors=$errs" > $dir/$__n
	) &
	BG_PIDS="$BG_PIDS $!"
}
set_ioctl() {
	case $((RANDOM % 4)) in
	0) "$VNET_IOCTL" vnet0 set fv0 pass ;;
	1) "$VNET_IOCTL" vnet0 set fv0 percent 40 ;;
	2) "$VNET_IOCTL" vnet0 set fv0 time 2 3 ;;
	*) "$VNET_IOCTL" vnet1 set fv1 percent 90 ;;
	esac
}
set_genl() {
	case $((RANDOM % 4)) in
	0) "$VNET_GENL" set vnet1 mode=pass slave= ;;
	1) "$VNET_GENL" set vnet1 mode=percent arg1=10 slave=fv1 ;;
	2) "$VNET_GENL" set vnet0 mode=time arg1=1 arg2=1 ;;
	*) "$VNET_GENL" set vnet0 mode=percent arg1=75 seed=7 ;;
	esac
}
loop set_ioctl set_ioctl
loop set_genl set_genl
loop reset_ioctl "$VNET_IOCTL" vnet0 reset
loop reset_genl "$VNET_GENL" reset vnet1
loop get "$VNET_GENL" get vnet0
loop get_ioctl "$VNET_IOCTL" vnet1 get
loop dump "$VNET_GENL" dump
loop echo "$VNET_GENL" echo stress
loop monitor "$VNET_GENL" monitor 2000 50
sleep "$STRESS_S"
for p in $BG_PIDS; do [ "$p" = "$PG_PID" ] || wait "$p" 2>/dev/null; done
pg_stop
BG_PIDS=""
cat $dir/* | sed 's/^/stress: /'
for f in set_ioctl set_genl reset_ioctl reset_genl get get_ioctl dump echo; do
	check_gt "$f ran" 0 "$(sed -n 's/.* runs=\([0-9]*\).*/\1/p' $dir/$f)"
	check_eq "$f never failed" 0 "$(sed -n 's/.* errors=\([0-9]*\)$/\1/p' $dir/$f)"
done
check_gt "monitor subscribed again and again" 0 \
	"$(sed -n 's/.* runs=\([0-9]*\).*/\1/p' $dir/monitor)"

# a fresh flood of a known size, counted exactly
check_errno "vnet0: percent 50 on fv0" 0 "$VNET_GENL" set vnet0 mode=percent arg1=50 slave=fv0
"$VNET_IOCTL" vnet0 reset >/dev/null
pg_reset
pg_add vnet0 0 50000
pg_start
pg_wait
check_eq "pktgen sent its 50000" 50000 "$(pg_sofar vnet0)"
balance vnet0 "after the stress (percent 50)" "$(pg_sofar vnet0)"
module_works "after the stress"
ip link del fv0
ip link del fv1
ksft_done
