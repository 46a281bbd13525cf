// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_genl - a small client of the "vnet_nl" generic netlink family over
 * a raw netlink socket (no library, so it runs anywhere), for the selftests.
 *
 *   vnet_genl [OPTS] echo MSG | echo --len N | echo --none (no attribute)
 *   vnet_genl [OPTS] get DEV
 *   vnet_genl [OPTS] dump
 *   vnet_genl [OPTS] set DEV [mode=M] [arg1=N] ... [arg4=N] [seed=N]
 *                            [dir=tx|rx|both] [revert_ms=N]
 *                            [slave=NAME] [slave_ifindex=N]
 *   vnet_genl [OPTS] reset DEV
 *   vnet_genl [OPTS] monitor TIMEOUT_MS [MAX_EVENTS]
 *
 * DEV: a name; a number (ifindex); "N:NAME" (both attributes); "-" (none).
 * M: pass|percent|time or a number.
 * OPTS: --unknown-attr   add an attribute of type VNET_ATTR_MAX + 1
 *
 * Output: key=value lines.  A device's state is a block starting with
 * "ifindex=" and ending with an empty line; dump ends with "count=N";
 * monitor prints "ready" once subscribed and "event=NAME" before each
 * event's state block.  Errors print error=ENAME and extack=TEXT; the exit
 * status is the errno (0 on success, 255 on usage/internal errors).
 */
#include "common.h"

#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/vnet.h>

#define BUFSZ (128 * 1024)

static const char *const stat_names[VNET_STATS_MAX + 1] = {
	[VNET_STATS_RX_PACKETS]		= "rx_packets",
	[VNET_STATS_RX_BYTES]		= "rx_bytes",
	[VNET_STATS_TX_PACKETS]		= "tx_packets",
	[VNET_STATS_TX_BYTES]		= "tx_bytes",
	[VNET_STATS_RX_DROPPED]		= "rx_dropped",
	[VNET_STATS_TX_DROPPED]		= "tx_dropped",
	[VNET_STATS_TX_DROP_PERCENT]	= "tx_drop_percent",
	[VNET_STATS_TX_DROP_TIME]	= "tx_drop_time",
	[VNET_STATS_TX_DROP_NO_SLAVE]	= "tx_drop_no_slave",
	[VNET_STATS_TX_DROP_SLAVE]	= "tx_drop_slave",
	[VNET_STATS_SLAVE_LOST]		= "slave_lost",
	[VNET_STATS_TX_DROP_GEMODEL]	= "tx_drop_gemodel",
	[VNET_STATS_RX_DROP_DELIVERY]	= "rx_drop_delivery",
	[VNET_STATS_RX_DROP_PERCENT]	= "rx_drop_percent",
	[VNET_STATS_RX_DROP_TIME]	= "rx_drop_time",
	[VNET_STATS_RX_DROP_GEMODEL]	= "rx_drop_gemodel",
};

static const char *const event_names[VNET_EVENT_MAX + 1] = {
	[VNET_EVENT_UNSPEC]		= "unspec",
	[VNET_EVENT_CONFIG]		= "config",
	[VNET_EVENT_SLAVE_LOST]		= "slave_lost",
	[VNET_EVENT_STATS_RESET]	= "stats_reset",
	[VNET_EVENT_REVERTED]		= "reverted",
};

static int nl_fd;
static uint32_t nl_seq;
static int opt_unknown_attr;

struct msg {
	union {
		struct nlmsghdr nlh;
		char data[BUFSZ];
	};
};

/* ---------------------------------------------------------------- */
/* message building                                                  */

