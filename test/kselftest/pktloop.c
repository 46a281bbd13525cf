// SPDX-License-Identifier: GPL-2.0
/*
 * pktloop - send and receive raw Ethernet test frames with AF_PACKET.
 *
 *   pktloop loop IFACE [count=N] [size=B] [dst=MAC] [wait_ms=T] [tag=T]
 *	send N frames out IFACE and receive them back on IFACE (vnet's
 *	loopback mode), draining the receive side while sending.
 *   pktloop send IFACE [count=N] [size=B] [dst=MAC] [interval_us=U] [tag=T]
 *	only send, optionally paced (absolute monotonic deadlines).
 *   pktloop recv IFACE [count=N] [timeout_ms=T] [idle_ms=I] [tag=T]
 *	only receive: prints "ready" once bound, stops after N unique
 *	frames, T ms in all, or I ms without a frame once one arrived, or
 *	300 ms after a frame tagged stop_tag=S (a sentinel sent by another
 *	path once the sender is done).
 *
 * Frames carry ethertype 0x88b5 (local experimental), a magic, a tag and
 * a sequence number, so unrelated traffic is ignored.  dst defaults to
 * the interface's own MAC for loop and to broadcast for send.
 *
 * Output: key=value lines: sent_ok, send_errors, err_<ENAME>=n, received
 * (unique sequence numbers), dups, foreign, seq_hash (FNV-1a over the
 * ascending list of received sequence numbers: equal hashes mean the same
 * frames got through), sock_drops, lost and loss_runs (missing sequence
 * numbers up to the last received one, and the runs they form).  Exit 0 unless something could not be
 * set up (errno) or arguments are wrong (255).
 */
#include "common.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETH_P_KSFT	0x88b5
#define MAGIC		"VNETKSFT"
#define MAX_COUNT	(4u * 1024 * 1024)
#define MAX_ERRNO	200

struct frame_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	uint16_t proto;
	char magic[8];
	uint32_t tag;
	uint32_t seq;
} __attribute__((packed));

static struct {
	const char *mode, *ifname;
	unsigned long count;
	unsigned int size;
	uint8_t dst[6];
	int have_dst;
	long long wait_ms, interval_us, timeout_ms, idle_ms;
	uint32_t tag;
	long long stop_tag;
} opt = {
	.count = 1000,
	.size = 100,
	.wait_ms = 3000,
	.timeout_ms = 10000,
	.idle_ms = 0,
	.tag = 0x5eed,
	.stop_tag = -1,
};

static int fd, ifindex;
static uint8_t ifmac[6];
static uint8_t *seen;
static unsigned long received, dups, foreign, sent_ok, send_errors;
static unsigned long errcount[MAX_ERRNO];
static int first_error;
static long long elapsed_ms, late_max_us;
static int stopping;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

static int parse_opts(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		long long v;

		if (!eq)
			return -1;
		*eq = '\0';
		if (!strcmp(argv[i], "dst")) {
			if (parse_mac(eq + 1, opt.dst))
				return -1;
			opt.have_dst = 1;
			continue;
		}
		if (parse_long(eq + 1, &v) || v < 0)
			return -1;
		if (!strcmp(argv[i], "count") && v <= MAX_COUNT)
			opt.count = v;
		else if (!strcmp(argv[i], "size") && v >= 60 && v <= 1514)
			opt.size = v;
		else if (!strcmp(argv[i], "wait_ms"))
			opt.wait_ms = v;
		else if (!strcmp(argv[i], "interval_us"))
			opt.interval_us = v;
		else if (!strcmp(argv[i], "timeout_ms"))
			opt.timeout_ms = v;
		else if (!strcmp(argv[i], "idle_ms"))
			opt.idle_ms = v;
		else if (!strcmp(argv[i], "tag"))
			opt.tag = v;
		else if (!strcmp(argv[i], "stop_tag"))
			opt.stop_tag = v;
		else
			return -1;
	}
	return 0;
}

static int open_socket(void)
{
	struct sockaddr_ll sll = { 0 };
	struct ifreq ifr = { 0 };
	int big = 32 * 1024 * 1024;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_KSFT));
	if (fd < 0)
		return errno;
	strncpy(ifr.ifr_name, opt.ifname, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		return errno;
	ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return errno;
	memcpy(ifmac, ifr.ifr_hwaddr.sa_data, 6);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_KSFT);
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return errno;
	return 0;
}

/* Read whatever is queued; block up to wait_ms for the first frame. */
static int drain(int wait_ms)
{
	static uint8_t buf[2048];
	int got = 0;

	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		struct frame_hdr *h = (struct frame_hdr *)buf;
		ssize_t n;

		if (wait_ms > 0 && !got) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, wait_ms) <= 0)
				return got;
		}
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			return got;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		got++;
		if (n >= (ssize_t)sizeof(*h) && !memcmp(h->magic, MAGIC, 8) &&
		    (long long)ntohl(h->tag) == opt.stop_tag) {
			stopping = 1;
			continue;
		}
		if (n < (ssize_t)sizeof(*h) || memcmp(h->magic, MAGIC, 8) ||
		    ntohl(h->tag) != opt.tag || ntohl(h->seq) >= opt.count) {
			foreign++;
			continue;
		}
		if (seen[ntohl(h->seq)]++)
			dups++;
		else
			received++;
	}
}

static void send_one(uint8_t *frame, uint32_t seq)
{
	struct frame_hdr *h = (struct frame_hdr *)frame;

	h->seq = htonl(seq);
	if (send(fd, frame, opt.size, 0) == (ssize_t)opt.size) {
		sent_ok++;
		return;
	}
	send_errors++;
	if (!first_error)
		first_error = errno;
	if (errno < MAX_ERRNO)
		errcount[errno]++;
}

