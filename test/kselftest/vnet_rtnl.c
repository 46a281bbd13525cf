// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_rtnl - the rtnetlink side of vnet: IFLA_INFO_DATA (IFLA_VNET_*) on
 * RTM_NEWLINK and RTM_GETLINK, which iproute2 cannot show or set for a
 * kind it does not know.
 *
 *   vnet_rtnl get DEV
 *   vnet_rtnl add NAME [link=DEV] [mode=M] [arg1=N] [arg2=N] [seed=N]
 *
 * M: pass|percent|time or a number.  get prints kind=, link_ifindex=,
 * has_data=, mode=, arg1=, arg2=, seed= (only what the kernel reported).
 * Errors print error=ENAME, extack=TEXT and extack_bad_type=T (the type of
 * the attribute the kernel pointed at); exit status is the errno.
 */
#include "common.h"

#include <net/if.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/vnet.h>

#define BUFSZ 65536

static int fd;
static char req[BUFSZ];

static struct nlattr *put(struct nlmsghdr *n, uint16_t type, const void *d, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, d, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void nest_end(struct nlmsghdr *n, struct nlattr *a)
{
	a->nla_len = (char *)n + n->nlmsg_len - (char *)a;
}

static void parse(struct nlattr **tb, int max, void *p, int len)
{
	struct nlattr *a = p;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t <= max)
			tb[t] = a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

#define DATA(a) ((void *)((char *)(a) + NLA_HDRLEN))
#define PLEN(a) ((int)(a)->nla_len - NLA_HDRLEN)

static void print_link(struct nlmsghdr *n)
{
	struct ifinfomsg *ifi = NLMSG_DATA(n);
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *vd[IFLA_VNET_MAX + 1];

	parse(tb, IFLA_MAX, (char *)ifi + NLMSG_ALIGN(sizeof(*ifi)),
	      n->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
	printf("ifindex=%d\n", ifi->ifi_index);
	if (tb[IFLA_IFNAME])
		printf("ifname=%s\n", (char *)DATA(tb[IFLA_IFNAME]));
	if (tb[IFLA_LINK])
		printf("link_ifindex=%u\n", *(uint32_t *)DATA(tb[IFLA_LINK]));
	if (!tb[IFLA_LINKINFO])
		return;
	parse(li, IFLA_INFO_MAX, DATA(tb[IFLA_LINKINFO]), PLEN(tb[IFLA_LINKINFO]));
	if (li[IFLA_INFO_KIND])
		printf("kind=%.*s\n", PLEN(li[IFLA_INFO_KIND]), (char *)DATA(li[IFLA_INFO_KIND]));
	printf("has_data=%d\n", li[IFLA_INFO_DATA] != NULL);
	if (!li[IFLA_INFO_DATA])
		return;
	parse(vd, IFLA_VNET_MAX, DATA(li[IFLA_INFO_DATA]), PLEN(li[IFLA_INFO_DATA]));
	if (vd[IFLA_VNET_MODE])
		printf("mode=%u\n", *(uint32_t *)DATA(vd[IFLA_VNET_MODE]));
	if (vd[IFLA_VNET_ARG1])
		printf("arg1=%d\n", *(int32_t *)DATA(vd[IFLA_VNET_ARG1]));
	if (vd[IFLA_VNET_ARG2])
		printf("arg2=%d\n", *(int32_t *)DATA(vd[IFLA_VNET_ARG2]));
	if (vd[IFLA_VNET_SEED]) {
		uint64_t s;

		memcpy(&s, DATA(vd[IFLA_VNET_SEED]), sizeof(s));
		printf("seed=%llu\n", (unsigned long long)s);
	}
}

static int transact(struct nlmsghdr *n)
{
	static char buf[BUFSZ];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(fd, n, n->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("sendto");
		return KSFT_EXIT_USAGE;
	}
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0) {
			perror("recv");
			return KSFT_EXIT_USAGE;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != n->nlmsg_seq)
				continue;
			if (h->nlmsg_type == RTM_NEWLINK) {
				print_link(h);
				continue;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				size_t off = NLMSG_HDRLEN + sizeof(*e);
				struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

				if (!e->error)
					return 0;
				printf("error=%s\nerrno=%d\n", errname(-e->error), -e->error);
				if (!(h->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && h->nlmsg_len > off) {
					parse(tb, NLMSGERR_ATTR_MAX, (char *)h + off, h->nlmsg_len - off);
					if (tb[NLMSGERR_ATTR_MSG])
						printf("extack=%s\n", (char *)DATA(tb[NLMSGERR_ATTR_MSG]));
					/* the attribute the kernel blamed, in our request */
					if (tb[NLMSGERR_ATTR_OFFS]) {
						uint32_t o = *(uint32_t *)DATA(tb[NLMSGERR_ATTR_OFFS]);

						if (o + NLA_HDRLEN <= n->nlmsg_len)
							printf("extack_bad_type=%u\n",
							       ((struct nlattr *)((char *)n + o))->nla_type &
							       NLA_TYPE_MASK);
					}
				}
				return -e->error;
			}
		}
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: vnet_rtnl get DEV\n"
		"       vnet_rtnl add NAME [link=DEV] [mode=M] [arg1=N] [arg2=N] [seed=N]\n");
	return KSFT_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct nlmsghdr *n = (struct nlmsghdr *)req;
	struct ifinfomsg *ifi;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, i;

	if (argc < 3)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink");
		return KSFT_EXIT_USAGE;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	memset(req, 0, sizeof(req));
	n->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	n->nlmsg_seq = getpid();
	ifi = NLMSG_DATA(n);
	ifi->ifi_family = AF_UNSPEC;

	if (!strcmp(argv[1], "get") && argc == 3) {
		n->nlmsg_type = RTM_GETLINK;
		n->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		put(n, IFLA_IFNAME, argv[2], strlen(argv[2]) + 1);
		return transact(n);
	}
	if (!strcmp(argv[1], "add")) {
		struct nlattr *li, *data;

		n->nlmsg_type = RTM_NEWLINK;
		n->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
		put(n, IFLA_IFNAME, argv[2], strlen(argv[2]) + 1);
		for (i = 3; i < argc; i++) {
			if (!strncmp(argv[i], "link=", 5)) {
				uint32_t idx = if_nametoindex(argv[i] + 5);

				if (!idx)
					return report_err(ENODEV);
				put(n, IFLA_LINK, &idx, sizeof(idx));
			}
		}
		li = put(n, IFLA_LINKINFO, NULL, 0);
		put(n, IFLA_INFO_KIND, VNET_LINK_KIND, strlen(VNET_LINK_KIND));
		data = put(n, IFLA_INFO_DATA, NULL, 0);
		for (i = 3; i < argc; i++) {
			char *eq = strchr(argv[i], '=');
			long long v;

			if (!eq)
				return usage();
			*eq = '\0';
			if (!strcmp(argv[i], "link"))
				continue;
			if (!strcmp(argv[i], "mode")) {
				if (!strcmp(eq + 1, "pass"))
					v = VNET_MODE_PASS;
				else if (!strcmp(eq + 1, "percent"))
					v = VNET_MODE_PERCENT;
				else if (!strcmp(eq + 1, "time"))
					v = VNET_MODE_TIME;
				else if (parse_long(eq + 1, &v))
					return usage();
				uint32_t u = v;

				put(n, IFLA_VNET_MODE, &u, 4);
				continue;
			}
			if (parse_long(eq + 1, &v))
				return usage();
			if (!strcmp(argv[i], "arg1") || !strcmp(argv[i], "arg2")) {
				int32_t s = v;

				put(n, !strcmp(argv[i], "arg1") ? IFLA_VNET_ARG1 : IFLA_VNET_ARG2, &s, 4);
			} else if (!strcmp(argv[i], "seed")) {
				uint64_t u = v;

				put(n, IFLA_VNET_SEED, &u, 8);
			} else {
				return usage();
			}
		}
		nest_end(n, data);
		nest_end(n, li);
		return transact(n);
	}
	return usage();
}
