// SPDX-License-Identifier: GPL-2.0
/*
 * vnet rtnl_link_ops: "ip link add NAME [link DEV] type vnet" and
 * "ip link del NAME", for any vnet device including those made at load.
 * IFLA_LINK names the slave; IFLA_INFO_DATA may carry the relay policy
 * (IFLA_VNET_*), which RTM_GETLINK always reports.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <net/rtnetlink.h>

#include "vnet_priv.h"

static const struct nla_policy vnet_link_policy[IFLA_VNET_MAX + 1] = {
	[IFLA_VNET_MODE]	= { .type = NLA_U32 },
	[IFLA_VNET_ARG1]	= { .type = NLA_S32 },
	[IFLA_VNET_ARG2]	= { .type = NLA_S32 },
	[IFLA_VNET_SEED]	= { .type = NLA_U64 },
	[IFLA_VNET_ARG3]	= { .type = NLA_S32 },
	[IFLA_VNET_ARG4]	= { .type = NLA_S32 },
};

/* The relay request IFLA_LINK and IFLA_INFO_DATA describe. */
static void vnet_link_parse(struct nlattr *tb[], struct nlattr *data[],
			    struct vnet_relay_req *req)
{
	if (tb[IFLA_LINK]) {
		req->slave_op = VNET_SLAVE_INDEX;
		req->slave_ifindex = nla_get_u32(tb[IFLA_LINK]);
		req->slave_attr = tb[IFLA_LINK];
	}
	if (!data)
		return;
	if (data[IFLA_VNET_MODE])
		req->mode = nla_get_u32(data[IFLA_VNET_MODE]);
	req->mode_attr = data[IFLA_VNET_MODE];
	if (data[IFLA_VNET_ARG1])
		req->arg1 = nla_get_s32(data[IFLA_VNET_ARG1]);
	req->arg1_attr = data[IFLA_VNET_ARG1];
	if (data[IFLA_VNET_ARG2])
		req->arg2 = nla_get_s32(data[IFLA_VNET_ARG2]);
	req->arg2_attr = data[IFLA_VNET_ARG2];
	if (data[IFLA_VNET_ARG3])
		req->arg3 = nla_get_s32(data[IFLA_VNET_ARG3]);
	req->arg3_attr = data[IFLA_VNET_ARG3];
	if (data[IFLA_VNET_ARG4])
		req->arg4 = nla_get_s32(data[IFLA_VNET_ARG4]);
	req->arg4_attr = data[IFLA_VNET_ARG4];
	if (data[IFLA_VNET_SEED]) {
		req->seeded = true;
		req->seed = nla_get_u64(data[IFLA_VNET_SEED]);
	}
	vnet_relay_req_defaults(req);
}

/* Before any device exists: the MAC and the policy. */
static int vnet_link_validate(struct nlattr *tb[], struct nlattr *data[],
			      struct netlink_ext_ack *extack)
{
	struct vnet_relay_req req = {};

	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "invalid MAC address");
			return -EADDRNOTAVAIL;
		}
	}
	vnet_link_parse(tb, data, &req);
	return vnet_policy_validate(&req, extack);
}

/*
 * The slave is found and checked before the device is registered, so a
 * request that cannot succeed never creates (and destroys) a device.
 */
static int vnet_link_newlink(VNET_NEWLINK_ARGS)
{
	struct nlattr **linkinfo = VNET_NEWLINK_TB;
	struct nlattr **data = VNET_NEWLINK_DATA;
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_relay_req req = {};
	struct net_device *slave;
	int err;

	vnet_link_parse(linkinfo, data, &req);
	if (req.slave_op != VNET_SLAVE_KEEP) {
		if (!net_eq(VNET_NEWLINK_SRC_NET, dev_net(dev))) {
			NL_SET_ERR_MSG_ATTR(extack, req.slave_attr,
					    "vnet and its slave must be in the same network namespace");
			return -EINVAL;
		}
		slave = vnet_slave_find(dev_net(dev), &req, extack);
		if (IS_ERR(slave))
			return PTR_ERR(slave);
		priv->dev = dev;
		err = vnet_slave_check(priv, slave, req.slave_attr, extack);
		if (err)
			return err;
	}

	err = register_netdevice(dev);
	if (err)
		return err;

	/* A device with neither slave nor policy keeps its defaults. */
	if (req.slave_op == VNET_SLAVE_KEEP && !req.mode && !req.seeded)
		return 0;
	err = vnet_relay_set(priv, &req, extack);
	if (err)
		goto err_unregister_netdevice;
	return 0;

err_unregister_netdevice:
	unregister_netdevice(dev);
	return err;
}

static size_t vnet_link_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +		/* IFLA_VNET_MODE */
	       4 * nla_total_size(sizeof(s32)) +	/* IFLA_VNET_ARG1..4 */
	       nla_total_size_64bit(sizeof(u64));	/* IFLA_VNET_SEED */
}

/* Called under RTNL. */
static int vnet_link_fill_info(struct sk_buff *skb,
			       const struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	const struct vnet_cfg *cfg = vnet_cfg_rtnl(priv, VNET_TX);

	if (nla_put_u32(skb, IFLA_VNET_MODE, cfg->mode) ||
	    nla_put_s32(skb, IFLA_VNET_ARG1, cfg->arg1) ||
	    nla_put_s32(skb, IFLA_VNET_ARG2, cfg->arg2) ||
	    nla_put_s32(skb, IFLA_VNET_ARG3, cfg->arg3) ||
	    nla_put_s32(skb, IFLA_VNET_ARG4, cfg->arg4) ||
	    nla_put_u64_64bit(skb, IFLA_VNET_SEED, cfg->seed, IFLA_VNET_PAD))
		return -EMSGSIZE;
	return 0;
}

struct rtnl_link_ops vnet_link_ops __read_mostly = {
	.kind		= VNET_LINK_KIND,
	.priv_size	= sizeof(struct vnet_priv),
	.setup		= vnet_setup,
	.validate	= vnet_link_validate,
	.newlink	= vnet_link_newlink,
	.policy		= vnet_link_policy,
	.maxtype	= IFLA_VNET_MAX,
	.get_size	= vnet_link_get_size,
	.fill_info	= vnet_link_fill_info,
};
