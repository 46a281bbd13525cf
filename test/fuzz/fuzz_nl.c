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

