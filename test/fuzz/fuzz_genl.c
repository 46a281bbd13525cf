// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink fuzzer: every vnet_nl command and unknown ones, with
 * random attributes (types, lengths, payloads, nesting, truncation,
 * strings without their NUL), oversized messages, dump flags on doit
 * commands, bogus genl headers and lengths.  Each request carries
 * NLM_F_ACK, so each gets one answer; the errno of that answer is counted.
 * Requests the kernel must ignore (a length beyond the datagram) are
 * followed by an ECHO, whose answer proves the socket still works.
 */
#include "fuzz.h"

#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include <linux/vnet.h>

#define BUFSZ	(128 * 1024)

static char req[BUFSZ];
static char resp[BUFSZ];	/* resolve() only */

/* The family id of vnet_nl (CTRL_CMD_GETFAMILY), or a negative errno. */
static int resolve(int fd, uint32_t seq)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	struct nlbuf b;
	ssize_t n;

	nl_init(&b, req, sizeof(req), GENL_ID_CTRL, NLM_F_REQUEST, seq);
	nl_put_raw(&b, &g, sizeof(g));
	nl_put_attr(&b, CTRL_ATTR_FAMILY_NAME, VNET_GENL_NAME, sizeof(VNET_GENL_NAME));
	if (sendto(fd, req, b.nlh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	n = recv(fd, resp, sizeof(resp), 0);
	if (n < 0)
		return -errno;
	{
		struct nlmsghdr *h = (struct nlmsghdr *)resp;
		struct nlattr *a;
		int rem;

		if (h->nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
		rem = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= rem) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
				return *(uint16_t *)((char *)a + NLA_HDRLEN);
			rem -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
		}
	}
	return -ENOENT;
}

/*
 * The devices' ifindexes, looked up once: if_nametoindex() is an ioctl,
 * and as root the kernel runs modprobe ("netdev-NAME") for every missing
 * name it is asked about, which made one message in three cost a process
 * spawn.  A missing name's index is 0.
 */
#define MAX_DEVS 64
static uint32_t ifidx[MAX_DEVS];

static uint32_t dev_index(struct fuzz_rng *r, int ndevs)
{
	return ifidx[rnd(r, ndevs)];
}

static const char *const names[] = {
	"vnet0", "vnet1", "lo", "veth0", "veth1", "nosuch0", "", "dummy0",
};

/* One attribute of vnet_nl's space, well-formed or not. */
static void put_random_attr(struct fuzz_rng *r, struct nlbuf *b, char **devs,
			    int ndevs, int depth)
{
	uint16_t type = rnd(r, VNET_ATTR_MAX + 4);
	char data[256];
	size_t len;

	switch (rnd(r, 8)) {
	case 0: {		/* a u32: an ifindex, a mode, or anything */
		uint32_t v = chance(r, 2) ? dev_index(r, ndevs)
					  : (uint32_t)rnd_s32(r);

		nl_put_attr(b, type, &v, sizeof(v));
		return;
	}
	case 1: {		/* a name, NUL-terminated */
		const char *s = chance(r, 2) ? names[rnd(r, sizeof(names) / sizeof(names[0]))]
					     : devs[rnd(r, ndevs)];

		nl_put_attr(b, type, s, strlen(s) + 1);
		return;
	}
	case 2:			/* a string without its NUL */
		len = 1 + rnd(r, 20);
		memset(data, 'v', len);
		nl_put_attr(b, type, data, len);
		return;
	case 3: {		/* a u64 */
		uint64_t v = rng_next(r);

		nl_put_attr(b, type, &v, sizeof(v));
		return;
	}
	case 4:			/* nested, maybe deep */
		if (depth < 3) {
			struct nlattr *n = nl_nest_start(b, type);
			int k = rnd(r, 4);

			while (k--)
				put_random_attr(r, b, devs, ndevs, depth + 1);
			nl_nest_end(b, n);
			return;
		}
		break;
	case 5: {		/* a claimed length beyond the message */
		struct nlattr *a;

		len = rnd(r, 16);
		rnd_bytes(r, data, len);
		a = nl_put_attr(b, type, data, len);
		if (a)
			a->nla_len += 1 + rnd(r, 64);
		return;
	}
	default:
		break;
	}
	len = rnd(r, sizeof(data));
	rnd_bytes(r, data, len);
	nl_put_attr(b, type, data, len);
}

/*
 * An attribute the command reads, with a payload of the right type and
 * an interesting value: this is what reaches the handlers (random
 * attributes mostly stop at the strict policy).
 */
