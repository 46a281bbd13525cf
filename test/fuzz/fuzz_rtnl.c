// SPDX-License-Identifier: GPL-2.0
/*
 * The rtnetlink fuzzer: RTM_NEWLINK for kind "vnet" (names fz0..fz7) with
 * random IFLA_INFO_DATA (IFLA_VNET_* and unknown types, any length), a
 * random IFLA_LINK, MAC and MTU; RTM_SETLINK with random IFLA_INFO_DATA on
 * vnet devices; RTM_DELLINK of the fz devices now and then.  Every request
 * has NLM_F_ACK; the answer's errno is counted.  The fz devices are
 * deleted at the end.
 */
#include "fuzz.h"

#include <net/if.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <linux/vnet.h>

static char req[64 * 1024];

static void put_info_data(struct fuzz_rng *r, struct nlbuf *b)
{
	struct nlattr *data = nl_nest_start(b, IFLA_INFO_DATA);
	int k = rnd(r, 6);

	while (k--) {
		uint16_t type = rnd(r, IFLA_VNET_MAX + 3);
		char raw[16];
		size_t len;

		switch (rnd(r, 4)) {
		case 0: {
			uint32_t v = rnd(r, 4);

			nl_put_attr(b, type, &v, sizeof(v));
			break;
		}
		case 1: {
			int32_t v = rnd_s32(r);

			nl_put_attr(b, type, &v, sizeof(v));
			break;
		}
		case 2: {
			uint64_t v = rng_next(r);

			nl_put_attr(b, type, &v, sizeof(v));
			break;
		}
		default:
			len = rnd(r, sizeof(raw));
			rnd_bytes(r, raw, len);
			nl_put_attr(b, type, raw, len);
			break;
		}
	}
	nl_nest_end(b, data);
}

static void put_linkinfo(struct fuzz_rng *r, struct nlbuf *b)
{
	struct nlattr *li = nl_nest_start(b, IFLA_LINKINFO);
	static const char *const kinds[] = { "vnet", "vnet", "vnet", "vnet",
					     "vnetx", "" };
	const char *kind = kinds[rnd(r, sizeof(kinds) / sizeof(kinds[0]))];

	nl_put_attr(b, IFLA_INFO_KIND, kind, strlen(kind) + 1);
	if (!chance(r, 4))
		put_info_data(r, b);
	nl_nest_end(b, li);
}

int fuzz_rtnl(struct fuzz_rng *r, unsigned long count, char **devs, int ndevs,
	      struct fuzz_stats *st)
{
	uint32_t seq = 1;
	unsigned long i;
	char name[IFNAMSIZ];
	int fd, k;

	fd = nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return -fd;

	for (i = 0; i < count; i++) {
		struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
		unsigned int what = rnd(r, 10);
		struct nlbuf b;
		int err;

		snprintf(name, sizeof(name), "fz%u", rnd(r, 8));
		if (what < 6) {			/* NEWLINK */
			nl_init(&b, req, sizeof(req), RTM_NEWLINK,
				NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq);
			nl_put_raw(&b, &ifi, sizeof(ifi));
			nl_put_attr(&b, IFLA_IFNAME, name, strlen(name) + 1);
			if (chance(r, 2)) {
				uint32_t link = chance(r, 4) ? (uint32_t)rnd_s32(r) :
					if_nametoindex(devs[rnd(r, ndevs)]);

				nl_put_attr(&b, IFLA_LINK, &link, sizeof(link));
			}
			if (chance(r, 4)) {
				char mac[8];
				size_t len = chance(r, 2) ? 6 : rnd(r, 8);

				rnd_bytes(r, mac, sizeof(mac));
				nl_put_attr(&b, IFLA_ADDRESS, mac, len);
			}
			if (chance(r, 4)) {
				uint32_t mtu = (uint32_t)rnd_s32(r);

				nl_put_attr(&b, IFLA_MTU, &mtu, sizeof(mtu));
			}
			put_linkinfo(r, &b);
		} else if (what < 9) {		/* SETLINK on a vnet device */
			const char *dev = chance(r, 2) ? name : devs[rnd(r, ndevs)];

			nl_init(&b, req, sizeof(req), RTM_SETLINK,
				NLM_F_REQUEST | NLM_F_ACK, seq);
			nl_put_raw(&b, &ifi, sizeof(ifi));
			nl_put_attr(&b, IFLA_IFNAME, dev, strlen(dev) + 1);
			put_linkinfo(r, &b);
		} else {			/* DELLINK of an fz device */
			nl_init(&b, req, sizeof(req), RTM_DELLINK,
				NLM_F_REQUEST | NLM_F_ACK, seq);
			nl_put_raw(&b, &ifi, sizeof(ifi));
			nl_put_attr(&b, IFLA_IFNAME, name, strlen(name) + 1);
		}
		err = nl_transact(fd, req, b.nlh->nlmsg_len, seq++);
		if (err == -ETIMEDOUT) {
			fuzz_violation(st, "no answer to request %lu", i);
			err = ETIMEDOUT;
		}
		fuzz_count(st, err, err == 0 || err == EINVAL || err == ERANGE ||
			   err == ENODEV || err == ELOOP || err == EBUSY ||
			   err == EPERM || err == EOPNOTSUPP || err == EEXIST ||
			   err == EADDRNOTAVAIL || err == ENOENT);
	}

	for (k = 0; k < 8; k++) {		/* clean up */
		struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
		struct nlbuf b;

		snprintf(name, sizeof(name), "fz%d", k);
		nl_init(&b, req, sizeof(req), RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
		nl_put_raw(&b, &ifi, sizeof(ifi));
		nl_put_attr(&b, IFLA_IFNAME, name, strlen(name) + 1);
		nl_transact(fd, req, b.nlh->nlmsg_len, seq++);
	}
	close(fd);
	return 0;
}
