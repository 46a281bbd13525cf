// SPDX-License-Identifier: GPL-2.0
/*
 * rtnl_link_ops.newlink(dev, params, extack): 69c7be1b903f ("rtnetlink: Pack
 * newlink() params into struct") and rtnl_newlink_link_net(): cf517ac16ad9
 * ("net: Use link/peer netns in newlink() of rtnl_link_ops"), both v6.15.
 */
#include <net/rtnetlink.h>

static int vnet_probe_newlink(struct net_device *dev,
			      struct rtnl_newlink_params *params,
			      struct netlink_ext_ack *extack)
{
	return rtnl_newlink_link_net(params) && params->tb && params->data;
}

static const struct rtnl_link_ops vnet_probe_ops __maybe_unused = {
	.newlink = vnet_probe_newlink,
};
