// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_loop - the C reference for the control path's GET and SET rates
 * (npm run bench, case "control"): COUNT requests in a tight loop, each
 * checked, the way a C program would make them.
 *
 *   ctl_loop ioctl-get DEV COUNT
 *   ctl_loop ioctl-set DEV COUNT        (percent 50 and 60, alternately)
 *   ctl_loop genl-get DEV COUNT         (libnl, no ACK: one reply)
 *   ctl_loop genl-set DEV COUNT         (libnl, with the ACK, as the addon)
 *
 * A SET alternates between two policies so that every request changes
 * the device (a new policy object is built and published).  Prints
 * "ctl_c MODE: COUNT requests in S s: R/s"; exits 1 on the first failure.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/vnet.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* t0: set when the loop starts (after the socket's setup) */
static int ioctl_loop(const char *dev, long count, int set, double *t0)
{
	struct vnet_relay_info info;
	struct ifreq ifr;
	long i;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return 1;
	*t0 = now();
	for (i = 0; i < count; i++) {
		memset(&ifr, 0, sizeof(ifr));
		memset(&info, 0, sizeof(info));
		strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
		ifr.ifr_data = (void *)&info;
		if (set) {
			info.mode = VNET_MODE_PERCENT;
			info.arg1 = i & 1 ? 60 : 50;
		}
		if (ioctl(fd, set ? VNET_IOCTL_SET_RELAY : VNET_IOCTL_GET_RELAY,
			  &ifr) < 0) {
			fprintf(stderr, "ioctl %ld: %s\n", i, strerror(errno));
			return 1;
		}
	}
	close(fd);
	return 0;
}

struct got {
	int ifindex;
};

static int state_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *attrs[VNET_ATTR_MAX + 1];
	struct got *got = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, VNET_ATTR_MAX, NULL) < 0 ||
	    !attrs[VNET_ATTR_IFINDEX])
		return NL_SKIP;
	got->ifindex = nla_get_u32(attrs[VNET_ATTR_IFINDEX]);
	return NL_OK;
}

static int genl_loop(const char *dev, long count, int set, double *t0)
{
	struct got got;
	struct nl_sock *sock = nl_socket_alloc();
	struct nl_msg *msg;
	int family, err;
	long i;

	if (!sock || genl_connect(sock))
		return 1;
	family = genl_ctrl_resolve(sock, VNET_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "genl_ctrl_resolve: %s\n", nl_geterror(family));
		return 1;
	}
	if (!set)
		nl_socket_disable_auto_ack(sock);
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, state_cb, &got);
	*t0 = now();
	for (i = 0; i < count; i++) {
		msg = nlmsg_alloc();
		if (!msg ||
		    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 NLM_F_REQUEST, set ? VNET_CMD_SET : VNET_CMD_GET,
				 VNET_GENL_VERSION) ||
		    nla_put_string(msg, VNET_ATTR_IFNAME, dev) ||
		    (set && (nla_put_u32(msg, VNET_ATTR_MODE, VNET_MODE_PERCENT) ||
			     nla_put_u32(msg, VNET_ATTR_ARG1, i & 1 ? 60 : 50))) ||
		    nl_send_auto(sock, msg) < 0)
			return 1;
		nlmsg_free(msg);
		got.ifindex = 0;
		err = nl_recvmsgs_default(sock);
		if (err >= 0 && set)
			err = nl_wait_for_ack(sock);
		if (err < 0 || !got.ifindex) {
			fprintf(stderr, "request %ld: %s\n", i,
				err < 0 ? nl_geterror(err) : "no device state");
			return 1;
		}
	}
	nl_socket_free(sock);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long count = argc > 3 ? atol(argv[3]) : 0;
	double t0, t;
	int err;

	if (argc != 4 || count <= 0) {
		fprintf(stderr, "usage: ctl_loop ioctl-get|ioctl-set|genl-get|genl-set DEV COUNT\n");
		return 2;
	}
	if (!strcmp(mode, "ioctl-get"))
		err = ioctl_loop(argv[2], count, 0, &t0);
	else if (!strcmp(mode, "ioctl-set"))
		err = ioctl_loop(argv[2], count, 1, &t0);
	else if (!strcmp(mode, "genl-get"))
		err = genl_loop(argv[2], count, 0, &t0);
	else if (!strcmp(mode, "genl-set"))
		err = genl_loop(argv[2], count, 1, &t0);
	else
		return 2;
	if (err)
		return 1;
	t = now() - t0;
	printf("ctl_c %s: %ld requests in %.3f s: %.0f/s\n", mode, count, t,
	       count / t);
	return 0;
}
