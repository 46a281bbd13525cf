// SPDX-License-Identifier: GPL-2.0
/*
 * vnet generic netlink family "vnet_nl" (seed 002's ECHO, grown into the
 * control plane): ECHO, GET (doit and dump), SET, RESET_STATS, and the
 * "events" multicast group.  The protocol is documented in the uapi
 * header.
 *
 * Plain genl_ops with per-op policies build unchanged from 6.1 on;
 * resv_start_op makes every command strictly validated.  There is
 * deliberately no MODULE_ALIAS_GENL_FAMILY: resolving the family (a read)
 * must never load the module.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vnet_priv.h"

static struct genl_family vnet_genl_family;

enum vnet_mcgrp {
	VNET_MCGRP_EVENTS,
};

static const struct genl_multicast_group vnet_mcgrps[] = {
	[VNET_MCGRP_EVENTS] = { .name = VNET_GENL_MCGRP_EVENTS },
};

/* ------------------------------------------------------------------ */
/* Policies: one per op, nothing accepted that the op does not read    */
/* ------------------------------------------------------------------ */

static const struct nla_policy vnet_echo_policy[VNET_ATTR_MSG + 1] = {
	[VNET_ATTR_MSG]	= { .type = NLA_NUL_STRING, .len = VNET_ECHO_MSG_MAX },
};

static const struct nla_policy vnet_dev_policy[VNET_ATTR_IFNAME + 1] = {
	[VNET_ATTR_IFINDEX]	= { .type = NLA_U32 },
	[VNET_ATTR_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy vnet_set_policy[VNET_ATTR_REVERT_MS + 1] = {
	[VNET_ATTR_IFINDEX]	= { .type = NLA_U32 },
	[VNET_ATTR_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VNET_ATTR_MODE]	= { .type = NLA_U32 },
	[VNET_ATTR_ARG1]	= { .type = NLA_S32 },
	[VNET_ATTR_ARG2]	= { .type = NLA_S32 },
	[VNET_ATTR_SEED]	= { .type = NLA_U64 },
	[VNET_ATTR_SLAVE_IFINDEX] = { .type = NLA_U32 },
	[VNET_ATTR_SLAVE_NAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VNET_ATTR_ARG3]	= { .type = NLA_S32 },
	[VNET_ATTR_ARG4]	= { .type = NLA_S32 },
	[VNET_ATTR_DIRECTION]	= { .type = NLA_U32 },
	[VNET_ATTR_REVERT_MS]	= { .type = NLA_U32 },
};

/* ------------------------------------------------------------------ */
/* Device state                                                        */
/* ------------------------------------------------------------------ */

static int vnet_fill_stats(struct sk_buff *skb, struct vnet_priv *priv)
{
	u64 v[VNET_STAT_NUM];
	struct nlattr *nest;
	int i;

	vnet_stats_read(priv, v);
	nest = nla_nest_start(skb, VNET_ATTR_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < VNET_STAT_NUM; i++)
		if (nla_put_u64_64bit(skb, VNET_STATS_RX_PACKETS + i, v[i],
				      VNET_STATS_PAD))
			goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* One direction's policy, and the time left before it reverts. */
static int vnet_fill_policy(struct sk_buff *skb, struct vnet_priv *priv,
			    enum vnet_dir dir)
{
	const struct vnet_cfg *cfg = rcu_dereference_rtnl(priv->cfg[dir]);
	u32 left = vnet_revert_left_ms(priv, dir);

	if (nla_put_u32(skb, VNET_ATTR_MODE, cfg->mode) ||
	    nla_put_s32(skb, VNET_ATTR_ARG1, cfg->arg1) ||
	    nla_put_s32(skb, VNET_ATTR_ARG2, cfg->arg2) ||
	    nla_put_s32(skb, VNET_ATTR_ARG3, cfg->arg3) ||
	    nla_put_s32(skb, VNET_ATTR_ARG4, cfg->arg4) ||
	    nla_put_u64_64bit(skb, VNET_ATTR_SEED, cfg->seed, VNET_ATTR_PAD) ||
	    (left && nla_put_u32(skb, VNET_ATTR_REVERT_MS, left)))
		return -EMSGSIZE;
	return 0;
}

/* Caller holds RTNL or rcu_read_lock(). */
static int vnet_fill_state(struct sk_buff *skb, struct vnet_priv *priv)
{
	struct net_device *dev = priv->dev;
	struct net_device *slave = rcu_dereference_rtnl(priv->slave);
	struct nlattr *rx;

	if (nla_put_u32(skb, VNET_ATTR_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VNET_ATTR_IFNAME, dev->name) ||
	    vnet_fill_policy(skb, priv, VNET_TX))
		return -EMSGSIZE;
	rx = nla_nest_start(skb, VNET_ATTR_RX_POLICY);
	if (!rx || vnet_fill_policy(skb, priv, VNET_RX))
		return -EMSGSIZE;
	nla_nest_end(skb, rx);
	if (slave &&
	    (nla_put_u32(skb, VNET_ATTR_SLAVE_IFINDEX, slave->ifindex) ||
	     nla_put_string(skb, VNET_ATTR_SLAVE_NAME, slave->name) ||
	     nla_put_u32(skb, VNET_ATTR_SLAVE_RP_FILTER,
			 vnet_slave_rp_filter(slave))))
		return -EMSGSIZE;
	return vnet_fill_stats(skb, priv);
}

/* What vnet_fill_policy() writes at most. */
static size_t vnet_policy_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* MODE */
	       4 * nla_total_size(sizeof(s32)) +	/* ARG1..4 */
	       nla_total_size_64bit(sizeof(u64)) +	/* SEED */
	       nla_total_size(sizeof(u32));		/* REVERT_MS */
}

static size_t vnet_state_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(IFNAMSIZ) +		/* IFNAME */
	       vnet_policy_size() +			/* transmit */
	       nla_total_size(vnet_policy_size()) +	/* RX_POLICY */
	       nla_total_size(sizeof(u32)) +		/* SLAVE_IFINDEX */
	       nla_total_size(IFNAMSIZ) +		/* SLAVE_NAME */
	       nla_total_size(sizeof(u32)) +		/* SLAVE_RP_FILTER */
	       nla_total_size(0) +			/* STATS */
	       VNET_STAT_NUM * nla_total_size_64bit(sizeof(u64)) +
	       2 * nla_total_size(sizeof(u32));		/* EVENT, DIRECTION */
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

/* The vnet device a request names, in the requester's netns.  RTNL. */
static struct vnet_priv *vnet_genl_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct net_device *dev;
	struct nlattr *attr;

	if (tb[VNET_ATTR_IFINDEX]) {
		attr = tb[VNET_ATTR_IFINDEX];
		dev = __dev_get_by_index(net, nla_get_u32(attr));
	} else if (tb[VNET_ATTR_IFNAME]) {
		attr = tb[VNET_ATTR_IFNAME];
		dev = __dev_get_by_name(net, nla_data(attr));
	} else {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing device: VNET_ATTR_IFINDEX or VNET_ATTR_IFNAME");
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!vnet_is_vnet(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "not a vnet device");
		return ERR_PTR(-ENODEV);
	}
	return netdev_priv(dev);
}

/* Reply to @info with the state of @priv.  RTNL. */
static int vnet_genl_reply_state(struct vnet_priv *priv, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(vnet_state_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vnet_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || vnet_fill_state(msg, priv)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int vnet_genl_echo(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VNET_ATTR_MSG)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing message: VNET_ATTR_MSG");
		return -EINVAL;
	}

	msg = genlmsg_new(nla_total_size(nla_len(info->attrs[VNET_ATTR_MSG])),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vnet_genl_family, 0, VNET_CMD_ECHO);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	err = nla_put_string(msg, VNET_ATTR_MSG,
			     nla_data(info->attrs[VNET_ATTR_MSG]));
	if (err)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return err;
}

static int vnet_genl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vnet_priv *priv;
	int err;

	rtnl_lock();
	priv = vnet_genl_dev(info);
	err = IS_ERR(priv) ? PTR_ERR(priv) : vnet_genl_reply_state(priv, info);
	rtnl_unlock();
	return err;
}

