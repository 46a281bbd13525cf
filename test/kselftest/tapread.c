// SPDX-License-Identifier: GPL-2.0
/*
 * tapread - be the far end of a tap device, as a VM would be: attach to
 * (or create) tap IFNAME, and print what the frames written to it carry.
 *
 *   tapread IFNAME TIMEOUT_MS
 *
 * Prints "ready" once attached (the tap then has carrier), then for each
 * frame one line "frame len=N" followed by the printable runs of 8 or more
 * characters in it, one per line ("text=..."), until TIMEOUT_MS passed or
 * SIGTERM.  Exit status: the errno of a failed call, 255 on usage errors.
 */
#include "common.h"

#include <ctype.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void print_text(const unsigned char *p, ssize_t n)
{
	ssize_t i = 0;

	while (i < n) {
		ssize_t j = i;

		while (j < n && isprint(p[j]))
			j++;
		if (j - i >= 8)
			printf("text=%.*s\n", (int)(j - i), (const char *)p + i);
		i = j + 1;
	}
}

int main(int argc, char **argv)
{
	unsigned char buf[65536];
	struct sigaction sa = { .sa_handler = on_term };
	long long timeout, end;
	struct ifreq ifr;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= IFNAMSIZ ||
	    parse_long(argv[2], &timeout) || timeout < 0) {
		fprintf(stderr, "usage: tapread IFNAME TIMEOUT_MS\n");
		return KSFT_EXIT_USAGE;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0)
		return report_err(errno);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, argv[1]);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return report_err(errno);
	printf("ready\n");
	fflush(stdout);

	end = now_ms() + timeout;
	while (!stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = end - now_ms();
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			continue;
		printf("frame len=%zd\n", n);
		print_text(buf, n);
		fflush(stdout);
	}
	return 0;
}