static void put_valid_attr(struct fuzz_rng *r, struct nlbuf *b, uint8_t cmd,
			   char **devs, int ndevs)
{
	static const char *const msgs[] = { "", "x", "hello", "vnet_nl" };
	uint32_t u;
	uint64_t q;
	int32_t v;
	const char *sname;

	switch (cmd) {
	case VNET_CMD_ECHO:
		sname = msgs[rnd(r, 4)];
		nl_put_attr(b, VNET_ATTR_MSG, sname, strlen(sname) + 1);
		return;
	case VNET_CMD_SET:
		switch (rnd(r, 6)) {
		case 0:
			u = rnd(r, 5);
			nl_put_attr(b, VNET_ATTR_MODE, &u, sizeof(u));
			return;
		case 1:
			v = rnd_s32(r);
			nl_put_attr(b, chance(r, 2) ? VNET_ATTR_ARG1 : VNET_ATTR_ARG2,
				    &v, sizeof(v));
			return;
		case 2:
			q = rng_next(r);
			nl_put_attr(b, VNET_ATTR_SEED, &q, sizeof(q));
			return;
		case 3:
			sname = chance(r, 2) ? devs[rnd(r, ndevs)] :
				names[rnd(r, sizeof(names) / sizeof(names[0]))];
			nl_put_attr(b, VNET_ATTR_SLAVE_NAME, sname, strlen(sname) + 1);
			return;
		case 4:
			u = chance(r, 4) ? 0 : dev_index(r, ndevs);
			nl_put_attr(b, VNET_ATTR_SLAVE_IFINDEX, &u, sizeof(u));
			return;
		default:
			break;
		}
		__attribute__((fallthrough));
	default:
		if (chance(r, 2)) {
			u = dev_index(r, ndevs);
			nl_put_attr(b, VNET_ATTR_IFINDEX, &u, sizeof(u));
		} else {
			sname = devs[rnd(r, ndevs)];
			nl_put_attr(b, VNET_ATTR_IFNAME, sname, strlen(sname) + 1);
		}
	}
}

int fuzz_genl(struct fuzz_rng *r, unsigned long count, char **devs, int ndevs,
	      struct fuzz_stats *st)
{
	static char big[VNET_ECHO_MSG_MAX + 64];
	uint32_t seq = 1;
	unsigned long i;
	int fd, family, d;

	if (ndevs > MAX_DEVS)
		ndevs = MAX_DEVS;
	for (d = 0; d < ndevs; d++)
		ifidx[d] = if_nametoindex(devs[d]);
	fd = nl_open(NETLINK_GENERIC);
	if (fd < 0)
		return -fd;
	family = resolve(fd, seq++);
	if (family < 0)
		return -family;

	for (i = 0; i < count; i++) {
		struct genlmsghdr g = { .cmd = 1 + rnd(r, VNET_CMD_MAX), .version = 1 };
		uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
		bool ignored = false;
		struct nlbuf b;
		size_t len;
		int k, err;

		if (chance(r, 8))
			flags |= NLM_F_DUMP;
		if (chance(r, 16))	/* unknown commands, 0 included */
			g.cmd = chance(r, 2) ? 0 : (uint8_t)rng_next(r);
		if (chance(r, 16))
			g.version = (uint8_t)rng_next(r);
		nl_init(&b, req, sizeof(req), family, flags, seq);
		if (!chance(r, 32))	/* else: no genl header at all */
			nl_put_raw(&b, &g, sizeof(g));

		/* mostly what the command reads, now and then anything */
		k = rnd(r, 7);
		while (k--) {
			if (chance(r, 4))
				put_random_attr(r, &b, devs, ndevs, 0);
			else
				put_valid_attr(r, &b, g.cmd, devs, ndevs);
		}
		if (chance(r, 50)) {	/* oversized ECHO messages */
			len = VNET_ECHO_MSG_MAX - 2 + rnd(r, 40);
			memset(big, 'x', len);
			big[len] = '\0';
			nl_put_attr(&b, VNET_ATTR_MSG, big, len + 1);
		}

		len = b.nlh->nlmsg_len;
		if (chance(r, 32)) {
			/* truncated: the header says less than was built */
			b.nlh->nlmsg_len = NLMSG_HDRLEN + rnd(r, len - NLMSG_HDRLEN + 1);
			len = b.nlh->nlmsg_len;
		} else if (chance(r, 64)) {
			/* the header claims more than the datagram has */
			b.nlh->nlmsg_len += 4 + rnd(r, 64);
			ignored = true;
		}

		if (ignored) {
			/*
			 * No answer is due.  An ECHO right behind it must be
			 * answered, and nothing for the ignored one before.
			 */
			struct genlmsghdr e = { .cmd = VNET_CMD_ECHO, .version = 1 };
			unsigned long stray = 0;

			err = nl_send(fd, req, len);
			nl_init(&b, req, sizeof(req), family, NLM_F_REQUEST | NLM_F_ACK, seq + 1);
			nl_put_raw(&b, &e, sizeof(e));
			nl_put_attr(&b, VNET_ATTR_MSG, "sync", 5);
			if (!err)
				err = nl_send(fd, req, b.nlh->nlmsg_len);
			if (!err)
				err = nl_wait(fd, seq + 1, seq, &stray);
			if (stray)
				fuzz_violation(st, "a length beyond the datagram was answered");
			if (err)
				fuzz_violation(st, "ECHO after an ignored request: %s",
					       ename(err < 0 ? -err : err));
			seq++;
		} else {
			err = nl_transact(fd, req, len, seq);
		}
		seq++;
		if (err == -ETIMEDOUT) {
			fuzz_violation(st, "no answer to request %lu", i);
			err = ETIMEDOUT;
		}
		/* Every answer is one of the errnos the family and the genl core
		 * document for bad requests; anything else is counted apart. */
		fuzz_count(st, err, err == 0 || err == EINVAL || err == ERANGE ||
			   err == ENODEV || err == ELOOP || err == EBUSY ||
			   err == EPERM || err == EOPNOTSUPP || err == EMSGSIZE ||
			   err == ENOENT);
	}
	printf("genl_attrs_checked=%lu\n", nl_pad_checked);
	if (nl_pad_errors)
		fuzz_violation(st, "%lu padding bytes of answers were not zero", nl_pad_errors);
	close(fd);
	return 0;
}
