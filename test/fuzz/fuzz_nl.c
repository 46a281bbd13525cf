// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink I/O for the fuzzers: sockets with extended acks, a big receive
 * buffer and a receive timeout; send, and wait for one request's answer.
 */
#include "fuzz.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static char resp[128 * 1024];

/* Non-zero padding bytes seen in the attributes of answers (see below). */
unsigned long nl_pad_errors;
unsigned long nl_pad_checked;
/* Size of the fixed header after nlmsghdr in answers (genl: 4). */
size_t nl_fixed_hdr = 4;

/*
 * Every byte the kernel copies to us must be written: the padding after
 * each attribute's payload (and inside nests) must be zero.
 */
static void check_attrs(const char *p, size_t len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len, pad;

		if (alen < NLA_HDRLEN || alen > len)
			return;
		pad = NLA_ALIGN(alen) - alen;
		if (NLA_ALIGN(alen) <= len) {
			size_t k;

			nl_pad_checked++;
			for (k = 0; k < pad; k++)
				if (p[alen + k])
					nl_pad_errors++;
		}
		if ((a->nla_type & NLA_F_NESTED) && depth < 2)
			check_attrs(p + NLA_HDRLEN, alen - NLA_HDRLEN, depth + 1);
		if (NLA_ALIGN(alen) >= len)
			return;
		p += NLA_ALIGN(alen);
		len -= NLA_ALIGN(alen);
	}
}

int nl_open(int proto)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	int one = 1, big = 4 << 20;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return fd;
}

int nl_send(int fd, const void *req, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(fd, req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0 ?
	       errno : 0;
}

/*
 * Wait for the ACK/error of @seq (replies and dump parts before it are
 * read and dropped).  Returns its errno (0 = success), or -ETIMEDOUT when
 * none came.  *@stray counts answers to @stray_seq seen meanwhile.
 */
int nl_wait(int fd, uint32_t seq, uint32_t stray_seq, unsigned long *stray)
{
	for (;;) {
		ssize_t n = recv(fd, resp, sizeof(resp), 0);
		struct nlmsghdr *h;
		size_t left;

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : errno;
		left = (size_t)n;
		for (h = (struct nlmsghdr *)resp; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			if (stray && h->nlmsg_seq == stray_seq)
				(*stray)++;
			if (h->nlmsg_type >= NLMSG_MIN_TYPE &&
			    h->nlmsg_len >= NLMSG_HDRLEN + 4)	/* + genl/ifinfo header */
				check_attrs((char *)NLMSG_DATA(h) + nl_fixed_hdr,
					    h->nlmsg_len - NLMSG_HDRLEN - nl_fixed_hdr, 0);
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return -e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
		}
	}
}

/* Send @len bytes of @req and wait for the answer to @seq. */
int nl_transact(int fd, const void *req, size_t len, uint32_t seq)
{
	int err = nl_send(fd, req, len);

	return err ? err : nl_wait(fd, seq, 0, NULL);
}

