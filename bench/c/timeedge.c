// SPDX-License-Identifier: GPL-2.0
/*
 * timeedge - where time mode's windows really open and close, measured
 * from frame timestamps (npm run bench, case "accuracy").
 *
 *   timeedge DEV SLAVE RXDEV ON_MS OFF_MS DURATION_MS GAP_US
 *
 * Sets DEV to relay to SLAVE in time mode (ioctl: relay ON_MS, drop
 * OFF_MS), the clock read just before and after the ioctl (the kernel
 * starts the phase inside it), then sends one numbered raw frame every
 * GAP_US microseconds (absolute deadlines, spinning) out of DEV for DURATION_MS,
 * noting CLOCK_MONOTONIC right before and right after each send, while an
 * AF_PACKET socket on RXDEV (SLAVE's veth peer) collects what was relayed.
 * The kernel judges a frame at some instant of its send(2), which is all
 * that can be known of it: in the lab a vCPU can be descheduled inside
 * the call for milliseconds (TCG runs the vCPUs in turn, on a shared
 * host), so a frame is judged by that interval, not by one instant.
 *
 * Each frame's fate (relayed or dropped) against its send interval gives
 * the edges: a window edge is where the fate changes, measured at the
 * first frame of the new fate.  Its error is the distance from that
 * frame's send interval to where the policy puts the edge (phase start +
 * k * period, + ON for a closing edge; 0 when the interval holds it); the
 * bound is 1 ms plus the gap between the two frames around it.  A frame
 * whose send interval, widened by 1 ms each side, lies in one phase of the
 * policy, and whose fate differs from that phase's, is misplaced (there
 * must be none).
 *
 * Prints key=value lines: frames, relayed, dropped, edges, max_err_us,
 * max_gap_us, max_excess_us (the largest error less its gap: the goal is
 * at most 1000), bad_edges (error above the bound), misplaced, set_us
 * (the ioctl's duration, the uncertainty of the phase start), max_send_us
 * (the longest send(2)).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/vnet.h>

#define ETH_P_BENCH	0x88b6
#define MAGIC		0x74656467u	/* "tedg" */

struct frame {
	uint8_t dst[6], src[6];
	uint16_t proto;
	uint32_t magic, seq;
	uint8_t pad[46];
} __attribute__((packed));

static int64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Which phase T is in: 2 * window number, + 1 in the drop part. */
static int64_t segment(int64_t t, int64_t start, int64_t period, int64_t on)
{
	int64_t d = t - start, w = d >= 0 ? d / period : (d - period + 1) / period;

	return 2 * w + (d - w * period >= on);
}

static int packet_socket(const char *dev, int *ifindex)
{
	struct sockaddr_ll sll = { 0 };
	int big = 16 << 20;
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_BENCH));

	if (fd < 0)
		return -1;
	*ifindex = if_nametoindex(dev);
	if (!*ifindex)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_BENCH);
	sll.sll_ifindex = *ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		return -1;
	return fd;
}

static void drain(int fd, uint8_t *seen, long n, int wait_ms)
{
	struct frame f;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (wait_ms && poll(&p, 1, wait_ms) <= 0)
		return;
	while (recv(fd, &f, sizeof(f), MSG_DONTWAIT) >= (ssize_t)sizeof(f))
		if (ntohl(f.magic) == MAGIC && ntohl(f.seq) < n)
			seen[ntohl(f.seq)] = 1;
}

