// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_nl_echo - the seed 002 user-space sample, unchanged in shape: a
 * libnl-genl client that resolves the "vnet_nl" family, sends an ECHO
 * with a string and prints what the kernel sends back.  It uses only the
 * calls the original article used (genl_connect, genl_ctrl_resolve,
 * genlmsg_put, nla_put_string, nl_send_auto, nl_socket_modify_cb and
 * nl_recvmsgs_default), so the module must keep working with old clients
 * written this way.
 *
 *   vnet_nl_echo [MESSAGE]
 *
 * Prints "msg=<reply>" and exits 0 when the reply carries the same string
 * in a VNET_CMD_ECHO message; exits 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/vnet.h>

static struct nla_policy echo_policy[VNET_ATTR_MAX + 1] = {
	[VNET_ATTR_MSG] = { .type = NLA_NUL_STRING },
};

struct echo_result {
	const char *sent;
	int got_reply;
	int matched;
};

static int echo_cb(struct nl_msg *msg, void *arg)
{
	struct echo_result *res = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs[VNET_ATTR_MAX + 1];
	const char *reply;

	res->got_reply = 1;
	if (genlmsg_parse(nlh, 0, attrs, VNET_ATTR_MAX, echo_policy) < 0) {
		printf("parse=failed\n");
		return NL_SKIP;
	}
	if (!attrs[VNET_ATTR_MSG]) {
		printf("msg_attr=missing\n");
		return NL_SKIP;
	}
	reply = nla_get_string(attrs[VNET_ATTR_MSG]);
	printf("cmd=%u\nmsg=%s\n", gnlh->cmd, reply);
	res->matched = gnlh->cmd == VNET_CMD_ECHO && !strcmp(reply, res->sent);
	return NL_OK;
}

int main(int argc, char **argv)
{
	struct echo_result res = { .sent = argc > 1 ? argv[1] : "hello from user space" };
	struct nl_sock *sock;
	struct nl_msg *msg;
	int family, err;

	sock = nl_socket_alloc();
	if (!sock) {
		fprintf(stderr, "nl_socket_alloc failed\n");
		return 1;
	}
	err = genl_connect(sock);
	if (err) {
		fprintf(stderr, "genl_connect: %s\n", nl_geterror(err));
		return 1;
	}
	family = genl_ctrl_resolve(sock, VNET_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "genl_ctrl_resolve(%s): %s\n", VNET_GENL_NAME,
			nl_geterror(family));
		printf("family=unresolved\n");
		return 1;
	}
	printf("family_id=%d\n", family);

	msg = nlmsg_alloc();
	if (!msg)
		return 1;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_REQUEST, VNET_CMD_ECHO, VNET_GENL_VERSION)) {
		fprintf(stderr, "genlmsg_put failed\n");
		return 1;
	}
	err = nla_put_string(msg, VNET_ATTR_MSG, res.sent);
	if (err) {
		fprintf(stderr, "nla_put_string: %s\n", nl_geterror(err));
		return 1;
	}
	err = nl_send_auto(sock, msg);
	if (err < 0) {
		fprintf(stderr, "nl_send_auto: %s\n", nl_geterror(err));
		return 1;
	}
	nlmsg_free(msg);

	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, echo_cb, &res);
	err = nl_recvmsgs_default(sock);
	if (err < 0) {
		fprintf(stderr, "nl_recvmsgs_default: %s\n", nl_geterror(err));
		printf("recv=%s\n", nl_geterror(err));
	}
	nl_socket_free(sock);

	printf("reply=%s\nmatch=%d\n", res.got_reply ? "yes" : "no", res.matched);
	return res.matched && err >= 0 ? 0 : 1;
}
