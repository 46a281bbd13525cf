// SPDX-License-Identifier: GPL-2.0
/*
 * nl_echo_loop - the reference client for the addon's ECHO rate: the calls
 * of test/kselftest/vnet_nl_echo.c (the seed 002 libnl sample) in a loop,
 * with libnl's auto-ack off (one request, one reply datagram), as issue 9
 * measured it.
 *
 *   nl_echo_loop COUNT [MESSAGE]
 *
 * With NL_ECHO_ACK=1 in the environment, libnl's auto-ack stays on (the
 * kernel sends an ACK after each reply; a receive waits for it too).
 *
 * Prints "echo_c: COUNT round trips in S s: R/s" and exits 0 when every
 * reply matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/vnet.h>

struct echo_result {
	const char *sent;
	int matched;
};

static int echo_cb(struct nl_msg *msg, void *arg)
{
	struct echo_result *res = arg;
	struct nlattr *attrs[VNET_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, VNET_ATTR_MAX, NULL) < 0 ||
	    !attrs[VNET_ATTR_MSG])
		return NL_SKIP;
	res->matched = !strcmp(nla_get_string(attrs[VNET_ATTR_MSG]), res->sent);
	return NL_OK;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct echo_result res = { .sent = argc > 2 ? argv[2] : "hello" };
	long count = argc > 1 ? atol(argv[1]) : 10000, i;
	int ack = getenv("NL_ECHO_ACK") != NULL;
	struct nl_sock *sock;
	struct nl_msg *msg;
	int family, err;
	double t0, t;

	sock = nl_socket_alloc();
	if (!sock || genl_connect(sock))
		return 1;
	family = genl_ctrl_resolve(sock, VNET_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "genl_ctrl_resolve: %s\n", nl_geterror(family));
		return 1;
	}
	if (!ack)
		nl_socket_disable_auto_ack(sock);
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, echo_cb, &res);

	t0 = now();
	for (i = 0; i < count; i++) {
		msg = nlmsg_alloc();
		if (!msg ||
		    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 NLM_F_REQUEST, VNET_CMD_ECHO, VNET_GENL_VERSION) ||
		    nla_put_string(msg, VNET_ATTR_MSG, res.sent) ||
		    nl_send_auto(sock, msg) < 0)
			return 1;
		nlmsg_free(msg);
		res.matched = 0;
		err = nl_recvmsgs_default(sock);
		if (err >= 0 && ack)
			err = nl_wait_for_ack(sock);
		if (err < 0 || !res.matched) {
			fprintf(stderr, "round trip %ld: %s\n", i,
				err < 0 ? nl_geterror(err) : "mismatch");
			return 1;
		}
	}
	t = now() - t0;
	printf("echo_c%s: %ld round trips in %.3f s: %.0f/s\n", ack ? " (ack)" : "",
	       count, t, count / t);
	nl_socket_free(sock);
	return 0;
}