static void report(void)
{
	struct tpacket_stats st = { 0 };
	socklen_t sl = sizeof(st);
	uint64_t hash = 1469598103934665603ULL;
	unsigned long i;
	int e;

	if (strcmp(opt.mode, "recv")) {
		printf("sent_ok=%lu\nsend_errors=%lu\n", sent_ok, send_errors);
		for (e = 0; e < MAX_ERRNO; e++)
			if (errcount[e])
				printf("err_%s=%lu\n", errname(e), errcount[e]);
		if (first_error)
			printf("first_error=%s\n", errname(first_error));
		printf("frame_size=%u\nbytes_sent=%lu\nelapsed_ms=%lld\n",
		       opt.size, sent_ok * opt.size, elapsed_ms);
		if (opt.interval_us)
			printf("late_max_us=%lld\n", late_max_us);
	}
	if (strcmp(opt.mode, "send")) {
		for (i = 0; i < opt.count; i++) {
			if (!seen[i])
				continue;
			hash ^= i;
			hash *= 1099511628211ULL;
		}
		getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
		printf("received=%lu\ndups=%lu\nforeign=%lu\nseq_hash=%016llx\nsock_drops=%u\n",
		       received, dups, foreign, (unsigned long long)hash,
		       st.tp_drops);
		{
			/*
			 * Losses among the sequence numbers up to the last
			 * one received: how many, and in how many runs (a
			 * burst-loss model's mean burst is lost / runs).
			 */
			unsigned long last = 0, lost = 0, runs = 0;

			for (i = 0; i < opt.count; i++)
				if (seen[i])
					last = i;
			for (i = 0; i <= last && received; i++) {
				if (seen[i])
					continue;
				lost++;
				if (!i || seen[i - 1])
					runs++;
			}
			printf("lost=%lu\nloss_runs=%lu\n", lost, runs);
		}
		if (opt.count <= 10000) {
			/* Received sequence numbers as ranges: "0-29,100-129" */
			int first = 1;

			printf("ranges=");
			for (i = 0; i < opt.count; i++) {
				unsigned long j = i;

				if (!seen[i])
					continue;
				while (j + 1 < opt.count && seen[j + 1])
					j++;
				printf("%s%lu", first ? "" : ",", i);
				if (j > i)
					printf("-%lu", j);
				first = 0;
				i = j;
			}
			printf("\n");
		}
	}
}

int main(int argc, char **argv)
{
	uint8_t frame[1514];
	struct frame_hdr *h = (struct frame_hdr *)frame;
	int err, loop, sending;

	if (argc < 3 || parse_opts(argc - 3, argv + 3))
		goto usage;
	opt.mode = argv[1];
	opt.ifname = argv[2];
	loop = !strcmp(opt.mode, "loop");
	sending = loop || !strcmp(opt.mode, "send");
	if (!sending && strcmp(opt.mode, "recv"))
		goto usage;

	setvbuf(stdout, NULL, _IOLBF, 0);
	seen = calloc(opt.count ? opt.count : 1, 1);
	err = open_socket();
	if (err) {
		printf("setup=failed\n");
		return report_err(err);
	}

	if (!sending) {
		long long start = now_ms(), last = 0;

		printf("ready\n");
		while (received < opt.count) {
			long long t = now_ms();
			long long left = opt.timeout_ms - (t - start);

			if (left <= 0)
				break;
			if (opt.idle_ms && last && t - last >= opt.idle_ms)
				break;
			if (stopping == 1) {
				/* Sentinel seen: collect stragglers briefly. */
				stopping = 2;
				opt.timeout_ms = t - start + 300;
				continue;
			}
			if (opt.idle_ms && last && left > opt.idle_ms - (t - last))
				left = opt.idle_ms - (t - last);
			if (drain(left > 100 ? 100 : (int)left))
				last = now_ms();
		}
		report();
		return 0;
	}

	memset(frame, 0, sizeof(frame));
	if (opt.have_dst)
		memcpy(h->dst, opt.dst, 6);
	else if (loop)
		memcpy(h->dst, ifmac, 6);
	else
		memset(h->dst, 0xff, 6);
	memcpy(h->src, ifmac, 6);
	h->proto = htons(ETH_P_KSFT);
	memcpy(h->magic, MAGIC, 8);
	h->tag = htonl(opt.tag);

	{
		struct timespec next, now;
		long long t0 = now_ms();
		unsigned long i;

		clock_gettime(CLOCK_MONOTONIC, &next);
		for (i = 0; i < opt.count; i++) {
			if (opt.interval_us) {
				long long late;

				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
						&next, NULL);
				clock_gettime(CLOCK_MONOTONIC, &now);
				late = (now.tv_sec - next.tv_sec) * 1000000LL +
				       (now.tv_nsec - next.tv_nsec) / 1000;
				if (late > late_max_us)
					late_max_us = late;
				next.tv_nsec += opt.interval_us * 1000;
				while (next.tv_nsec >= 1000000000) {
					next.tv_nsec -= 1000000000;
					next.tv_sec++;
				}
			}
			send_one(frame, i);
			if (loop)
				drain(0);
		}
		elapsed_ms = now_ms() - t0;
	}
	if (loop) {
		long long deadline = now_ms() + opt.wait_ms;

		while (received < sent_ok && now_ms() < deadline)
			drain(100);
	}
	report();
	return 0;

usage:
	fprintf(stderr,
		"usage: pktloop loop|send|recv IFACE [count=N] [size=B] [dst=MAC]\n"
		"               [wait_ms=T] [interval_us=U] [timeout_ms=T] [idle_ms=I]\n"
		"               [tag=T] [stop_tag=S]\n");
	return KSFT_EXIT_USAGE;
}