static void msg_init(struct msg *m, uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct genlmsghdr *g;

	memset(&m->nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh.nlmsg_seq = ++nl_seq;
	g = NLMSG_DATA(&m->nlh);
	g->cmd = cmd;
	g->version = VNET_GENL_VERSION;
}

static struct nlattr *put_attr(struct msg *m, uint16_t type, const void *data,
			       size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->data + NLMSG_ALIGN(m->nlh.nlmsg_len));

	if (NLMSG_ALIGN(m->nlh.nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > BUFSZ) {
		fprintf(stderr, "message too long\n");
		exit(KSFT_EXIT_USAGE);
	}
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->nlh.nlmsg_len = NLMSG_ALIGN(m->nlh.nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len);
	return a;
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put_attr(m, type, s, strlen(s) + 1);
}

/* ---------------------------------------------------------------- */
/* parsing                                                           */

static void parse_attrs(struct nlattr **tb, int max, void *start, int len)
{
	struct nlattr *a = start;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type <= max)
			tb[type] = a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

static void *nla_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static int nla_plen(struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint32_t get_u32(struct nlattr *a)
{
	uint32_t v = 0;

	memcpy(&v, nla_data(a), nla_plen(a) < 4 ? nla_plen(a) : 4);
	return v;
}

static uint64_t get_u64(struct nlattr *a)
{
	uint64_t v = 0;

	memcpy(&v, nla_data(a), nla_plen(a) < 8 ? nla_plen(a) : 8);
	return v;
}

static const char *get_str(struct nlattr *a, char *buf, size_t size)
{
	size_t n = nla_plen(a);

	if (n >= size)
		n = size - 1;
	memcpy(buf, nla_data(a), n);
	buf[n] = '\0';
	return buf;
}

/* One policy's attributes, keys prefixed with @pfx ("" or "rx_"). */
static void print_policy(struct nlattr **tb, const char *pfx)
{
	static const char *const modes[] = {
		[VNET_MODE_PASS] = "pass", [VNET_MODE_PERCENT] = "percent",
		[VNET_MODE_TIME] = "time", [VNET_MODE_GEMODEL] = "gemodel",
	};
	static const int argattr[] = {
		VNET_ATTR_ARG1, VNET_ATTR_ARG2, VNET_ATTR_ARG3, VNET_ATTR_ARG4,
	};
	int i;

	if (tb[VNET_ATTR_MODE]) {
		uint32_t mode = get_u32(tb[VNET_ATTR_MODE]);

		printf("%smode=%u\n%smode_name=%s\n", pfx, mode, pfx,
		       mode <= VNET_MODE_MAX ? modes[mode] : "unknown");
	}
	for (i = 0; i < 4; i++)
		if (tb[argattr[i]])
			printf("%sarg%d=%d\n", pfx, i + 1,
			       (int32_t)get_u32(tb[argattr[i]]));
	if (tb[VNET_ATTR_SEED])
		printf("%sseed=%llu\n", pfx, (unsigned long long)get_u64(tb[VNET_ATTR_SEED]));
	if (tb[VNET_ATTR_REVERT_MS])
		printf("%srevert_ms=%u\n", pfx, get_u32(tb[VNET_ATTR_REVERT_MS]));
}

/* Print the device state carried by a vnet_nl message. */
static void print_state(struct nlattr **tb)
{
	char s[VNET_ECHO_MSG_MAX + 2];

	if (tb[VNET_ATTR_IFINDEX])
		printf("ifindex=%u\n", get_u32(tb[VNET_ATTR_IFINDEX]));
	if (tb[VNET_ATTR_IFNAME])
		printf("ifname=%s\n", get_str(tb[VNET_ATTR_IFNAME], s, sizeof(s)));
	print_policy(tb, "");
	if (tb[VNET_ATTR_RX_POLICY]) {
		struct nlattr *rx[VNET_ATTR_MAX + 1];

		parse_attrs(rx, VNET_ATTR_MAX, nla_data(tb[VNET_ATTR_RX_POLICY]),
			    nla_plen(tb[VNET_ATTR_RX_POLICY]));
		print_policy(rx, "rx_");
	}
	if (tb[VNET_ATTR_DIRECTION])
		printf("direction=%u\n", get_u32(tb[VNET_ATTR_DIRECTION]));
	if (tb[VNET_ATTR_SLAVE_IFINDEX])
		printf("slave_ifindex=%u\n", get_u32(tb[VNET_ATTR_SLAVE_IFINDEX]));
	if (tb[VNET_ATTR_SLAVE_NAME])
		printf("slave_name=%s\n", get_str(tb[VNET_ATTR_SLAVE_NAME], s, sizeof(s)));
	if (tb[VNET_ATTR_SLAVE_RP_FILTER])
		printf("slave_rp_filter=%u\n", get_u32(tb[VNET_ATTR_SLAVE_RP_FILTER]));
	if (tb[VNET_ATTR_STATS]) {
		struct nlattr *st[VNET_STATS_MAX + 1];
		int i;

		parse_attrs(st, VNET_STATS_MAX, nla_data(tb[VNET_ATTR_STATS]),
			    nla_plen(tb[VNET_ATTR_STATS]));
		for (i = 0; i <= VNET_STATS_MAX; i++)
			if (st[i] && stat_names[i])
				printf("%s=%llu\n", stat_names[i],
				       (unsigned long long)get_u64(st[i]));
	}
	printf("\n");
}

/* ---------------------------------------------------------------- */
/* socket and transactions                                           */

static void nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, rcv = 4 * 1024 * 1024;

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0) {
		perror("socket(NETLINK_GENERIC)");
		exit(KSFT_EXIT_USAGE);
	}
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("bind");
		exit(KSFT_EXIT_USAGE);
	}
	nl_seq = time(NULL);
}