int main(int argc, char **argv)
{
	long on_ms, off_ms, dur_ms, gap_us, n, i, relayed = 0, edges = 0;
	long bad = 0, misplaced = 0;
	int64_t t_before, t_after, start, period, on, max_err = 0, max_gap = 0;
	int64_t max_excess = INT64_MIN;
	int64_t *sent_at, *done_at, max_send = 0;
	struct vnet_relay_info info = { 0 };
	struct ifreq ifr = { 0 };
	struct frame f = { 0 };
	struct timespec next;
	uint8_t *seen;
	int tx, rx, txi, rxi, ctl;

	if (argc != 8) {
		fprintf(stderr, "usage: timeedge DEV SLAVE RXDEV ON_MS OFF_MS DURATION_MS GAP_US\n");
		return 2;
	}
	on_ms = atol(argv[4]);
	off_ms = atol(argv[5]);
	dur_ms = atol(argv[6]);
	gap_us = atol(argv[7]);
	if (on_ms < 1 || off_ms < 1 || dur_ms < 1 || gap_us < 1)
		return 2;
	n = dur_ms * 1000 / gap_us;
	sent_at = calloc(n, sizeof(*sent_at));
	done_at = calloc(n, sizeof(*done_at));
	seen = calloc(n, 1);
	tx = packet_socket(argv[1], &txi);
	rx = packet_socket(argv[3], &rxi);
	ctl = socket(AF_INET, SOCK_DGRAM, 0);
	if (!sent_at || !done_at || !seen || tx < 0 || rx < 0 || ctl < 0) {
		fprintf(stderr, "timeedge: setup: %s\n", strerror(errno));
		return 1;
	}

	memset(f.dst, 0xff, 6);
	f.proto = htons(ETH_P_BENCH);
	f.magic = htonl(MAGIC);

	strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
	strncpy(info.name, argv[2], VNET_IFNAMSIZ - 1);
	info.mode = VNET_MODE_TIME;
	info.arg1 = on_ms;
	info.arg2 = off_ms;
	ifr.ifr_data = (void *)&info;
	t_before = mono_ns();
	if (ioctl(ctl, VNET_IOCTL_SET_RELAY, &ifr)) {
		fprintf(stderr, "timeedge: set relay: %s\n", strerror(errno));
		return 1;
	}
	t_after = mono_ns();

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (i = 0; i < n; i++) {
		next.tv_nsec += gap_us * 1000;
		while (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		/* spin, not sleep: a guest's timer wake-ups come late */
		do
			sent_at[i] = mono_ns();
		while (sent_at[i] < next.tv_sec * 1000000000LL + next.tv_nsec);
		f.seq = htonl(i);
		if (send(tx, &f, sizeof(f), 0) != sizeof(f)) {
			fprintf(stderr, "timeedge: send %ld: %s\n", i, strerror(errno));
			return 1;
		}
		done_at[i] = mono_ns();
		drain(rx, seen, n, 0);
	}
	drain(rx, seen, n, 300);
	drain(rx, seen, n, 0);

	/* The phase starts inside the ioctl: its middle, within set_us/2. */
	start = (t_before + t_after) / 2;
	period = (on_ms + off_ms) * 1000000LL;
	on = on_ms * 1000000LL;
	for (i = 0; i < n; i++) {
		int64_t a = segment(sent_at[i] - 1000000, start, period, on);
		int64_t b = segment(done_at[i] + 1000000, start, period, on);

		relayed += seen[i];
		if (done_at[i] - sent_at[i] > max_send)
			max_send = done_at[i] - sent_at[i];
		/* one phase all along: relayed in an even one, dropped in an odd one */
		if (a == b && seen[i] != !(a & 1))
			misplaced++;
		if (i == 0 || seen[i] == seen[i - 1])
			continue;
		{
			/* the policy's edge nearest to this frame's send interval */
			int64_t base = start + (sent_at[i] - start) / period * period;
			int64_t cands[4] = { base - period + on, base, base + on, base + period };
			int64_t err = INT64_MAX, gap = sent_at[i] - sent_at[i - 1];
			int k;

			/* rising edges open a window (base + k * period), falling close one (+ on) */
			for (k = 0; k < 4; k++) {
				int64_t e = 0;

				if ((k == 0 || k == 2) != !seen[i])
					continue;
				if (cands[k] < sent_at[i])
					e = sent_at[i] - cands[k];
				else if (cands[k] > done_at[i])
					e = cands[k] - done_at[i];
				if (e < err)
					err = e;
			}
			edges++;
			if (err > max_err)
				max_err = err;
			if (gap > max_gap)
				max_gap = gap;
			if (err - gap > max_excess)
				max_excess = err - gap;
			if (err > 1000000 + gap)
				bad++;
		}
	}
	printf("frames=%ld\nrelayed=%ld\ndropped=%ld\nedges=%ld\nmax_err_us=%lld\n"
	       "max_gap_us=%lld\nmax_excess_us=%lld\nbad_edges=%ld\nmisplaced=%ld\n"
	       "set_us=%lld\nmax_send_us=%lld\n",
	       n, relayed, n - relayed, edges, (long long)(max_err / 1000),
	       (long long)(max_gap / 1000),
	       (long long)(edges ? max_excess / 1000 : 0), bad, misplaced,
	       (long long)((t_after - t_before) / 1000),
	       (long long)(max_send / 1000));
	return 0;
}