static int vnet_genl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long idx = 0, start = cb->args[0];
	struct net_device *dev;
	int err = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		void *hdr;

		if (!vnet_is_vnet(dev))
			continue;
		if (idx++ < start)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vnet_genl_family,
				  NLM_F_MULTI, VNET_CMD_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		if (vnet_fill_state(skb, netdev_priv(dev))) {
			genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();

	/* A full skb ends this part of the dump; the next one resumes. */
	if (err == -EMSGSIZE && skb->len) {
		cb->args[0] = idx - 1;
		return skb->len;
	}
	cb->args[0] = idx;
	return err ?: skb->len;
}

static void vnet_genl_parse_slave(struct genl_info *info,
				  struct vnet_relay_req *req)
{
	struct nlattr **tb = info->attrs;

	if (tb[VNET_ATTR_SLAVE_IFINDEX]) {
		req->slave_attr = tb[VNET_ATTR_SLAVE_IFINDEX];
		req->slave_ifindex = nla_get_u32(tb[VNET_ATTR_SLAVE_IFINDEX]);
		req->slave_op = req->slave_ifindex ? VNET_SLAVE_INDEX :
						     VNET_SLAVE_NONE;
	} else if (tb[VNET_ATTR_SLAVE_NAME]) {
		req->slave_attr = tb[VNET_ATTR_SLAVE_NAME];
		nla_strscpy(req->slave_name, tb[VNET_ATTR_SLAVE_NAME],
			    sizeof(req->slave_name));
		req->slave_op = req->slave_name[0] ? VNET_SLAVE_NAME :
						     VNET_SLAVE_NONE;
	} else {
		req->slave_op = VNET_SLAVE_KEEP;
	}
}