static void nl_send(struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(nl_fd, m->data, m->nlh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		perror("sendto");
		exit(KSFT_EXIT_USAGE);
	}
}

/* Print the extended ack of an NLMSG_ERROR or NLMSG_DONE message. */
static void print_extack(struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char s[1024];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= off)
		return;
	parse_attrs(tb, NLMSGERR_ATTR_MAX, (char *)nlh + off, nlh->nlmsg_len - off);
	if (tb[NLMSGERR_ATTR_MSG])
		printf("extack=%s\n", get_str(tb[NLMSGERR_ATTR_MSG], s, sizeof(s)));
	if (tb[NLMSGERR_ATTR_OFFS])
		printf("extack_offs=%u\n", get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		printf("extack_miss_type=%u\n", get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
}

typedef void (*msg_cb)(struct nlmsghdr *nlh, void *arg);

/*
 * Send m and read until its ack (or the end of the dump).  Every message
 * of type 'type' with our sequence number goes to cb.  Returns 0 or a
 * positive errno, having printed error= and extack= lines.
 */
static int transact(struct msg *m, uint16_t type, msg_cb cb, void *arg)
{
	static char buf[BUFSZ];
	uint32_t seq = m->nlh.nlmsg_seq;

	nl_send(m);
	for (;;) {
		ssize_t n = recv(nl_fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recv");
			exit(KSFT_EXIT_USAGE);
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				size_t off = NLMSG_HDRLEN + sizeof(*e);

				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if (e->error) {
					printf("error=%s\nerrno=%d\n",
					       errname(-e->error), -e->error);
					print_extack(nlh, off);
					fflush(stdout);
					return -e->error;
				}
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(int));
				if (err) {
					printf("error=%s\nerrno=%d\n",
					       errname(-err), -err);
					print_extack(nlh, NLMSG_HDRLEN + sizeof(int));
					fflush(stdout);
					return -err;
				}
				return 0;
			}
			if (nlh->nlmsg_type == type && cb)
				cb(nlh, arg);
		}
	}
}

/* ---------------------------------------------------------------- */
/* family resolution                                                 */

struct family {
	uint16_t id;
	uint32_t events_grp;
};

