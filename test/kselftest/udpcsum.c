// SPDX-License-Identifier: GPL-2.0
/*
 * udpcsum - inject IPv4/UDP frames with a good or a wrong UDP checksum
 * through AF_PACKET, and receive UDP datagrams on a socket.
 *
 *   udpcsum send IFACE SRC_IP DST_IP PORT good|bad COUNT
 *	COUNT frames out IFACE, to IFACE's own MAC (vnet's loopback mode
 *	brings them back as received frames), from SRC_IP:PORT+1 to
 *	DST_IP:PORT; "bad" flips bits of a correct checksum.
 *   udpcsum recv IP PORT TIMEOUT_MS [COUNT]
 *	bind IP:PORT, print "ready", count datagrams until COUNT arrived or
 *	TIMEOUT_MS passed.
 *
 * Output: key=value lines (sent=N, received=N); the exit status is the
 * errno of a failed call (0 on success, 255 on usage errors).
 */
#include "common.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD		"vnet-ksft-udpcsum"

struct frame {
	struct ether_header eth;
	struct iphdr ip;
	struct udphdr udp;
	char data[sizeof(PAYLOAD)];
} __attribute__((packed));

static uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: udpcsum send IFACE SRC_IP DST_IP PORT good|bad COUNT\n"
		"       udpcsum recv IP PORT TIMEOUT_MS [COUNT]\n");
	return KSFT_EXIT_USAGE;
}

static int do_send(char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	long long port, count, i;
	struct in_addr src, dst;
	struct frame f;
	struct ifreq ifr;
	uint32_t sum;
	int bad, fd;

	if (strlen(argv[0]) >= IFNAMSIZ || !inet_aton(argv[1], &src) ||
	    !inet_aton(argv[2], &dst) || parse_long(argv[3], &port) ||
	    port < 1 || port > 65534 || parse_long(argv[5], &count) ||
	    count < 0)
		return usage();
	if (!strcmp(argv[4], "good"))
		bad = 0;
	else if (!strcmp(argv[4], "bad"))
		bad = 1;
	else
		return usage();

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return report_err(errno);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, argv[0]);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		return report_err(errno);
	sll.sll_ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return report_err(errno);

	memset(&f, 0, sizeof(f));
	memcpy(f.eth.ether_dhost, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	memcpy(f.eth.ether_shost, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	f.eth.ether_type = htons(ETHERTYPE_IP);
	f.ip.version = 4;
	f.ip.ihl = 5;
	f.ip.ttl = 64;
	f.ip.protocol = IPPROTO_UDP;
	f.ip.tot_len = htons(sizeof(f) - sizeof(f.eth));
	f.ip.saddr = src.s_addr;
	f.ip.daddr = dst.s_addr;
	f.ip.check = csum_fold(csum_add(0, &f.ip, sizeof(f.ip)));
	f.udp.source = htons((uint16_t)(port + 1));
	f.udp.dest = htons((uint16_t)port);
	f.udp.len = htons(sizeof(f.udp) + sizeof(f.data));
	memcpy(f.data, PAYLOAD, sizeof(f.data));

	/* pseudo header, then header and data */
	sum = csum_add(0, &f.ip.saddr, 8);
	sum += IPPROTO_UDP + ntohs(f.udp.len);
	sum = csum_add(sum, &f.udp, sizeof(f.udp) + sizeof(f.data));
	f.udp.check = csum_fold(sum);
	if (!f.udp.check)
		f.udp.check = 0xffff;
	if (bad)
		f.udp.check ^= htons(0x5a5a);

	for (i = 0; i < count; i++)
		if (sendto(fd, &f, sizeof(f), 0, (struct sockaddr *)&sll,
			   sizeof(sll)) < 0)
			return report_err(errno);
	printf("sent=%lld\n", count);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int do_recv(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	long long port, timeout, want = -1, received = 0, end;
	char buf[2048];
	int fd;

	if (!inet_aton(argv[0], &sin.sin_addr) || parse_long(argv[1], &port) ||
	    port < 1 || port > 65535 || parse_long(argv[2], &timeout) ||
	    timeout < 0 || (argc > 3 && parse_long(argv[3], &want)))
		return usage();
	sin.sin_port = htons((uint16_t)port);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return report_err(errno);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return report_err(errno);
	printf("ready\n");
	fflush(stdout);

	end = now_ms() + timeout;
	while (want < 0 || received < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = end - now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		if (recv(fd, buf, sizeof(buf), 0) >= 0)
			received++;
	}
	printf("received=%lld\n", received);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 8 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "recv"))
		return do_recv(argc - 2, argv + 2);
	return usage();
}