static int vnet_genl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct vnet_relay_req req = {};
	struct vnet_priv *priv;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VNET_ATTR_MODE)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing relay mode: VNET_ATTR_MODE");
		return -EINVAL;
	}

	req.mode = nla_get_u32(tb[VNET_ATTR_MODE]);
	req.mode_attr = tb[VNET_ATTR_MODE];
	if (tb[VNET_ATTR_ARG1])
		req.arg1 = nla_get_s32(tb[VNET_ATTR_ARG1]);
	req.arg1_attr = tb[VNET_ATTR_ARG1];
	if (tb[VNET_ATTR_ARG2])
		req.arg2 = nla_get_s32(tb[VNET_ATTR_ARG2]);
	req.arg2_attr = tb[VNET_ATTR_ARG2];
	if (tb[VNET_ATTR_ARG3])
		req.arg3 = nla_get_s32(tb[VNET_ATTR_ARG3]);
	req.arg3_attr = tb[VNET_ATTR_ARG3];
	if (tb[VNET_ATTR_ARG4])
		req.arg4 = nla_get_s32(tb[VNET_ATTR_ARG4]);
	req.arg4_attr = tb[VNET_ATTR_ARG4];
	if (tb[VNET_ATTR_DIRECTION])
		req.dir = nla_get_u32(tb[VNET_ATTR_DIRECTION]);
	req.dir_attr = tb[VNET_ATTR_DIRECTION];
	if (tb[VNET_ATTR_REVERT_MS])
		req.revert_ms = nla_get_u32(tb[VNET_ATTR_REVERT_MS]);
	req.revert_attr = tb[VNET_ATTR_REVERT_MS];
	if (tb[VNET_ATTR_SEED]) {
		req.seeded = true;
		req.seed = nla_get_u64(tb[VNET_ATTR_SEED]);
	}
	vnet_genl_parse_slave(info, &req);
	vnet_relay_req_defaults(&req);

	rtnl_lock();
	priv = vnet_genl_dev(info);
	if (IS_ERR(priv)) {
		err = PTR_ERR(priv);
		goto out_unlock;
	}
	err = vnet_relay_set(priv, &req, info->extack);
	if (!err)
		err = vnet_genl_reply_state(priv, info);
out_unlock:
	rtnl_unlock();
	return err;
}

static int vnet_genl_reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct vnet_priv *priv;
	int err;

	rtnl_lock();
	priv = vnet_genl_dev(info);
	if (IS_ERR(priv)) {
		err = PTR_ERR(priv);
		goto out_unlock;
	}
	vnet_stats_reset(priv);
	vnet_genl_notify(priv, VNET_EVENT_STATS_RESET);
	err = vnet_genl_reply_state(priv, info);
out_unlock:
	rtnl_unlock();
	return err;
}

static const struct genl_ops vnet_genl_ops[] = {
	{
		.cmd		= VNET_CMD_ECHO,
		.doit		= vnet_genl_echo,
		.policy		= vnet_echo_policy,
		.maxattr	= ARRAY_SIZE(vnet_echo_policy) - 1,
	},
	{
		.cmd		= VNET_CMD_GET,
		.doit		= vnet_genl_get,
		.dumpit		= vnet_genl_dump,
		.policy		= vnet_dev_policy,
		.maxattr	= ARRAY_SIZE(vnet_dev_policy) - 1,
	},
	{
		.cmd		= VNET_CMD_SET,
		.doit		= vnet_genl_set,
		.policy		= vnet_set_policy,
		.maxattr	= ARRAY_SIZE(vnet_set_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= VNET_CMD_RESET_STATS,
		.doit		= vnet_genl_reset_stats,
		.policy		= vnet_dev_policy,
		.maxattr	= ARRAY_SIZE(vnet_dev_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family vnet_genl_family __ro_after_init = {
	.name		= VNET_GENL_NAME,
	.version	= VNET_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= vnet_genl_ops,
	.n_ops		= ARRAY_SIZE(vnet_genl_ops),
	.mcgrps		= vnet_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vnet_mcgrps),
};

/* Announce @event about @priv to the "events" group of its netns.  RTNL. */
void vnet_genl_notify(struct vnet_priv *priv, u32 event)
{
	vnet_genl_notify_dir(priv, event, U32_MAX);
}

/* The same, naming a direction (enum vnet_direction; U32_MAX: none). */
void vnet_genl_notify_dir(struct vnet_priv *priv, u32 event, u32 dir)
{
	struct net *net = dev_net(priv->dev);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&vnet_genl_family, net, VNET_MCGRP_EVENTS))
		return;

	msg = genlmsg_new(vnet_state_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &vnet_genl_family, 0, VNET_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, VNET_ATTR_EVENT, event) ||
	    (dir != U32_MAX && nla_put_u32(msg, VNET_ATTR_DIRECTION, dir)) ||
	    vnet_fill_state(msg, priv)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&vnet_genl_family, net, msg, 0,
				VNET_MCGRP_EVENTS, GFP_KERNEL);
}

int vnet_genl_register(void)
{
	vnet_compat_genl_strict_from(&vnet_genl_family, VNET_CMD_ECHO);
	return genl_register_family(&vnet_genl_family);
}

void vnet_genl_unregister(void)
{
	genl_unregister_family(&vnet_genl_family);
}
