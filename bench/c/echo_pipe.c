// SPDX-License-Identifier: GPL-2.0
/*
 * echo_pipe - the most a pipelined ECHO client can get out of the kernel:
 * raw netlink, no libnl, no bookkeeping.  Each thread has its own socket
 * and loops: BATCH requests in one datagram (one sendto), then every reply
 * in one recvmmsg (the kernel answers in the sender's context, so they
 * are all queued when sendto returns), each reply checked.
 *
 *   echo_pipe COUNT BATCH [THREADS]
 *
 * BATCH 1 is the sequential client without libnl (sendto, recvmmsg); a
 * large BATCH leaves only the kernel's work per request.  THREADS (default
 * 1) split COUNT between threads, each on its own socket.
 *
 * Prints "echo_pipe batch B threads T: COUNT round trips in S s: R/s";
 * exits 1 on the first failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/vnet.h>

#define MAX_BATCH	256
#define MSG		"hello"
#define SLOT		256	/* one reply's room: header, genl header, attr */
#define NLA_ALIGN4(n)	(((n) + 3) & ~3)

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	struct nlattr nla;
	char msg[NLA_ALIGN4(sizeof(MSG))];
};

struct worker {
	pthread_t tid;
	int family;
	long count;
	int batch;
	int failed;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		return -1;
	}
	return fd;
}

/* CTRL_CMD_GETFAMILY for vnet_nl: its id, or -1 */
static int resolve_family(void)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr genl;
		struct nlattr nla;
		char name[NLA_ALIGN4(sizeof(VNET_GENL_NAME))];
	} req = {
		.nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = GENL_ID_CTRL,
			 .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 },
		.genl = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
		.nla = { .nla_len = NLA_HDRLEN + sizeof(VNET_GENL_NAME),
			 .nla_type = CTRL_ATTR_FAMILY_NAME },
		.name = VNET_GENL_NAME,
	};
	char buf[8192];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a;
	int fd = nl_open(), len, id = -1;

	if (fd < 0)
		return -1;
	if (send(fd, &req, sizeof(req), 0) < 0 ||
	    (len = recv(fd, buf, sizeof(buf), 0)) < 0 ||
	    !NLMSG_OK(nlh, (unsigned int)len) ||
	    nlh->nlmsg_type != GENL_ID_CTRL)
		goto out;
	len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	     len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			id = *(__u16 *)((char *)a + NLA_HDRLEN);
out:
	close(fd);
	return id;
}

/* the reply in a datagram of len bytes is MSG's echo */
static int reply_ok(const char *buf, int len)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct nlattr *a;

	if (!NLMSG_OK(nlh, (unsigned int)len) ||
	    nlh->nlmsg_type == NLMSG_ERROR ||
	    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) + NLA_HDRLEN)
		return 0;
	a = (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	return a->nla_type == VNET_ATTR_MSG &&
	       a->nla_len == NLA_HDRLEN + sizeof(MSG) &&
	       !memcmp((const char *)a + NLA_HDRLEN, MSG, sizeof(MSG));
}

static void *run(void *arg)
{
	static const struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct worker *w = arg;
	struct req *reqs = calloc(w->batch, sizeof(*reqs));
	char *bufs = malloc((size_t)w->batch * SLOT);
	struct mmsghdr *mm = calloc(w->batch, sizeof(*mm));
	struct iovec *iov = calloc(w->batch, sizeof(*iov));
	__u32 seq = 0;
	long done = 0;
	int fd = nl_open(), i, n, got;

	w->failed = 1;
	if (fd < 0 || !reqs || !bufs || !mm || !iov)
		return NULL;
	for (i = 0; i < w->batch; i++) {
		reqs[i].nlh.nlmsg_len = sizeof(reqs[i]);
		reqs[i].nlh.nlmsg_type = w->family;
		reqs[i].nlh.nlmsg_flags = NLM_F_REQUEST;
		reqs[i].genl.cmd = VNET_CMD_ECHO;
		reqs[i].genl.version = VNET_GENL_VERSION;
		reqs[i].nla.nla_len = NLA_HDRLEN + sizeof(MSG);
		reqs[i].nla.nla_type = VNET_ATTR_MSG;
		memcpy(reqs[i].msg, MSG, sizeof(MSG));
		iov[i].iov_base = bufs + (size_t)i * SLOT;
		iov[i].iov_len = SLOT;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < w->count) {
		n = w->count - done < w->batch ? w->count - done : w->batch;
		for (i = 0; i < n; i++)
			reqs[i].nlh.nlmsg_seq = ++seq;
		if (sendto(fd, reqs, n * sizeof(*reqs), 0,
			   (const struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
			perror("sendto");
			return NULL;
		}
		for (got = 0; got < n; ) {
			int r = recvmmsg(fd, mm, n - got, 0, NULL);

			if (r <= 0) {
				perror("recvmmsg");
				return NULL;
			}
			for (i = 0; i < r; i++)
				if (!reply_ok(iov[i].iov_base, mm[i].msg_len)) {
					fprintf(stderr, "bad reply\n");
					return NULL;
				}
			got += r;
		}
		done += n;
	}
	close(fd);
	free(reqs);
	free(bufs);
	free(mm);
	free(iov);
	w->failed = 0;
	return NULL;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 20000;
	int batch = argc > 2 ? atoi(argv[2]) : 1;
	int threads = argc > 3 ? atoi(argv[3]) : 1, family, i, failed = 0;
	struct worker *w;
	double t0, t;

	if (count < 1 || batch < 1 || batch > MAX_BATCH || threads < 1 || threads > 64) {
		fprintf(stderr, "usage: echo_pipe COUNT BATCH(1-%d) [THREADS]\n", MAX_BATCH);
		return 2;
	}
	family = resolve_family();
	if (family < 0) {
		fprintf(stderr, "echo_pipe: no %s family\n", VNET_GENL_NAME);
		return 1;
	}
	w = calloc(threads, sizeof(*w));
	if (!w)
		return 1;
	t0 = now();
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ .family = family, .batch = batch,
					.count = count / threads + (i < count % threads) };
		if (pthread_create(&w[i].tid, NULL, run, &w[i]))
			return 1;
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].tid, NULL);
		failed |= w[i].failed;
	}
	t = now() - t0;
	if (failed)
		return 1;
	printf("echo_pipe batch %d threads %d: %ld round trips in %.3f s: %.0f/s\n",
	       batch, threads, count, t, count / t);
	free(w);
	return 0;
}