static void family_cb(struct nlmsghdr *nlh, void *arg)
{
	struct family *f = arg;
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlattr *grp;
	int rem;

	parse_attrs(tb, CTRL_ATTR_MAX, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		    nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	if (tb[CTRL_ATTR_FAMILY_ID])
		f->id = *(uint16_t *)nla_data(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	grp = nla_data(tb[CTRL_ATTR_MCAST_GROUPS]);
	rem = nla_plen(tb[CTRL_ATTR_MCAST_GROUPS]);
	while (rem >= (int)NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN &&
	       grp->nla_len <= rem) {
		struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1];
		char name[64];

		parse_attrs(g, CTRL_ATTR_MCAST_GRP_MAX, nla_data(grp), nla_plen(grp));
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(get_str(g[CTRL_ATTR_MCAST_GRP_NAME], name, sizeof(name)),
			    VNET_GENL_MCGRP_EVENTS))
			f->events_grp = get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
		rem -= NLA_ALIGN(grp->nla_len);
		grp = (struct nlattr *)((char *)grp + NLA_ALIGN(grp->nla_len));
	}
}

static struct family resolve(void)
{
	static struct msg m;
	struct family f = { 0, 0 };
	struct genlmsghdr *g;
	int err;

	msg_init(&m, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY);
	g = NLMSG_DATA(&m.nlh);
	g->version = 1;
	put_str(&m, CTRL_ATTR_FAMILY_NAME, VNET_GENL_NAME);
	err = transact(&m, GENL_ID_CTRL, family_cb, &f);
	if (err || !f.id) {
		printf("family=unresolved\n");
		exit(err ? err : ENOENT);
	}
	return f;
}

/* ---------------------------------------------------------------- */
/* commands                                                          */

static int parse_dev(struct msg *m, const char *spec)
{
	long long v;
	const char *colon;

	if (!strcmp(spec, "-"))
		return 0;
	colon = strchr(spec, ':');
	if (colon) {
		char idx[32];

		if ((size_t)(colon - spec) >= sizeof(idx))
			return -1;
		memcpy(idx, spec, colon - spec);
		idx[colon - spec] = '\0';
		if (parse_long(idx, &v))
			return -1;
		put_u32(m, VNET_ATTR_IFINDEX, (uint32_t)v);
		put_str(m, VNET_ATTR_IFNAME, colon + 1);
		return 0;
	}
	if (!parse_long(spec, &v))
		put_u32(m, VNET_ATTR_IFINDEX, (uint32_t)v);
	else
		put_str(m, VNET_ATTR_IFNAME, spec);
	return 0;
}

static void finish(struct msg *m)
{
	if (opt_unknown_attr)
		put_u32(m, VNET_ATTR_MAX + 1, 1);
}

static void state_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[VNET_ATTR_MAX + 1];
	int *count = arg;

	parse_attrs(tb, VNET_ATTR_MAX, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		    nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	print_state(tb);
	if (count)
		(*count)++;
}

struct echo_ctx {
	const char *sent;
	int replies;
	int matched;
};

static void echo_cb(struct nlmsghdr *nlh, void *arg)
{
	struct echo_ctx *c = arg;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[VNET_ATTR_MAX + 1];
	static char s[VNET_ECHO_MSG_MAX * 2];

	c->replies++;
	parse_attrs(tb, VNET_ATTR_MAX, (char *)g + GENL_HDRLEN,
		    nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	printf("reply_cmd=%u\n", g->cmd);
	if (!tb[VNET_ATTR_MSG]) {
		printf("msg_attr=missing\n");
		return;
	}
	get_str(tb[VNET_ATTR_MSG], s, sizeof(s));
	printf("msg_len=%zu\n", strlen(s));
	if (strlen(s) < 200)
		printf("msg=%s\n", s);
	if (g->cmd == VNET_CMD_ECHO && !strcmp(s, c->sent))
		c->matched = 1;
}

static int cmd_echo(struct family *f, int argc, char **argv)
{
	static struct msg m;
	struct echo_ctx c = { 0 };
	char *text;
	int err;

	if (argc == 2 && !strcmp(argv[0], "--len")) {
		long long n;

		if (parse_long(argv[1], &n) || n < 0 || n > BUFSZ / 2)
			return KSFT_EXIT_USAGE;
		text = malloc(n + 1);
		memset(text, 'x', n);
		text[n] = '\0';
	} else if (argc == 1 && !strcmp(argv[0], "--none")) {
		text = NULL;
	} else if (argc == 1) {
		text = argv[0];
	} else {
		return KSFT_EXIT_USAGE;
	}
	c.sent = text ? text : "";
	msg_init(&m, f->id, NLM_F_ACK, VNET_CMD_ECHO);
	if (text)
		put_str(&m, VNET_ATTR_MSG, text);
	finish(&m);
	err = transact(&m, f->id, echo_cb, &c);
	printf("replies=%d\nmatch=%d\n", c.replies, c.matched);
	if (err)
		return err;
	return c.matched && c.replies == 1 ? 0 : 1;
}

static int cmd_get(struct family *f, int argc, char **argv, uint8_t cmd)
{
	static struct msg m;
	int count = 0, err;

	if (argc != 1)
		return KSFT_EXIT_USAGE;
	msg_init(&m, f->id, NLM_F_ACK, cmd);
	if (parse_dev(&m, argv[0]))
		return KSFT_EXIT_USAGE;
	finish(&m);
	err = transact(&m, f->id, state_cb, &count);
	if (!err && count != 1) {
		printf("replies=%d\n", count);
		return 1;
	}
	return err;
}

static int cmd_dump(struct family *f)
{
	static struct msg m;
	int count = 0, err;

	msg_init(&m, f->id, NLM_F_DUMP, VNET_CMD_GET);
	finish(&m);
	err = transact(&m, f->id, state_cb, &count);
	printf("count=%d\n", count);
	return err;
}

static int cmd_set(struct family *f, int argc, char **argv)
{
	static struct msg m;
	int count = 0, i;

	if (argc < 1)
		return KSFT_EXIT_USAGE;
	msg_init(&m, f->id, NLM_F_ACK, VNET_CMD_SET);
	if (parse_dev(&m, argv[0]))
		return KSFT_EXIT_USAGE;
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		const char *k = argv[i], *v;
		long long n = 0;

		if (!eq)
			return KSFT_EXIT_USAGE;
		*eq = '\0';
		v = eq + 1;
		if (!strcmp(k, "slave")) {
			put_str(&m, VNET_ATTR_SLAVE_NAME, v);
			continue;
		}
		if (!strcmp(k, "mode")) {
			if (!strcmp(v, "pass"))
				n = VNET_MODE_PASS;
			else if (!strcmp(v, "percent"))
				n = VNET_MODE_PERCENT;
			else if (!strcmp(v, "time"))
				n = VNET_MODE_TIME;
			else if (!strcmp(v, "gemodel"))
				n = VNET_MODE_GEMODEL;
			else if (parse_long(v, &n))
				return KSFT_EXIT_USAGE;
			put_u32(&m, VNET_ATTR_MODE, (uint32_t)n);
			continue;
		}
		if (!strcmp(k, "dir")) {
			if (!strcmp(v, "tx"))
				n = VNET_DIR_TX;
			else if (!strcmp(v, "rx"))
				n = VNET_DIR_RX;
			else if (!strcmp(v, "both"))
				n = VNET_DIR_BOTH;
			else if (parse_long(v, &n))
				return KSFT_EXIT_USAGE;
			put_u32(&m, VNET_ATTR_DIRECTION, (uint32_t)n);
			continue;
		}
		if (parse_long(v, &n))
			return KSFT_EXIT_USAGE;
		if (!strcmp(k, "arg1"))
			put_u32(&m, VNET_ATTR_ARG1, (uint32_t)(int32_t)n);
		else if (!strcmp(k, "arg2"))
			put_u32(&m, VNET_ATTR_ARG2, (uint32_t)(int32_t)n);
		else if (!strcmp(k, "arg3"))
			put_u32(&m, VNET_ATTR_ARG3, (uint32_t)(int32_t)n);
		else if (!strcmp(k, "arg4"))
			put_u32(&m, VNET_ATTR_ARG4, (uint32_t)(int32_t)n);
		else if (!strcmp(k, "revert_ms"))
			put_u32(&m, VNET_ATTR_REVERT_MS, (uint32_t)n);
		else if (!strcmp(k, "seed"))
			put_u64(&m, VNET_ATTR_SEED, (uint64_t)n);
		else if (!strcmp(k, "slave_ifindex"))
			put_u32(&m, VNET_ATTR_SLAVE_IFINDEX, (uint32_t)n);
		else
			return KSFT_EXIT_USAGE;
	}
	finish(&m);
	return transact(&m, f->id, state_cb, &count);
}

static int cmd_monitor(struct family *f, int argc, char **argv)
{
	static char buf[BUFSZ];
	long long timeout_ms, max_events = -1;
	struct timespec start, now;
	int events = 0;

	if (argc < 1 || argc > 2 || parse_long(argv[0], &timeout_ms) ||
	    (argc == 2 && parse_long(argv[1], &max_events)))
		return KSFT_EXIT_USAGE;
	if (!f->events_grp) {
		printf("error=no_events_group\n");
		return ENOENT;
	}
	if (setsockopt(nl_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &f->events_grp, sizeof(f->events_grp)) < 0) {
		int err = errno;

		printf("subscribe=failed\n");
		return report_err(err);
	}
	printf("ready\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (max_events < 0 || events < max_events) {
		struct pollfd p = { .fd = nl_fd, .events = POLLIN };
		long long left;
		struct nlmsghdr *nlh;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms - ((now.tv_sec - start.tv_sec) * 1000 +
				     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			break;
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		n = recv(nl_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				printf("overrun=1\n");
			continue;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);
			struct nlattr *tb[VNET_ATTR_MAX + 1];
			uint32_t ev;

			if (nlh->nlmsg_type != f->id)
				continue;
			parse_attrs(tb, VNET_ATTR_MAX, (char *)g + GENL_HDRLEN,
				    nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
			ev = tb[VNET_ATTR_EVENT] ? get_u32(tb[VNET_ATTR_EVENT]) : 0;
			printf("event=%s\nevent_cmd=%u\n",
			       ev <= VNET_EVENT_MAX ? event_names[ev] : "unknown",
			       g->cmd);
			print_state(tb);
			fflush(stdout);
			events++;
		}
	}
	printf("events=%d\n", events);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vnet_genl [--unknown-attr] echo MSG|--len N\n"
		"       vnet_genl get DEV | dump | reset DEV\n"
		"       vnet_genl set DEV [mode=M] [arg1=N] ... [arg4=N] [seed=N] [dir=tx|rx|both] [revert_ms=N] [slave=NAME] [slave_ifindex=N]\n"
		"       vnet_genl monitor TIMEOUT_MS [MAX_EVENTS]\n");
	return KSFT_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct family f;
	const char *cmd;
	int ret;

	argv++, argc--;
	while (argc && !strncmp(argv[0], "--", 2)) {
		if (!strcmp(argv[0], "--unknown-attr"))
			opt_unknown_attr = 1;
		else
			return usage();
		argv++, argc--;
	}
	if (!argc)
		return usage();
	cmd = argv[0];
	argv++, argc--;

	setvbuf(stdout, NULL, _IOLBF, 0);
	nl_open();
	f = resolve();

	if (!strcmp(cmd, "echo"))
		ret = cmd_echo(&f, argc, argv);
	else if (!strcmp(cmd, "get"))
		ret = cmd_get(&f, argc, argv, VNET_CMD_GET);
	else if (!strcmp(cmd, "reset"))
		ret = cmd_get(&f, argc, argv, VNET_CMD_RESET_STATS);
	else if (!strcmp(cmd, "dump") && !argc)
		ret = cmd_dump(&f);
	else if (!strcmp(cmd, "set"))
		ret = cmd_set(&f, argc, argv);
	else if (!strcmp(cmd, "monitor"))
		ret = cmd_monitor(&f, argc, argv);
	else
		ret = KSFT_EXIT_USAGE;
	if (ret == KSFT_EXIT_USAGE)
		return usage();
	return ret;
}
